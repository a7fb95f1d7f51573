import { METRIC_DEFINITIONS, type Currency, type DashboardFilter } from '@aquoris/core/admin-schemas';
import type { ReactElement, ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPrice } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';
import { Empty, ErrorState, Loading } from '../ui.tsx';
import { FIGURE_QUERY } from './Cards.tsx';
import { Definition, type CardQuery } from './StatCard.tsx';

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "2026-11" → "Nov 26": short enough for twelve ticks on a phone. */
const monthLabel = (month: string) => `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(2, 4)}`;
/** Axis ticks in major units, compact ("฿1.2M"). */
const compactMoney = (currency: Currency) => (minor: number) =>
  `${currency === 'thb' ? '฿' : '$'}${Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(minor / 100)}`;

/** A chart's frame: title with definition, then loading, error (with Retry), empty, or the chart. */
function ChartPanel<T>({
  title,
  definition,
  query,
  isEmpty,
  empty,
  children,
}: {
  title: string;
  definition: string;
  query: CardQuery<T>;
  isEmpty: (data: T) => boolean;
  empty: string;
  children: (data: T) => ReactElement;
}) {
  let body: ReactNode;
  if (query.error) body = <ErrorState error={query.error} retry={() => void query.refetch()} />;
  else if (query.data === undefined) body = <Loading what={title} />;
  else if (isEmpty(query.data)) body = <Empty>{empty}</Empty>;
  else
    body = (
      <div className="chart-area" data-testid="chart">
        <ResponsiveContainer width="100%" height="100%">
          {children(query.data)}
        </ResponsiveContainer>
      </div>
    );
  return (
    <figure className="chart-panel" aria-label={title}>
      <figcaption>
        {title} <Definition text={definition} label={title} />
      </figcaption>
      {body}
    </figure>
  );
}

export function MrrChart({ filter, currency }: { filter: DashboardFilter; currency: Currency }) {
  const query = trpc.admin.dashboard.mrrSeries.useQuery(filter, FIGURE_QUERY);
  const rows = (query.data?.months ?? []).map((m) => ({ month: monthLabel(m.month), mrr: m.mrr.find((a) => a.currency === currency)?.amount ?? 0 }));
  const money = compactMoney(currency);
  return (
    <ChartPanel
      title={`MRR by month (${currency.toUpperCase()})`}
      definition={METRIC_DEFINITIONS.mrrSeries}
      query={query}
      isEmpty={() => rows.every((r) => r.mrr === 0)}
      empty={`No ${currency.toUpperCase()} MRR in these 12 months.`}
    >
      {() => (
        <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" interval="preserveStartEnd" tick={{ fontSize: 12 }} />
          <YAxis tickFormatter={money} width={64} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(value) => [formatPrice(Number(value), currency), 'MRR']} />
          <Line type="monotone" dataKey="mrr" name="MRR" stroke="#2d5bd7" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      )}
    </ChartPanel>
  );
}

export function SubscriptionFlowChart({ filter }: { filter: DashboardFilter }) {
  const query = trpc.admin.dashboard.subscriptionFlow.useQuery(filter, FIGURE_QUERY);
  const rows = (query.data?.months ?? []).map((m) => ({ month: monthLabel(m.month), new: m.new, churned: m.churned }));
  return (
    <ChartPanel
      title="New vs churned subscriptions"
      definition={METRIC_DEFINITIONS.subscriptionFlow}
      query={query}
      isEmpty={() => rows.every((r) => r.new === 0 && r.churned === 0)}
      empty="No subscriptions started or churned in these 12 months."
    >
      {() => (
        <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" interval="preserveStartEnd" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} width={56} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(value, name) => [Number(value).toLocaleString('en-US'), name]} />
          <Legend itemSorter={null} />
          <Bar dataKey="new" name="New" fill="#2d5bd7" isAnimationActive={false} />
          <Bar dataKey="churned" name="Churned" fill="#c0392b" isAnimationActive={false} />
        </BarChart>
      )}
    </ChartPanel>
  );
}

export function RevenueChart({ filter, currency }: { filter: DashboardFilter; currency: Currency }) {
  const query = trpc.admin.dashboard.revenueSeries.useQuery(filter, FIGURE_QUERY);
  const rows = (query.data?.months ?? []).map((m) => {
    const r = m.revenue.find((x) => x.currency === currency);
    return { month: monthLabel(m.month), gross: r?.gross ?? 0, refunds: r?.refunds ?? 0 };
  });
  const money = compactMoney(currency);
  return (
    <ChartPanel
      title={`Revenue by month (${currency.toUpperCase()})`}
      definition={METRIC_DEFINITIONS.revenueSeries}
      query={query}
      isEmpty={() => rows.every((r) => r.gross === 0 && r.refunds === 0)}
      empty={`No ${currency.toUpperCase()} revenue in these 12 months.`}
    >
      {() => (
        <BarChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" interval="preserveStartEnd" tick={{ fontSize: 12 }} />
          <YAxis tickFormatter={money} width={64} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(value, name) => [formatPrice(Number(value), currency), name]} />
          <Legend itemSorter={null} />
          <Bar dataKey="gross" name="Gross" fill="#2d5bd7" isAnimationActive={false} />
          <Bar dataKey="refunds" name="Refunds" fill="#e67e22" isAnimationActive={false} />
        </BarChart>
      )}
    </ChartPanel>
  );
}
