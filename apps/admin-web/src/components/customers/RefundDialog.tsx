import { RefundFormInput, toMajorUnitsText, type AdminInvoiceView } from '@aquoris/core/admin-schemas';
import { useDialogForm } from '../../lib/dialog-form.ts';
import { formatPrice } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';
import { Dialog } from '../Dialog.tsx';
import { Field, FormError } from '../ui.tsx';
import { useRefreshAfterChange, type NoticeText } from './Notice.tsx';

type RefundForm = { invoiceId: string; amount: string; reason: string; cancelSubscription: boolean };

/**
 * "Refund" on a paid invoice: the amount in major units (the refundable remainder to start with), a reason,
 * and "Also cancel subscription immediately". A Stripe refund stays pending until charge.refunded confirms it.
 */
export function RefundDialog({ invoice, onClose, onDone }: { invoice: AdminInvoiceView; onClose: () => void; onDone: (n: NoticeText) => void }) {
  const refresh = useRefreshAfterChange();
  const refund = trpc.admin.customers.refund.useMutation();
  const stripe = invoice.source === 'STRIPE';
  const { form, onSubmit, message, errors, submitting } = useDialogForm<RefundForm>({
    schema: RefundFormInput,
    defaults: { invoiceId: invoice.id, amount: toMajorUnitsText(invoice.refundable, invoice.currency), reason: '', cancelSubscription: false },
    fields: ['amount', 'reason', 'cancelSubscription'],
    submit: async ({ reason, ...values }) => {
      const done = await refund.mutateAsync({ ...values, ...(reason.trim() ? { reason } : {}) });
      await refresh();
      const amount = formatPrice(done.refund.amount, done.refund.currency);
      const status = done.refund.status === 'PENDING' ? 'sent to Stripe; it shows as pending until Stripe confirms it' : 'recorded';
      onDone(done.warning ? { kind: 'warning', text: done.warning } : { kind: 'done', text: `Refund of ${amount} ${status}.` });
      onClose();
    },
  });
  return (
    <Dialog title="Refund" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <p className="muted">
          {invoice.description ?? 'Invoice'}: paid {formatPrice(invoice.amountPaid, invoice.currency)}, refundable{' '}
          {formatPrice(invoice.refundable, invoice.currency)}.{' '}
          {stripe ? 'The money goes back through Stripe.' : 'A manual invoice: this records the refund in the books; pay the money back yourself.'}
        </p>
        <Field label="Amount" id="refund-amount" error={errors.amount}>
          <span className="money">
            <input id="refund-amount" inputMode="decimal" autoComplete="off" {...form.register('amount')} />
            <span className="muted">{invoice.currency.toUpperCase()}</span>
          </span>
        </Field>
        <Field label="Reason" id="refund-reason" error={errors.reason}>
          <input id="refund-reason" {...form.register('reason')} />
        </Field>
        <div className="check">
          <input id="refund-cancel" type="checkbox" {...form.register('cancelSubscription')} />
          <label htmlFor="refund-cancel">Also cancel subscription immediately</label>
        </div>
        <FormError message={message} />
        <div className="dialog-actions">
          <button type="submit" className="danger" disabled={submitting}>
            Refund
          </button>
        </div>
      </form>
    </Dialog>
  );
}
