import { zodResolver } from '@hookform/resolvers/zod';
import { CreateOperatorTokenInput, type CreatedOperatorToken, type OperatorTokenView } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { DataTable } from '../components/DataTable.tsx';
import { Dialog, KeyBox } from '../components/Dialog.tsx';
import { Field, FormError, ListState, Page } from '../components/ui.tsx';
import { messageOf } from '../lib/errors.ts';
import { formatDate } from '../lib/format.ts';
import { applyServerError } from '../lib/forms.ts';
import { useCanEdit } from '../lib/me.ts';
import { trpc } from '../trpc.ts';

type CreateForm = { name: string; scope: 'READ_ONLY' | 'READ_WRITE' };
const col = createColumnHelper<OperatorTokenView>();
const SCOPES = { READ_ONLY: 'Read-only', READ_WRITE: 'Read-write' } as const;

function CreateTokenDialog({ onClose }: { onClose: () => void }) {
  const utils = trpc.useUtils();
  const [message, setMessage] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedOperatorToken | null>(null);
  const form = useForm<CreateForm>({ resolver: zodResolver(CreateOperatorTokenInput) as never, defaultValues: { name: '', scope: 'READ_ONLY' } });
  const create = trpc.admin.tokens.create.useMutation();
  const onSubmit = form.handleSubmit(async (values) => {
    setMessage(null);
    try {
      setCreated(await create.mutateAsync(values));
      await utils.admin.tokens.list.invalidate();
    } catch (error) {
      setMessage(applyServerError(error, ['name', 'scope'], form.setError));
    }
  });
  const { errors } = form.formState;
  return (
    <Dialog title="Create API token" onClose={onClose}>
      {created ? (
        <>
          <p>
            Copy the token for <strong>{created.token.name}</strong> now: it is shown this once. Send it as <code>Authorization: Bearer …</code> to
            /api/v1/admin.
          </p>
          <KeyBox apiKey={created.secret} />
          <button type="button" onClick={onClose}>
            Done
          </button>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Field label="Name" id="token-name" error={errors.name}>
            <input id="token-name" {...form.register('name')} />
          </Field>
          <Field label="Scope" id="token-scope" error={errors.scope}>
            <select id="token-scope" {...form.register('scope')}>
              <option value="READ_ONLY">Read-only (lists and figures)</option>
              <option value="READ_WRITE">Read-write (also changes)</option>
            </select>
          </Field>
          <FormError message={message} />
          <button type="submit" disabled={form.formState.isSubmitting}>
            Create token
          </button>
        </form>
      )}
    </Dialog>
  );
}

/** Operator API tokens for the cross-app REST routes: created here (shown once), revoked here; each change audited. */
export function ApiTokensPage() {
  const tokens = trpc.admin.tokens.list.useQuery();
  const utils = trpc.useUtils();
  const canEdit = useCanEdit();
  const [creating, setCreating] = useState(false);
  const revoke = trpc.admin.tokens.revoke.useMutation({ onSuccess: () => utils.admin.tokens.list.invalidate() });
  const columns = [
    col.accessor('name', { header: 'Name' }),
    col.accessor('tokenPrefix', { header: 'Token', cell: (c) => <code>{c.getValue()}…</code> }),
    col.accessor('scope', { header: 'Scope', cell: (c) => SCOPES[c.getValue()] }),
    col.accessor('createdAt', { header: 'Created', cell: (c) => formatDate(c.getValue()) }),
    col.accessor('lastUsedAt', { header: 'Last used', cell: (c) => (c.getValue() ? formatDate(c.getValue()) : 'Never') }),
    col.accessor('revokedAt', {
      header: 'Status',
      cell: (c) =>
        c.getValue() ? (
          <span className="status status-canceled">Revoked {formatDate(c.getValue())}</span>
        ) : (
          <span className="status status-active">Active</span>
        ),
    }),
    col.display({
      id: 'actions',
      header: '',
      cell: ({ row }) =>
        canEdit &&
        !row.original.revokedAt && (
          <button
            type="button"
            className="link"
            disabled={revoke.isPending}
            onClick={() => window.confirm(`Revoke "${row.original.name}"? It stops working at once.`) && revoke.mutate({ id: row.original.id })}
          >
            Revoke
          </button>
        ),
    }),
  ];
  return (
    <Page
      title="API tokens"
      actions={
        canEdit && (
          <button type="button" onClick={() => setCreating(true)}>
            Create API token
          </button>
        )
      }
    >
      <p className="muted">
        Operator tokens open the all-apps REST routes (/api/v1/admin). Read-only tokens can list and read figures; read-write tokens can also make changes.
      </p>
      {revoke.error && <FormError message={messageOf(revoke.error)} />}
      <ListState query={tokens} what="API tokens" empty="No API tokens yet.">
        {(rows) => <DataTable rows={rows} columns={columns} label="API tokens" />}
      </ListState>
      {creating && <CreateTokenDialog onClose={() => setCreating(false)} />}
    </Page>
  );
}
