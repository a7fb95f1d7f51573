import type { z } from 'zod';
import { AppError } from './errors.ts';

/**
 * A schema issue as zod reports it, or as any Standard Schema validator does (what tRPC's input
 * parser throws): a message, a path, and for zod a code (with the unknown keys).
 */
export interface IssueLike {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  readonly code?: string;
  readonly keys?: readonly string[];
}

/** One readable sentence from zod issues: "user.email: Invalid email address; name: Too big". */
export function describeIssues(issues: readonly (z.core.$ZodIssue | IssueLike)[]): string {
  return issues
    .slice(0, 5)
    .map((issue: IssueLike) => {
      const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
      if (issue.code === 'unrecognized_keys' && issue.keys) {
        const keys = issue.keys.join(', ');
        return `${path ? `${path}: ` : ''}unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`;
      }
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Each issue's message keyed by its field path ("user.email"), the first per field: what a form shows
 * beside the field. Issues about the whole object (unknown keys, no path) are keyed "".
 */
export function fieldErrorsOf(issues: readonly (z.core.$ZodIssue | IssueLike)[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues as readonly IssueLike[]) {
    const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
    const message =
      issue.code === 'unrecognized_keys' && issue.keys ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message;
    fields[path] ??= message;
  }
  return fields;
}

/** Parses untrusted input with a contract schema; failures become VALIDATION_ERROR (422), with the message per field in `details.fields`. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('VALIDATION_ERROR', describeIssues(result.error.issues), { details: { fields: fieldErrorsOf(result.error.issues) } });
  return result.data;
}

/** A core rule about one field of a form (after its schema passed): VALIDATION_ERROR with the message beside that field. */
export function invalidField(field: string, message: string): AppError {
  return new AppError('VALIDATION_ERROR', `${field}: ${message}`, { details: { fields: { [field]: message } } });
}
