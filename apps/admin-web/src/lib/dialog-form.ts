import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, type DefaultValues, type FieldValues, type Path } from 'react-hook-form';
import type { z } from 'zod';
import { applyServerError } from './forms.ts';

/**
 * A dialog's form checked by core's own schema before it is sent; a server error lands beside its field
 * (or at the top), and the form keeps what was typed. `submit` resolves when the change is done.
 */
export function useDialogForm<T extends FieldValues>(options: {
  schema: z.ZodType;
  defaults: DefaultValues<T>;
  fields: readonly Path<T>[];
  submit: (values: T) => Promise<unknown>;
}) {
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm<T>({ resolver: zodResolver(options.schema as never) as never, defaultValues: options.defaults });
  const onSubmit = form.handleSubmit(async (values) => {
    setMessage(null);
    try {
      await options.submit(values);
    } catch (error) {
      setMessage(applyServerError(error, options.fields, form.setError));
    }
  });
  return { form, onSubmit, message, errors: form.formState.errors, submitting: form.formState.isSubmitting };
}

/** A random key made once per opened form (crypto.getRandomValues works on plain http too, unlike randomUUID). */
export function newFormKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `form-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
