import { CurrentPlan } from '../components/CurrentPlan.tsx';
import { InvoiceList } from '../components/InvoiceList.tsx';
import type { BillingOverview } from '../lib/types.ts';

/** /billing: the current plan, its actions, and the invoice history. */
export function DashboardPage({ overview }: { overview: BillingOverview }) {
  const who = overview.customer.email ?? overview.customer.name;
  return (
    <>
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          Billing
        </h1>
        <p className="lede">
          Your {overview.app.name} subscription{who ? <> for <strong className="break">{who}</strong></> : null}.
        </p>
      </div>
      <CurrentPlan appName={overview.app.name} />
      <InvoiceList />
    </>
  );
}
