import { CurrentPlan } from '../components/CurrentPlan.tsx';
import { InvoiceList } from '../components/InvoiceList.tsx';
import type { BillingOverview } from '../lib/types.ts';

/** /billing: the current plan, its actions, and the invoice history. */
export function DashboardPage({ overview }: { overview: BillingOverview }) {
  return (
    <>
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          Billing
        </h1>
        <p className="lede">Manage your {overview.app.name} plan and invoices.</p>
      </div>
      <CurrentPlan appName={overview.app.name} />
      <InvoiceList />
    </>
  );
}
