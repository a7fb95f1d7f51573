import { z } from 'zod';
import { Name, Slug } from '../common/schemas.ts';
import { checkNewAllowedOrigin, MAX_URL_LENGTH, parseHttpUrl } from '../return-url.ts';

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

/** Most origins one app may list. */
export const MAX_ALLOWED_ORIGINS = 50;

/** One allowlist entry as an operator types it; the service stores its canonical spelling. */
export const AllowedOrigin = z
  .string()
  .max(300)
  .superRefine((value, ctx) => {
    const check = checkNewAllowedOrigin(value);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
  });

export const ChangeAllowedOriginsInput = z
  .strictObject({
    slug: Slug,
    add: z.array(AllowedOrigin).max(MAX_ALLOWED_ORIGINS).default([]),
    remove: z.array(z.string().max(300)).max(MAX_ALLOWED_ORIGINS).default([]),
  })
  .refine((v) => v.add.length + v.remove.length > 0, { message: 'name at least one origin to add or remove', path: ['add'] });
export type ChangeAllowedOriginsInput = z.input<typeof ChangeAllowedOriginsInput>;

export const AppView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  returnUrl: z.string(),
  allowedOrigins: z.array(z.string()),
  rateLimitPerMinute: z.number().int(),
  apiKeyPrefix: z.string(),
  apiKeyRotatedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type AppView = z.infer<typeof AppView>;
