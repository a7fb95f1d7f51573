import { METRIC_DEFINITIONS, type DashboardFilter } from '@aquoris/core/admin-schemas';
import { formatPrice } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';
import { StatCard } from './StatCard.tsx';

/** A failed or timed-out figure is not retried behind the operator's back: the card shows "--" and its own Retry. */
export const FIGURE_QUERY = { retry: false, staleTime: 30_000 } as const;

const count = (n: number) => n.toLocaleString('en-US');
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

function Amounts({ amounts }: { amounts: Array<{ currency: 'thb' | 'usd'; amount: number }> }) {
  if (amounts.length === 0) return <p className="stat-value">{formatPrice(0, 'thb')}</p>;
  return (
    <>
      {amounts.map((a) => (
        <p key={a.currency} className="stat-value" data-testid={`stat-${a.currency}`}>
          {formatPrice(a.amount, a.currency)} <span className="stat-unit">{a.currency.toUpperCase()}</span>
        </p>
      ))}
    </>
  );
}

export function MrrCard({ filter }: { filter: DashboardFilter }) {
  const query = trpc.admin.dashboard.mrr.useQuery(filter, FIGURE_QUERY);
  return (
    <StatCard title="MRR" definition={METRIC_DEFINITIONS.mrr} query={query}>
      {(data) => <Amounts amounts={data.mrr} />}
    </StatCard>
  );
}

export function ActiveCard({ filter }: { filter: DashboardFilter }) {
  const query = trpc.admin.dashboard.active.useQuery(filter, FIGURE_QUERY);
  return (
    <StatCard title="Active subscriptions" definition={METRIC_DEFINITIONS.active} query={query}>
      {(data) => (
        <>
          <p className="stat-value" data-testid="stat-value">
            {count(data.total)}
          </p>
          <p className="stat-note">
            Active {count(data.active)} · Past due {count(data.pastDue)} · Trialing {count(data.trialing)}
          </p>
        </>
      )}
    </StatCard>
  );
}

export function ChurnCard({ filter }: { filter: DashboardFilter }) {
  const query = trpc.admin.dashboard.churn.useQuery(filter, FIGURE_QUERY);
  return (
    <StatCard title="Churn rate" definition={METRIC_DEFINITIONS.churn} query={query}>
      {(data) => (
        <>
          <p className={data.rate === null ? 'stat-value small' : 'stat-value'} data-testid="stat-value">
            {data.rate === null ? 'No paying subscribers' : percent(data.rate)}
          </p>
          <p className="stat-note">
            {count(data.churned)} churned ÷ ({count(data.payingAtStart)} paying at start + {count(data.newPaying)} new), last 30 days
          </p>
        </>
      )}
    </StatCard>
  );
}

export function RevenueCard({ filter }: { filter: DashboardFilter }) {
  const query = trpc.admin.dashboard.revenue.useQuery(filter, FIGURE_QUERY);
  return (
    <StatCard title="Revenue" definition={METRIC_DEFINITIONS.revenue} query={query}>
      {(data) =>
        data.revenue.length === 0 ? (
          <p className="stat-value">{formatPrice(0, 'thb')}</p>
        ) : (
          data.revenue.map((r) => (
            <div key={r.currency} data-testid={`stat-${r.currency}`}>
              <p className="stat-value">
                {formatPrice(r.net, r.currency)} <span className="stat-unit">{r.currency.toUpperCase()} net</span>
              </p>
              <p className="stat-note">
                Gross {formatPrice(r.gross, r.currency)} · Refunds {formatPrice(r.refunds, r.currency)}
              </p>
            </div>
          ))
        )
      }
    </StatCard>
  );
}
