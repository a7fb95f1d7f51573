import { zodResolver } from '@hookform/resolvers/zod';
import { ChangeOwnPasswordInput, CreateAdminInput, type AdminView } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { DataTable } from '../components/DataTable.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { Field, FormError, ListState, Page } from '../components/ui.tsx';
import { messageOf } from '../lib/errors.ts';
import { formatDate } from '../lib/format.ts';
import { applyServerError } from '../lib/forms.ts';
import { useCanEdit, useMe } from '../lib/me.ts';
import { trpc } from '../trpc.ts';

type CreateForm = { email: string; name: string; password: string; role: 'ADMIN' | 'VIEWER' };
type PasswordForm = { currentPassword: string; newPassword: string };
const col = createColumnHelper<AdminView>();

function CreateAdminDialog({ onClose }: { onClose: () => void }) {
  const utils = trpc.useUtils();
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm<CreateForm>({ resolver: zodResolver(CreateAdminInput) as never, defaultValues: { email: '', name: '', password: '', role: 'ADMIN' } });
  const create = trpc.admin.admins.create.useMutation();
  const onSubmit = form.handleSubmit(async (values) => {
    setMessage(null);
    try {
      await create.mutateAsync(values);
      await utils.admin.admins.list.invalidate();
      onClose();
    } catch (error) {
      setMessage(applyServerError(error, ['email', 'name', 'password', 'role'], form.setError));
    }
  });
  const { errors } = form.formState;
  return (
    <Dialog title="Create admin" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <Field label="Email" id="admin-email" error={errors.email}>
          <input id="admin-email" type="email" {...form.register('email')} />
        </Field>
        <Field label="Name" id="admin-name" error={errors.name}>
          <input id="admin-name" {...form.register('name')} />
        </Field>
        <Field label="Password" id="admin-password" error={errors.password}>
          <input id="admin-password" type="password" autoComplete="new-password" {...form.register('password')} />
        </Field>
        <Field label="Role" id="admin-role" error={errors.role}>
          <select id="admin-role" {...form.register('role')}>
            <option value="ADMIN">ADMIN (everything)</option>
            <option value="VIEWER">VIEWER (read-only)</option>
          </select>
        </Field>
        <FormError message={message} />
        <button type="submit" disabled={form.formState.isSubmitting}>
          Create admin
        </button>
      </form>
    </Dialog>
  );
}

function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const form = useForm<PasswordForm>({ resolver: zodResolver(ChangeOwnPasswordInput) as never, defaultValues: { currentPassword: '', newPassword: '' } });
  const change = trpc.admin.auth.changePassword.useMutation();
  const onSubmit = form.handleSubmit(async (values) => {
    setMessage(null);
    try {
      await change.mutateAsync(values);
      setDone(true);
    } catch (error) {
      setMessage(applyServerError(error, ['currentPassword', 'newPassword'], form.setError));
    }
  });
  const { errors } = form.formState;
  return (
    <Dialog title="Change password" onClose={onClose}>
      {done ? (
        <p>Password changed. Your other sessions have been signed out.</p>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Field label="Current password" id="current-password" error={errors.currentPassword}>
            <input id="current-password" type="password" autoComplete="current-password" {...form.register('currentPassword')} />
          </Field>
          <Field label="New password" id="new-password" error={errors.newPassword}>
            <input id="new-password" type="password" autoComplete="new-password" {...form.register('newPassword')} />
          </Field>
          <FormError message={message} />
          <button type="submit" disabled={form.formState.isSubmitting}>
            Change password
          </button>
        </form>
      )}
    </Dialog>
  );
}

export function AdminsPage() {
  const admins = trpc.admin.admins.list.useQuery();
  const utils = trpc.useUtils();
  const me = useMe();
  const canEdit = useCanEdit();
  const [dialog, setDialog] = useState<'create' | 'password' | null>(null);
  const deactivate = trpc.admin.admins.deactivate.useMutation({ onSuccess: () => utils.admin.admins.list.invalidate() });
  const columns = [
    col.accessor('email', { header: 'Email' }),
    col.accessor('name', { header: 'Name' }),
    col.accessor('role', { header: 'Role' }),
    col.accessor('active', { header: 'Status', cell: (c) => (c.getValue() ? 'Active' : 'Deactivated') }),
    col.accessor('lastLoginAt', { header: 'Last sign-in', cell: (c) => formatDate(c.getValue()) }),
    col.display({
      id: 'actions',
      header: '',
      cell: ({ row }) =>
        canEdit &&
        row.original.active &&
        row.original.id !== me.id && (
          <button
            type="button"
            className="link"
            disabled={deactivate.isPending}
            onClick={() => window.confirm(`Deactivate ${row.original.email}? Their sessions end at once.`) && deactivate.mutate({ id: row.original.id })}
          >
            Deactivate
          </button>
        ),
    }),
  ];
  return (
    <Page
      title="Admins"
      actions={
        <span className="row-actions">
          <button type="button" onClick={() => setDialog('password')}>
            Change password
          </button>
          {canEdit && (
            <button type="button" onClick={() => setDialog('create')}>
              Create admin
            </button>
          )}
        </span>
      }
    >
      {deactivate.error && <FormError message={messageOf(deactivate.error)} />}
      <ListState query={admins} what="admins" empty="No admins.">
        {(rows) => <DataTable rows={rows} columns={columns} label="Admins" />}
      </ListState>
      {dialog === 'create' && <CreateAdminDialog onClose={() => setDialog(null)} />}
      {dialog === 'password' && <ChangePasswordDialog onClose={() => setDialog(null)} />}
    </Page>
  );
}
