import { z } from 'zod';
import { Name, Slug } from '../common/schemas.ts';
import { MAX_URL_LENGTH, parseHttpUrl } from '../return-url.ts';

export const ReturnUrl = z
  .string()
  .max(MAX_URL_LENGTH)
  .refine((v) => parseHttpUrl(v) !== null, 'must be an absolute http or https URL')
  .refine((v) => {
    const url = parseHttpUrl(v);
    return !url || (!url.username && !url.password);
  }, 'must not contain credentials');

export const RateLimitPerMinute = z.number().int().min(1).max(1_000_000);

export const CreateAppInput = z.strictObject({
  slug: Slug,
  name: Name,
  returnUrl: ReturnUrl,
  rateLimitPerMinute: RateLimitPerMinute.default(100),
});
export type CreateAppInput = z.input<typeof CreateAppInput>;

export const UpdateAppInput = z.strictObject({
  slug: Slug,
  name: Name.optional(),
  returnUrl: ReturnUrl.optional(),
  rateLimitPerMinute: RateLimitPerMinute.optional(),
});
export type UpdateAppInput = z.input<typeof UpdateAppInput>;

export const AppView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  returnUrl: z.string(),
  rateLimitPerMinute: z.number().int(),
  apiKeyPrefix: z.string(),
  apiKeyRotatedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type AppView = z.infer<typeof AppView>;
