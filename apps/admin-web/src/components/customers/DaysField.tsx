import type { FieldError, UseFormRegisterReturn } from 'react-hook-form';
import { Field } from '../ui.tsx';

/** A whole number of days (Extend, Grant Subscription, Record Payment); `register` is the form's, with valueAsNumber. */
export function DaysField({ id, label, error, register }: { id: string; label: string; error?: FieldError | undefined; register: UseFormRegisterReturn }) {
  return (
    <Field label={label} id={id} error={error}>
      <input id={id} type="number" min={1} inputMode="numeric" {...register} />
    </Field>
  );
}
