import { zodResolver } from '@hookform/resolvers/zod';
import { CreateAppInput, UpdateAppInput, type AppView } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { AllowedOriginsDialog } from '../components/AllowedOriginsDialog.tsx';
import { Link } from 'react-router';
import { DataTable } from '../components/DataTable.tsx';
import { Dialog, KeyBox } from '../components/Dialog.tsx';
import { Field, FormError, ListState, Page } from '../components/ui.tsx';
import { messageOf } from '../lib/errors.ts';
import { formatDate } from '../lib/format.ts';
import { applyServerError } from '../lib/forms.ts';
import { useCanEdit } from '../lib/me.ts';
import { trpc } from '../trpc.ts';

type AppForm = { slug: string; name: string; returnUrl: string; rateLimitPerMinute: number };
const FIELDS = ['slug', 'name', 'returnUrl', 'rateLimitPerMinute'] as const;
const col = createColumnHelper<AppView>();

function AppFormFields({ form, editing }: { form: ReturnType<typeof useForm<AppForm>>; editing: boolean }) {
  const { errors } = form.formState;
  return (
    <>
      <Field label="Slug" id="app-slug" error={errors.slug}>
        <input id="app-slug" readOnly={editing} {...form.register('slug')} />
      </Field>
      <Field label="Name" id="app-name" error={errors.name}>
        <input id="app-name" {...form.register('name')} />
      </Field>
      <Field label="Return URL" id="app-return-url" error={errors.returnUrl}>
        <input id="app-return-url" type="url" {...form.register('returnUrl')} />
      </Field>
      <Field label="Rate limit (requests/min)" id="app-rate-limit" error={errors.rateLimitPerMinute}>
        <input id="app-rate-limit" type="number" {...form.register('rateLimitPerMinute', { valueAsNumber: true })} />
      </Field>
    </>
  );
}

function AppDialog({ app, onClose }: { app: AppView | null; onClose: () => void }) {
  const utils = trpc.useUtils();
  const [message, setMessage] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const form = useForm<AppForm>({
    resolver: zodResolver(app ? UpdateAppInput : CreateAppInput) as never,
    defaultValues: app
      ? { slug: app.slug, name: app.name, returnUrl: app.returnUrl, rateLimitPerMinute: app.rateLimitPerMinute }
      : { slug: '', name: '', returnUrl: '', rateLimitPerMinute: 100 },
  });
  const create = trpc.admin.apps.create.useMutation();
  const update = trpc.admin.apps.update.useMutation();
  const onSubmit = form.handleSubmit(async (values) => {
    setMessage(null);
    try {
      if (app) await update.mutateAsync(values);
      else setCreated((await create.mutateAsync(values)).apiKey);
      await utils.admin.apps.list.invalidate();
      if (app) onClose();
    } catch (error) {
      setMessage(applyServerError(error, FIELDS, form.setError));
    }
  });
  if (created) {
    return (
      <Dialog title="App created" onClose={onClose}>
        <p>This is the app&apos;s API key. Copy it into the client app&apos;s configuration.</p>
        <KeyBox apiKey={created} />
      </Dialog>
    );
  }
  return (
    <Dialog title={app ? `Edit ${app.slug}` : 'Create app'} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <AppFormFields form={form} editing={Boolean(app)} />
        <FormError message={message} />
        <button type="submit" disabled={form.formState.isSubmitting}>
          {app ? 'Save' : 'Create app'}
        </button>
      </form>
    </Dialog>
  );
}

function KeyDialog({ app, mode, onClose }: { app: AppView; mode: 'reveal' | 'regenerate'; onClose: () => void }) {
  const utils = trpc.useUtils();
  const reveal = trpc.admin.apps.revealKey.useMutation();
  const regenerate = trpc.admin.apps.regenerateKey.useMutation({ onSuccess: () => utils.admin.apps.list.invalidate() });
  const result = mode === 'reveal' ? reveal : regenerate;
  const key = result.data?.apiKey;
  return (
    <Dialog title={mode === 'reveal' ? `API key of ${app.slug}` : `Regenerate the key of ${app.slug}`} onClose={onClose}>
      {key ? (
        <KeyBox apiKey={key} />
      ) : result.error ? (
        <FormError message={messageOf(result.error)} />
      ) : mode === 'regenerate' ? (
        <>
          <p className="warning">The old key stops working at once: every request {app.slug} sends with it is refused from now on.</p>
          <button type="button" className="danger" disabled={regenerate.isPending} onClick={() => regenerate.mutate({ slug: app.slug })}>
            Regenerate key
          </button>
        </>
      ) : (
        <>
          <p>Revealing the key is recorded in the audit log.</p>
          <button type="button" disabled={reveal.isPending} onClick={() => reveal.mutate({ slug: app.slug })}>
            Show key
          </button>
        </>
      )}
    </Dialog>
  );
}

export function AppsPage() {
  const apps = trpc.admin.apps.list.useQuery();
  const canEdit = useCanEdit();
  const [editing, setEditing] = useState<AppView | null | 'new'>(null);
  const [keyAction, setKeyAction] = useState<{ app: AppView; mode: 'reveal' | 'regenerate' } | null>(null);
  const [originsOf, setOriginsOf] = useState<AppView | null>(null);
  const columns = [
    col.accessor('slug', { header: 'Slug' }),
    col.accessor('name', { header: 'Name', cell: (c) => <span className="wrap">{c.getValue()}</span> }),
    col.accessor('returnUrl', { header: 'Return URL', cell: (c) => <span className="wrap">{c.getValue()}</span> }),
    col.accessor('allowedOrigins', {
      header: 'Allowed Origins',
      cell: (c) => <span className="wrap">{c.getValue().length === 0 ? 'None' : c.getValue().join(', ')}</span>,
    }),
    col.accessor('apiKeyPrefix', { header: 'Key prefix', cell: (c) => <code>{c.getValue()}…</code> }),
    col.accessor('rateLimitPerMinute', { header: 'Rate limit', cell: (c) => `${c.getValue()}/min` }),
    col.accessor('createdAt', { header: 'Created', cell: (c) => formatDate(c.getValue()) }),
    col.display({
      id: 'actions',
      header: '',
      cell: ({ row }) =>
        canEdit && (
          <span className="row-actions">
            <button type="button" className="link" onClick={() => setKeyAction({ app: row.original, mode: 'reveal' })}>
              Reveal key
            </button>
            <button type="button" className="link" onClick={() => setKeyAction({ app: row.original, mode: 'regenerate' })}>
              Regenerate key
            </button>
            <button type="button" className="link" onClick={() => setOriginsOf(row.original)}>
              Allowed Origins
            </button>
            <button type="button" className="link" onClick={() => setEditing(row.original)}>
              Edit
            </button>
          </span>
        ),
    }),
    col.display({
      id: 'stripe',
      header: 'Stripe',
      cell: ({ row }) => <Link to={`/apps/${row.original.slug}/stripe`}>Stripe settings</Link>,
    }),
  ];
  return (
    <Page
      title="Apps"
      actions={
        canEdit && (
          <button type="button" onClick={() => setEditing('new')}>
            Create app
          </button>
        )
      }
    >
      <ListState query={apps} what="apps" empty="No apps yet. Create one for each Aquoris app that uses billing.">
        {(rows) => <DataTable rows={rows} columns={columns} label="Apps" />}
      </ListState>
      {editing && <AppDialog app={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {originsOf && <AllowedOriginsDialog app={originsOf} onClose={() => setOriginsOf(null)} />}
      {keyAction && <KeyDialog app={keyAction.app} mode={keyAction.mode} onClose={() => setKeyAction(null)} />}
    </Page>
  );
}
