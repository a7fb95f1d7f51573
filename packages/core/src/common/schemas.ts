import { z } from 'zod';
import { ERROR_HTTP_STATUS, type ErrorCode } from '../errors.ts';
import { CURRENCIES } from '../money.ts';

export const Slug = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9](?:[a-z0-9-_]*[a-z0-9])?$/, 'must be lowercase letters, digits, "-" or "_"');

/**
 * Control characters (C0, DEL and C1: U+0000–U+001F, U+007F–U+009F) have no
 * place in ids or names, and PostgreSQL refuses U+0000 in text outright.
 * Written as a pattern so the OpenAPI document states the rule too.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]*$/;
const CONTROL_CHARACTERS_MESSAGE = 'must not contain control characters (such as NUL, tab or newline)';

/** Lone UTF-16 surrogates cannot be stored as UTF-8: they would silently become U+FFFD. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const isWellFormed = (value: string) => !LONE_SURROGATE.test(value);
const ILL_FORMED_MESSAGE = 'must be well-formed Unicode (no unpaired surrogates)';

/** A display name: trimmed, 1–1024 characters, no control characters. */
export const Name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(1024)
  .regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE)
  .refine(isWellFormed, ILL_FORMED_MESSAGE);

/**
 * A customer's name as an app sends it: kept exactly as given (no trimming, so
 * what is stored is what was sent), 1–1024 characters, not blank, no control
 * characters. A name cannot be cleared: omit the field to keep the current one.
 */
export const CustomerName = z
  .string()
  .min(1, 'must not be empty (omit the field to keep the current name)')
  .max(1024)
  .regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE)
  .refine((value) => value.trim() !== '', 'must not be blank (only whitespace)')
  .refine(isWellFormed, ILL_FORMED_MESSAGE)
  .meta({ description: 'At most 1024 characters; not empty or blank; no control characters', example: 'Alice Smith' });

/**
 * A slug as a caller names it (appSlug, planSlug): looked up, not checked
 * against the slug pattern, so an unknown one stays "not found"; but never
 * with control characters, which could not reach PostgreSQL.
 */
export const SlugReference = z.string().min(1).max(128).regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE);

export const Email = z.email().max(320);
export const ExternalUserId = z
  .string()
  .min(1)
  .max(256)
  .regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE)
  .refine(isWellFormed, ILL_FORMED_MESSAGE)
  .meta({
    description: "Your app's user id (1–256 characters, no control characters)",
    example: 'user_123',
  });
export const CurrencySchema = z.enum(CURRENCIES).meta({ description: 'ISO 4217 code, lowercase' });
export const IntervalSchema = z.enum(['month', 'year']);
export const MinorUnits = z.number().int().min(0).max(1_000_000_000);

/** Every code an error response can carry: the keys of ERROR_HTTP_STATUS, so the contract lists exactly what the server sends. */
export const ErrorCodeSchema = z
  .enum(Object.keys(ERROR_HTTP_STATUS) as [ErrorCode, ...ErrorCode[]])
  .meta({ id: 'ErrorCode', description: 'What went wrong; the HTTP status follows from it (see the integration guide)' });

export const ErrorResponse = z
  .object({
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string().meta({ description: 'For developers: what went wrong and how to fix the request' }),
      userMessage: z.string().optional().meta({ description: 'Only on errors a subscriber may see: words safe to show them' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every error has this shape' });
