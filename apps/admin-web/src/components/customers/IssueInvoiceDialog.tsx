import { IssueInvoiceInput } from '@aquoris/core/admin-schemas';
import { useState } from 'react';
import { newFormKey, useDialogForm } from '../../lib/dialog-form.ts';
import { formatDate, formatPrice } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';
import { Dialog } from '../Dialog.tsx';
import { Field, FormError } from '../ui.tsx';
import { useRefreshAfterChange, type NoticeText } from './Notice.tsx';

type IssueForm = { customerId: string; idempotencyKey: string; amount: string; currency: 'thb' | 'usd'; description: string; dueDate: string };
const FIELDS = ['amount', 'currency', 'description', 'dueDate'] as const;

/**
 * "Issue invoice": an amount the customer owes, open until they pay it by card ("Pay now" on their billing page).
 * One key per opened form, so the same form sent twice issues one invoice.
 */
export function IssueInvoiceDialog({ customerId, onClose, onDone }: { customerId: string; onClose: () => void; onDone: (n: NoticeText) => void }) {
  const [idempotencyKey] = useState(newFormKey);
  const refresh = useRefreshAfterChange();
  const issue = trpc.admin.customers.issueInvoice.useMutation();
  const { form, onSubmit, message, errors, submitting } = useDialogForm<IssueForm>({
    schema: IssueInvoiceInput,
    defaults: { customerId, idempotencyKey, amount: '', currency: 'thb', description: '', dueDate: '' },
    fields: FIELDS,
    submit: async (values) => {
      const done = await issue.mutateAsync(values);
      await refresh();
      onDone({ kind: 'done', text: `Invoice of ${formatPrice(done.amount, done.currency)} issued; payment is due by ${formatDate(done.dueAt)}.` });
      onClose();
    },
  });
  return (
    <Dialog title="Issue invoice" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <div className="field-row">
          <Field label="Amount" id="issue-amount" error={errors.amount}>
            <input id="issue-amount" inputMode="decimal" placeholder="1,500.00" autoComplete="off" {...form.register('amount')} />
          </Field>
          <Field label="Currency" id="issue-currency" error={errors.currency}>
            <select id="issue-currency" {...form.register('currency')}>
              <option value="thb">THB</option>
              <option value="usd">USD</option>
            </select>
          </Field>
        </div>
        <Field label="Description" id="issue-description" error={errors.description}>
          <input id="issue-description" autoComplete="off" {...form.register('description')} />
        </Field>
        <Field label="Due date" id="issue-due" error={errors.dueDate}>
          <input id="issue-due" type="date" {...form.register('dueDate')} />
        </Field>
        <FormError message={message} />
        <div className="dialog-actions">
          <button type="submit" disabled={submitting}>
            Issue invoice
          </button>
        </div>
      </form>
    </Dialog>
  );
}
