import { zodResolver } from '@hookform/resolvers/zod';
import type { AdminPlanView } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { DataTable } from '../components/DataTable.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { OtherPriceFields } from '../components/plans/OtherPriceFields.tsx';
import { Field, FormError, ListState, Page } from '../components/ui.tsx';
import { messageOf } from '../lib/errors.ts';
import { formatPrice } from '../lib/format.ts';
import { applyServerError } from '../lib/forms.ts';
import { PLAN_FORM_FIELDS, PlanFormSchema, planFormDefaults, type PlanFormOutput, type PlanFormValues } from '../lib/plan-form.ts';
import { useCanEdit } from '../lib/me.ts';
import { trpc } from '../trpc.ts';

const col = createColumnHelper<AdminPlanView>();
/** The plan's prices, monthly first; its default price when it lists none. */
const pricesOf = (plan: AdminPlanView): AdminPlanView['prices'] =>
  plan.prices.length > 0
    ? plan.prices
    : [{ interval: plan.interval, priceAmount: plan.priceAmount, currency: plan.currency, stripePriceId: plan.stripePriceId }];

function PlanDialog({ plan, onClose }: { plan: AdminPlanView | null; onClose: () => void }) {
  const utils = trpc.useUtils();
  const [message, setMessage] = useState<string | null>(null);
  // The resolver's output is the API's input: the second price in minor units, null when there is none (removing it).
  const form = useForm<PlanFormValues, unknown, PlanFormOutput>({ resolver: zodResolver(PlanFormSchema), defaultValues: planFormDefaults(plan) });
  const create = trpc.admin.plans.create.useMutation();
  const update = trpc.admin.plans.update.useMutation();
  const onSubmit = form.handleSubmit(async (values) => {
    setMessage(null);
    try {
      await (plan ? update : create).mutateAsync(values);
      await utils.admin.plans.list.invalidate();
      onClose();
    } catch (error) {
      setMessage(applyServerError(error, PLAN_FORM_FIELDS, form.setError));
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
        <OtherPriceFields form={form} />
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
      // Every price of the plan, monthly first, each on its line.
      cell: ({ row }) => (
        <span className="stacked">
          {pricesOf(row.original).map((p) => (
            <span key={p.interval}>
              {formatPrice(p.priceAmount, p.currency)} / {p.interval}
            </span>
          ))}
        </span>
      ),
    }),
    col.display({
      id: 'stripePriceId',
      header: 'Stripe Price ID',
      cell: ({ row }) => (
        <span className="stacked">
          {pricesOf(row.original).map((p) => (
            <code key={p.interval}>{p.stripePriceId ?? '—'}</code>
          ))}
        </span>
      ),
    }),
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
