import { InvoiceSkeleton } from '../components/InvoiceList.tsx';
import { PlanSkeleton } from '../components/CurrentPlan.tsx';
import { Skeleton } from '../components/ui.tsx';
import { PlanGridSkeleton } from './Plans.tsx';

/**
 * The page's shape while the session overview loads: the same blocks, at the
 * same sizes, as the page about to appear, so nothing jumps when it does.
 */
export function PageSkeleton({ path }: { path: string }) {
  const head = (
    <div className="page-head" aria-hidden="true">
      <p className="page-title-skeleton">
        <Skeleton width="9rem" height="1.2em" />
      </p>
      <p className="lede">
        <Skeleton width="min(22rem, 100%)" height="1.5em" />
      </p>
    </div>
  );
  const title = (
    <h1 id="page-title" tabIndex={-1} className="visually-hidden">
      Loading your billing…
    </h1>
  );
  if (path === '/plans') {
    return (
      <>
        {title}
        {head}
        <PlanGridSkeleton />
      </>
    );
  }
  if (path === '/checkout/success') {
    return (
      <section className="card checkout-card" aria-busy="true">
        {title}
        <Skeleton width="70%" height="2.1rem" />
        <Skeleton height="1.5rem" />
      </section>
    );
  }
  return (
    <>
      {title}
      {head}
      <section className="card" aria-busy="true">
        <p className="card-title">Current plan</p>
        <PlanSkeleton />
      </section>
      <section className="card" aria-busy="true">
        <p className="card-title">Invoice history</p>
        <InvoiceSkeleton />
      </section>
    </>
  );
}
