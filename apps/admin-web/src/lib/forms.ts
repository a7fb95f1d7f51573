import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { fieldErrorsOf, messageOf } from './errors.ts';

/**
 * Puts a server error beside the field it concerns (the formatter's fieldErrors, keyed by the input's paths);
 * what names no known field is returned as the form-level message. The form keeps what was typed.
 */
export function applyServerError<T extends FieldValues>(error: unknown, fields: readonly Path<T>[], setError: UseFormSetError<T>): string | null {
  const byField = fieldErrorsOf(error);
  let placed = false;
  for (const [path, message] of Object.entries(byField)) {
    if ((fields as readonly string[]).includes(path)) {
      setError(path as Path<T>, { type: 'server', message });
      placed = true;
    }
  }
  return placed && Object.keys(byField).every((p) => (fields as readonly string[]).includes(p)) ? null : messageOf(error);
}
