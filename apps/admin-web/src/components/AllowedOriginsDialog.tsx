import { zodResolver } from '@hookform/resolvers/zod';
import { AllowedOrigin, type AppView } from '@aquoris/core/admin-schemas';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { fieldErrorsOf, messageOf } from '../lib/errors.ts';
import { trpc } from '../trpc.ts';
import { Dialog } from './Dialog.tsx';
import { Empty, Field, FormError } from './ui.tsx';

const AddForm = z.strictObject({ origin: AllowedOrigin });
type AddForm = z.infer<typeof AddForm>;

/**
 * The app's Allowed Origins: where success, cancel and return URLs may send users back to. Each add
 * or remove is one audited change; the server's canonical spelling is what the list shows.
 */
export function AllowedOriginsDialog({ app, onClose }: { app: AppView; onClose: () => void }) {
  const utils = trpc.useUtils();
  const [origins, setOrigins] = useState(app.allowedOrigins);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const change = trpc.admin.apps.changeAllowedOrigins.useMutation({
    onSuccess: (saved) => (setOrigins(saved.allowedOrigins), utils.admin.apps.list.invalidate()),
  });
  const form = useForm<AddForm>({ resolver: zodResolver(AddForm) as never, defaultValues: { origin: '' } });
  const onSubmit = form.handleSubmit(async ({ origin }) => {
    setMessage(null);
    try {
      await change.mutateAsync({ slug: app.slug, add: [origin] });
      form.reset({ origin: '' });
    } catch (error) {
      // The server names the field `add` (or `add.0`): it is this form's one input.
      const beside = Object.entries(fieldErrorsOf(error)).find(([field]) => field === 'add' || field.startsWith('add.'));
      if (beside) form.setError('origin', { type: 'server', message: beside[1] });
      else setMessage(messageOf(error));
    }
  });
  const remove = async (origin: string) => {
    setRemoveError(null);
    try {
      await change.mutateAsync({ slug: app.slug, remove: [origin] });
    } catch (error) {
      setRemoveError(messageOf(error));
    }
  };
  return (
    <Dialog title={`Allowed Origins of ${app.slug}`} onClose={onClose}>
      <p>
        Success, cancel and return URLs must be on one of these origins. Use an exact origin (<code>https://app.example.com</code>) or a wildcard for its
        subdomains (<code>https://*.example.com</code>, which does not include <code>example.com</code> itself). http://localhost works outside production
        without being listed.
      </p>
      {origins.length === 0 ? (
        <Empty>No allowed origins: every redirect of this app is refused until one is added.</Empty>
      ) : (
        <ul className="origin-list" aria-label="Allowed Origins">
          {origins.map((origin) => (
            <li key={origin}>
              <code>{origin}</code>{' '}
              <button type="button" className="link" disabled={change.isPending} onClick={() => void remove(origin)} aria-label={`Remove ${origin}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormError message={removeError} />
      <form onSubmit={onSubmit} noValidate>
        <Field label="Origin" id="allowed-origin" error={form.formState.errors.origin}>
          <input id="allowed-origin" placeholder="https://app.example.com" {...form.register('origin')} />
        </Field>
        <FormError message={message} />
        <button type="submit" disabled={form.formState.isSubmitting}>
          Add origin
        </button>
      </form>
    </Dialog>
  );
}
