import { zodResolver } from '@hookform/resolvers/zod';
import { AdminCreatePlanInput, type AdminPlanView } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { DataTable } from '../components/DataTable.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { Field, FormError, ListState, Page } from '../components/ui.tsx';
import { messageOf } from '../lib/errors.ts';
import { formatPrice } from '../lib/format.ts';
import { applyServerError } from '../lib/forms.ts';
import { useCanEdit } from '../lib/me.ts';
import { trpc } from '../trpc.ts';

type PlanForm = { slug: string; name: string; priceAmount: number; currency: 'thb' | 'usd'; interval: 'month' | 'year'; stripePriceId: string | null };
const FIELDS = ['slug', 'name', 'priceAmount', 'currency', 'interval', 'stripePriceId'] as const;
const col = createColumnHelper<AdminPlanView>();

function PlanDialog({ plan, onClose }: { plan: AdminPlanView | null; onClose: () => void }) {
  const utils = trpc.useUtils();
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm<PlanForm>({
    resolver: zodResolver(AdminCreatePlanInput) as never,
    defaultValues: plan
      ? { slug: plan.slug, name: plan.name, priceAmount: plan.priceAmount, currency: plan.currency, interval: plan.interval, stripePriceId: plan.stripePriceId }
      : { slug: '', name: '', priceAmount: 0, currency: 'thb', interval: 'month', stripePriceId: null },
  });
  const create = trpc.admin.plans.create.useMutation();
  const update = trpc.admin.plans.update.useMutation();
  const onSubmit = form.handleSubmit(async (values) => {
    setMessage(null);
    try {
      await (plan ? update : create).mutateAsync(values);
      await utils.admin.plans.list.invalidate();
      onClose();
    } catch (error) {
      setMessage(applyServerError(error, FIELDS, form.setError));
    }
  });
  const { errors } = form.formState;
  return (
    <Dialog title={plan ? `Edit ${plan.slug}` : 'Create plan'} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <Field label="Slug" id="plan-slug" error={errors.slug}>
          <input id="plan-slug" readOnly={Boolean(plan)} {...form.register('slug')} />
        </Field>
        <Field label="Name" id="plan-name" error={errors.name}>
          <input id="plan-name" {...form.register('name')} />
        </Field>
        <Field label="Price (cents)" id="plan-price" error={errors.priceAmount}>
          <input id="plan-price" type="number" {...form.register('priceAmount', { valueAsNumber: true })} />
        </Field>
        <Field label="Currency" id="plan-currency" error={errors.currency}>
          <select id="plan-currency" {...form.register('currency')}>
            <option value="thb">THB</option>
            <option value="usd">USD</option>
          </select>
        </Field>
        <Field label="Interval" id="plan-interval" error={errors.interval}>
          <select id="plan-interval" {...form.register('interval')}>
            <option value="month">month</option>
            <option value="year">year</option>
          </select>
        </Field>
        <Field label="Stripe Price ID" id="plan-stripe-price" error={errors.stripePriceId}>
          <input
            id="plan-stripe-price"
            placeholder="price_… (empty for a free plan)"
            {...form.register('stripePriceId', { setValueAs: (v: string | null) => (v ? v : null) })}
          />
        </Field>
        <FormError message={message} />
        <button type="submit" disabled={form.formState.isSubmitting}>
          {plan ? 'Save' : 'Create plan'}
        </button>
      </form>
    </Dialog>
  );
}

export function PlansPage() {
  const plans = trpc.admin.plans.list.useQuery();
  const utils = trpc.useUtils();
  const canEdit = useCanEdit();
  const [editing, setEditing] = useState<AdminPlanView | null | 'new'>(null);
  const setActive = trpc.admin.plans.setActive.useMutation({ onSuccess: () => utils.admin.plans.list.invalidate() });
  const columns = [
    col.accessor('slug', { header: 'Slug' }),
    col.accessor('name', { header: 'Name' }),
    col.display({
      id: 'price',
      header: 'Price',
      cell: ({ row }) => `${formatPrice(row.original.priceAmount, row.original.currency)} / ${row.original.interval}`,
    }),
    col.accessor('stripePriceId', { header: 'Stripe Price ID', cell: (c) => <code>{c.getValue() ?? '—'}</code> }),
    col.accessor('active', { header: 'Status', cell: (c) => (c.getValue() ? 'Active' : 'Inactive') }),
    col.display({
      id: 'actions',
      header: '',
      cell: ({ row }) =>
        canEdit && (
          <span className="row-actions">
            <button type="button" className="link" onClick={() => setEditing(row.original)}>
              Edit
            </button>
            <button
              type="button"
              className="link"
              disabled={setActive.isPending}
              onClick={() => setActive.mutate({ slug: row.original.slug, active: !row.original.active })}
            >
              {row.original.active ? 'Deactivate' : 'Reactivate'}
            </button>
          </span>
        ),
    }),
  ];
  return (
    <Page
      title="Plans"
      actions={
        canEdit && (
          <button type="button" onClick={() => setEditing('new')}>
            Create plan
          </button>
        )
      }
    >
      {setActive.error && <FormError message={messageOf(setActive.error)} />}
      <ListState query={plans} what="plans" empty="No plans yet.">
        {(rows) => <DataTable rows={rows} columns={columns} label="Plans" />}
      </ListState>
      {editing && <PlanDialog plan={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Page>
  );
}
