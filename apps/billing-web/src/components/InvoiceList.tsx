import { usePayInvoice, useInvoices } from '../api.ts';
import { describeError } from '../lib/errors.ts';
import { formatMoney, formatPeriod, formatShortDate } from '../lib/format.ts';
import { LEAVING, useSingleFlight } from '../lib/hooks.ts';
import { leaveTo } from '../lib/leave.ts';
import { useLocation } from '../lib/router.tsx';
import type { Tone } from '../lib/status.ts';
import type { BillingInvoice } from '../lib/types.ts';
import { Badge, Button, ErrorBox, Skeleton } from './ui.tsx';

const STATUS: Record<BillingInvoice['status'], { label: string; tone: Tone }> = {
  PAID: { label: 'Paid', tone: 'success' },
  OPEN: { label: 'Due', tone: 'warning' },
  DRAFT: { label: 'Draft', tone: 'neutral' },
  VOID: { label: 'Void', tone: 'neutral' },
  UNCOLLECTIBLE: { label: 'Unpaid', tone: 'danger' },
};

export function invoiceStatus(invoice: BillingInvoice): { label: string; tone: Tone } {
  if (invoice.amountRefunded > 0 && invoice.status === 'PAID') {
    return invoice.amountRefunded >= invoice.amount ? { label: 'Refunded', tone: 'neutral' } : { label: 'Partly refunded', tone: 'info' };
  }
  return STATUS[invoice.status];
}

/** An open invoice the subscriber can pay by card: one issued to them, or a Stripe invoice whose payment failed. */
const isPayable = (invoice: BillingInvoice) => invoice.status === 'OPEN' && invoice.source !== 'MANUAL';

/** Invoice history: Stripe invoices and manual (bank transfer) ones alike; open ones with "Pay now". */
export function InvoiceList() {
  const { query: params } = useLocation();
  // Back from the card page (?paid=<invoice>): until the webhook has marked it paid, look again each second.
  const paidId = params.get('paid');
  const awaiting = params.get('redirect_status') === 'succeeded' && paidId !== null;
  const query = useInvoices(awaiting);
  const stillOpen = awaiting && query.data?.invoices.some((i) => i.id === paidId && i.status === 'OPEN');
  return (
    <section className="card" aria-labelledby="invoices-heading" aria-busy={query.isPending}>
      <h2 id="invoices-heading" className="card-title">
        Invoice history
      </h2>
      {query.isPending ? (
        <InvoiceSkeleton />
      ) : query.error ? (
        <ErrorBox
          title="We couldn't load your invoices"
          message={describeError(query.error)}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : query.data.invoices.length === 0 ? (
        <p className="empty">No invoices yet. They appear here after your first payment.</p>
      ) : (
        <>
          {stillOpen && (
            <p className="notice-inline" role="status">
              Payment received. The invoice is marked paid in a moment.
            </p>
          )}
          <table className="invoices">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Description</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Documents</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {query.data.invoices.map((invoice) => (
                <InvoiceRow key={invoice.id} invoice={invoice} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

export function InvoiceSkeleton() {
  return (
    <div className="invoice-skeleton">
      {[0, 1, 2].map((i) => (
        <Skeleton key={i} height="2.5rem" />
      ))}
    </div>
  );
}

function PayNow({ invoice, date }: { invoice: BillingInvoice; date: string }) {
  const pay = usePayInvoice();
  const action = useSingleFlight(async () => {
    const { url } = await pay.mutateAsync({ invoiceId: invoice.id });
    leaveTo(url);
    return LEAVING;
  });
  return (
    <>
      <Button variant="primary" onClick={() => void action.run()} pending={action.pending} pendingLabel="Opening…">
        Pay now
        <span className="visually-hidden">
          {' '}
          {formatMoney(invoice.amount, invoice.currency)} for the invoice from {date}
        </span>
      </Button>
      {pay.error && (
        <span className="field-error" role="alert">
          {describeError(pay.error)}
        </span>
      )}
    </>
  );
}

function InvoiceRow({ invoice }: { invoice: BillingInvoice }) {
  const status = invoiceStatus(invoice);
  const date = formatShortDate(invoice.createdAt);
  const payable = isPayable(invoice);
  return (
    <tr>
      <td data-label="Date">{date}</td>
      <td data-label="Description">
        {invoice.description}
        {invoice.source === 'MANUAL' && <span className="tag">Manual</span>}
        {invoice.source === 'ISSUED' && <span className="tag">Invoice</span>}
        {invoice.periodStart && invoice.periodEnd && <span className="sub">{formatPeriod(invoice.periodStart, invoice.periodEnd)}</span>}
      </td>
      <td data-label="Amount" className="num">
        {formatMoney(invoice.amount, invoice.currency)}
        {invoice.amountRefunded > 0 && <span className="sub">{formatMoney(invoice.amountRefunded, invoice.currency)} refunded</span>}
      </td>
      <td data-label="Status">
        <Badge tone={status.tone}>{status.label}</Badge>
        {invoice.status === 'OPEN' && invoice.dueAt && <span className="sub">Due {formatShortDate(invoice.dueAt)}</span>}
        {invoice.status === 'OPEN' && invoice.paymentFailureReason && <span className="sub failure">Last payment failed: {invoice.paymentFailureReason}</span>}
      </td>
      <td className="docs">
        {payable && <PayNow invoice={invoice} date={date} />}
        {invoice.hostedInvoiceUrl && (
          <a href={invoice.hostedInvoiceUrl} target="_blank" rel="noopener noreferrer">
            {invoice.status === 'OPEN' && !payable ? 'Pay invoice' : 'View invoice'}
            <span className="visually-hidden"> from {date} (opens in a new tab)</span>
          </a>
        )}
        {invoice.invoicePdfUrl && (
          <a href={invoice.invoicePdfUrl} target="_blank" rel="noopener noreferrer">
            PDF<span className="visually-hidden"> of the invoice from {date} (opens in a new tab)</span>
          </a>
        )}
        {!invoice.hostedInvoiceUrl && !invoice.invoicePdfUrl && !payable && <span className="muted">No document</span>}
      </td>
    </tr>
  );
}
