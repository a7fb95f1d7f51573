import { z } from 'zod';
import { CURRENCIES } from '../money.ts';

export const Slug = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9](?:[a-z0-9-_]*[a-z0-9])?$/, 'must be lowercase letters, digits, "-" or "_"');
export const Name = z.string().trim().min(1).max(1024);
export const Email = z.email().max(320);
export const ExternalUserId = z.string().min(1).max(256).meta({
  description: "Your app's user id (at most 256 characters)",
  example: 'user_123',
});
export const CurrencySchema = z.enum(CURRENCIES).meta({ description: 'ISO 4217 code, lowercase' });
export const IntervalSchema = z.enum(['month', 'year']);
export const MinorUnits = z.number().int().min(0).max(1_000_000_000);

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_ERROR' }),
      message: z.string(),
    }),
  })
  .meta({ id: 'Error', description: 'Every error has this shape' });
