import type { AdminInvoiceView, RefundView } from '@aquoris/core/admin-schemas';
import { PAYMENT_METHOD_LABELS } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { formatDate, formatPrice } from '../../lib/format.ts';
import { DataTable } from '../DataTable.tsx';
import { Empty } from '../ui.tsx';
import type { NoticeText } from './Notice.tsx';
import { RefundDialog } from './RefundDialog.tsx';

const col = createColumnHelper<AdminInvoiceView>();
const REFUND_STATUS: Record<RefundView['status'], string> = {
  PENDING: 'Pending (waiting for Stripe)',
  SUCCEEDED: 'Refunded',
  FAILED: 'Failed',
  CANCELED: 'Canceled',
};

function paidWith(i: AdminInvoiceView): string {
  if (i.source === 'ISSUED') return i.status === 'PAID' ? 'Card (payment intent)' : 'Not paid yet';
  if (i.source === 'STRIPE') return i.stripeInvoiceId ? `Stripe ${i.stripeInvoiceId}` : 'Stripe';
  const method = i.paymentMethod ? (PAYMENT_METHOD_LABELS[i.paymentMethod as keyof typeof PAYMENT_METHOD_LABELS] ?? i.paymentMethod) : 'Manual';
  return i.paymentReference ? `${method}, ref. ${i.paymentReference}` : method;
}

function Refunds({ refunds }: { refunds: RefundView[] }) {
  if (refunds.length === 0) return <>—</>;
  return (
    <ul className="refunds">
      {refunds.map((r) => (
        <li key={r.id} data-status={r.status}>
          {formatPrice(r.amount, r.currency)}: {REFUND_STATUS[r.status]}
          {r.reason ? `, “${r.reason}”` : ''} <span className="muted">{formatDate(r.createdAt)}</span>
        </li>
      ))}
    </ul>
  );
}

function InvoiceStatus({ invoice: i }: { invoice: AdminInvoiceView }) {
  const label = i.status.charAt(0) + i.status.slice(1).toLowerCase();
  return (
    <>
      {i.source === 'ISSUED' ? `${label} (issued)` : label}
      {i.status === 'OPEN' && i.dueAt && <span className="muted"> · due {formatDate(i.dueAt)}</span>}
      {i.status === 'OPEN' && i.paymentFailureReason && <span className="field-error">Last payment failed: {i.paymentFailureReason}</span>}
    </>
  );
}

/** The customer's invoices, newest first, each with its refunds; "Refund" on a paid one with something left to refund. */
export function InvoicesTable({ invoices, canEdit, onDone }: { invoices: AdminInvoiceView[]; canEdit: boolean; onDone: (n: NoticeText) => void }) {
  const [refunding, setRefunding] = useState<AdminInvoiceView | null>(null);
  const columns = [
    col.accessor((i) => i.paidAt ?? i.createdAt, { id: 'date', header: 'Date', cell: (c) => formatDate(c.getValue()) }),
    col.accessor((i) => i.description ?? i.plan ?? '—', { id: 'description', header: 'Description' }),
    col.accessor('status', { header: 'Status', cell: (c) => <InvoiceStatus invoice={c.row.original} /> }),
    col.accessor('amount', { header: 'Amount', cell: (c) => formatPrice(c.getValue(), c.row.original.currency) }),
    col.accessor(paidWith, { id: 'paid-with', header: 'Paid with' }),
    col.accessor('refunds', { header: 'Refunds', cell: (c) => <Refunds refunds={c.getValue()} /> }),
    col.display({
      id: 'actions',
      header: '',
      cell: ({ row: { original: i } }) =>
        canEdit &&
        i.status === 'PAID' &&
        i.refundable > 0 && (
          <button type="button" className="link" onClick={() => setRefunding(i)}>
            Refund
          </button>
        ),
    }),
  ];
  return (
    <section className="panel" aria-labelledby="invoices">
      <h2 id="invoices">Invoices</h2>
      {invoices.length === 0 ? (
        <Empty>No invoices yet.</Empty>
      ) : (
        <div className="table-wrap wide">
          <DataTable rows={invoices} columns={columns} label="Invoices" />
        </div>
      )}
      {refunding && <RefundDialog invoice={refunding} onClose={() => setRefunding(null)} onDone={onDone} />}
    </section>
  );
}
