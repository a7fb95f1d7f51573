import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS, RecordPaymentInput } from '@aquoris/core/admin-schemas';
import { useState } from 'react';
import { newFormKey, useDialogForm } from '../../lib/dialog-form.ts';
import { formatDate, formatPrice } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';
import { Dialog } from '../Dialog.tsx';
import { Field, FormError } from '../ui.tsx';
import { useRefreshAfterChange, type NoticeText } from './Notice.tsx';
import { PlanSelect } from './PlanSelect.tsx';
import { DaysField } from './DaysField.tsx';

type PaymentForm = {
  customerId: string;
  idempotencyKey: string;
  amount: string;
  currency: 'thb' | 'usd';
  paymentMethod: (typeof PAYMENT_METHODS)[number];
  reference: string;
  planSlug: string;
  days: number;
};
const FIELDS = ['amount', 'currency', 'paymentMethod', 'reference', 'planSlug', 'days'] as const;

/**
 * "Record Payment": money received outside Stripe. One key per opened form, so the same form sent twice
 * (a double click, a retry after a lost answer) records one payment.
 */
export function RecordPaymentDialog({ customerId, onClose, onDone }: { customerId: string; onClose: () => void; onDone: (n: NoticeText) => void }) {
  const [idempotencyKey] = useState(newFormKey);
  const refresh = useRefreshAfterChange();
  const record = trpc.admin.customers.recordPayment.useMutation();
  const { form, onSubmit, message, errors, submitting } = useDialogForm<PaymentForm>({
    schema: RecordPaymentInput,
    defaults: { customerId, idempotencyKey, amount: '', currency: 'thb', paymentMethod: 'bank_transfer', reference: '', planSlug: '' },
    fields: FIELDS,
    submit: async (values) => {
      const done = await record.mutateAsync(values);
      await refresh();
      onDone({
        kind: 'done',
        text: `Payment of ${formatPrice(done.amount, done.currency)} recorded; the subscription runs until ${formatDate(done.currentPeriodEnd)}.`,
      });
      onClose();
    },
  });
  return (
    <Dialog title="Record Payment" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <div className="field-row">
          <Field label="Amount" id="payment-amount" error={errors.amount}>
            <input id="payment-amount" inputMode="decimal" placeholder="299.00" autoComplete="off" {...form.register('amount')} />
          </Field>
          <Field label="Currency" id="payment-currency" error={errors.currency}>
            <select id="payment-currency" {...form.register('currency')}>
              <option value="thb">THB</option>
              <option value="usd">USD</option>
            </select>
          </Field>
        </div>
        <Field label="Payment method" id="payment-method" error={errors.paymentMethod}>
          <select id="payment-method" {...form.register('paymentMethod')}>
            {PAYMENT_METHODS.map((m) => (
              <option key={m} value={m}>
                {PAYMENT_METHOD_LABELS[m]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Reference number" id="payment-reference" error={errors.reference}>
          <input id="payment-reference" autoComplete="off" {...form.register('reference')} />
        </Field>
        <Field label="Plan" id="payment-plan" error={errors.planSlug}>
          <PlanSelect id="payment-plan" register={form.register('planSlug')} />
        </Field>
        <DaysField label="Duration (days)" id="payment-days" error={errors.days} register={form.register('days', { valueAsNumber: true })} />
        <FormError message={message} />
        <div className="dialog-actions">
          <button type="submit" disabled={submitting}>
            Record Payment
          </button>
        </div>
      </form>
    </Dialog>
  );
}
