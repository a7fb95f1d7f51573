import type { CustomerDetail } from '@aquoris/core/admin-schemas';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { AuditTable } from '../components/customers/AuditTable.tsx';
import { GrantDialog } from '../components/customers/GrantDialog.tsx';
import { InvoicesTable } from '../components/customers/InvoicesTable.tsx';
import { IssueInvoiceDialog } from '../components/customers/IssueInvoiceDialog.tsx';
import { RecordPaymentDialog } from '../components/customers/RecordPaymentDialog.tsx';
import { SubscriptionsTable } from '../components/customers/SubscriptionsTable.tsx';
import { Notice, type NoticeText } from '../components/customers/Notice.tsx';
import { WalletPanel } from '../components/customers/WalletPanel.tsx';
import { ErrorState, Loading, Page } from '../components/ui.tsx';
import { appCodeOf } from '../lib/errors.ts';
import { formatDate } from '../lib/format.ts';
import { useCanEdit } from '../lib/me.ts';
import { trpc } from '../trpc.ts';
import '../components/customers/customers.css';

/** While a Stripe refund waits for charge.refunded, the page looks again this often. */
const PENDING_POLL_MS = 1_500;

const hasPendingRefund = (detail: CustomerDetail | undefined) => Boolean(detail?.invoices.some((i) => i.refunds.some((r) => r.status === 'PENDING')));

function Profile({ customer }: { customer: CustomerDetail['customer'] }) {
  const rows: [string, string][] = [
    ['External user id', customer.externalUserId],
    ['Email', customer.email ?? '—'],
    ['Name', customer.name ?? '—'],
    ['App', `${customer.appName} (${customer.app})`],
    ['Stripe customer', customer.stripeCustomerId ?? '—'],
    ['Customer id', customer.id],
    ['Created', formatDate(customer.createdAt)],
  ];
  return (
    <section className="panel" aria-label="Profile">
      <dl className="profile">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** One customer: profile and app, current and past subscriptions, invoices with their refunds, its audit entries, and the operator's actions. */
export function CustomerDetailPage() {
  const { customerId = '' } = useParams();
  const canEdit = useCanEdit();
  const [dialog, setDialog] = useState<'grant' | 'payment' | 'invoice' | null>(null);
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const detail = trpc.admin.customers.get.useQuery({ customerId }, { refetchInterval: (q) => (hasPendingRefund(q.state.data) ? PENDING_POLL_MS : false) });

  if (detail.isPending) return <Loading what="the customer" />;
  if (detail.error) {
    return (
      <Page title={appCodeOf(detail.error) === 'CUSTOMER_NOT_FOUND' ? 'Customer not found' : 'Customer'}>
        <ErrorState error={detail.error} retry={() => void detail.refetch()} />
        <p>
          <Link to="/customers">Back to Customers</Link>
        </p>
      </Page>
    );
  }
  const { customer } = detail.data;
  const title = customer.name ?? customer.email ?? customer.externalUserId;
  return (
    <Page
      title={title}
      actions={
        canEdit && (
          <span className="row-actions">
            <button type="button" onClick={() => setDialog('grant')}>
              Grant Subscription
            </button>
            <button type="button" onClick={() => setDialog('payment')}>
              Record Payment
            </button>
            <button type="button" onClick={() => setDialog('invoice')}>
              Issue invoice
            </button>
          </span>
        )
      }
    >
      <p className="crumbs">
        <Link to="/customers">Customers</Link> / {customer.externalUserId}
      </p>
      {notice && <Notice notice={notice} onDismiss={() => setNotice(null)} />}
      <Profile customer={customer} />
      <SubscriptionsTable subscriptions={detail.data.subscriptions} canEdit={canEdit} onDone={setNotice} />
      <InvoicesTable invoices={detail.data.invoices} canEdit={canEdit} onDone={setNotice} />
      <WalletPanel customerId={customer.id} canEdit={canEdit} onDone={setNotice} />
      <AuditTable entries={detail.data.audit} />
      {dialog === 'grant' && <GrantDialog customerId={customer.id} onClose={() => setDialog(null)} onDone={setNotice} />}
      {dialog === 'invoice' && <IssueInvoiceDialog customerId={customer.id} onClose={() => setDialog(null)} onDone={setNotice} />}
      {dialog === 'payment' && <RecordPaymentDialog customerId={customer.id} onClose={() => setDialog(null)} onDone={setNotice} />}
    </Page>
  );
}
