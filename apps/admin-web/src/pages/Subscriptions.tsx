import { ListSubscriptionsInput, SUBSCRIPTION_STATUSES, type AdminSubscriptionView, type SubscriptionPage } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { getQueryKey } from '@trpc/react-query';
import { Link, useNavigate } from 'react-router';
import { Filters } from '../components/filters.tsx';
import { InfiniteTable } from '../components/InfiniteTable.tsx';
import { Page } from '../components/ui.tsx';
import { useCursorPages } from '../lib/cursor-pages.ts';
import { formatDate, humanize, plural } from '../lib/format.ts';
import { useUrlFilter } from '../lib/url-filter.ts';
import { trpc } from '../trpc.ts';

const col = createColumnHelper<AdminSubscriptionView>();
const FILTER = {
  status: ListSubscriptionsInput.shape.status,
  app: ListSubscriptionsInput.shape.appSlug,
  plan: ListSubscriptionsInput.shape.planSlug,
  mode: ListSubscriptionsInput.shape.mode,
};
const MODE_OPTIONS = [
  ['test', 'Test'],
  ['live', 'Live'],
] as const;
const PAGE_SIZE = 50;
const rowsOf = (page: SubscriptionPage) => page.subscriptions;
const STATUS_OPTIONS = SUBSCRIPTION_STATUSES.map((s) => [s, humanize(s)] as const);

const columns = [
  col.accessor('customer', {
    header: 'Customer',
    cell: (c) => (
      <Link to={`/customers/${encodeURIComponent(c.getValue().id)}`} onClick={(e) => e.stopPropagation()}>
        {c.getValue().externalUserId}
        {c.getValue().email && <span className="sub">{c.getValue().email}</span>}
      </Link>
    ),
  }),
  col.accessor('app', { header: 'App' }),
  col.accessor('plan', { header: 'Plan', cell: (c) => c.getValue().name }),
  col.accessor('status', {
    header: 'Status',
    cell: ({ row }) => (
      <>
        <span className={`status status-${row.original.status.toLowerCase()}`}>{humanize(row.original.status)}</span>
        {row.original.cancelAtPeriodEnd && <span className="sub">cancels at period end</span>}
      </>
    ),
  }),
  col.accessor('source', { header: 'Source', cell: (c) => humanize(c.getValue()) }),
  col.accessor('currentPeriodEnd', { header: 'Period end', cell: (c) => formatDate(c.getValue()) }),
  col.accessor('createdAt', { header: 'Created', cell: (c) => formatDate(c.getValue()) }),
];

/** Every subscription, newest first, filtered by status, app and plan, with the exact total; a row opens its customer. */
export function SubscriptionsPage() {
  const [filter, setFilter] = useUrlFilter(FILTER);
  const navigate = useNavigate();
  const apps = trpc.admin.apps.list.useQuery();
  const plans = trpc.admin.plans.list.useQuery();
  const input = { status: filter.status, appSlug: filter.app, planSlug: filter.plan, mode: filter.mode, limit: PAGE_SIZE };
  const utils = trpc.useUtils();
  const list = useCursorPages(getQueryKey(trpc.admin.subscriptions.list, input, 'infinite'), (cursor) =>
    utils.client.admin.subscriptions.list.query({ ...input, cursor }),
  );
  // The total as of the first page: the count the rows below add up to (rows created since sort above them).
  const total = list.data?.pages[0]?.total;
  return (
    <Page title="Subscriptions" actions={total !== undefined && <p className="total">{plural(total, 'subscription', 'subscriptions')}</p>}>
      <Filters
        label="Filter subscriptions"
        values={filter}
        onChange={setFilter}
        selects={[
          { key: 'status', label: 'Status', all: 'All statuses', options: STATUS_OPTIONS },
          { key: 'app', label: 'App', all: 'All apps', options: (apps.data ?? []).map((a) => [a.slug, a.slug] as const) },
          { key: 'plan', label: 'Plan', all: 'All plans', options: (plans.data ?? []).map((p) => [p.slug, `${p.name} (${p.slug})`] as const) },
          { key: 'mode', label: 'Mode', all: 'All modes', options: MODE_OPTIONS },
        ]}
      />
      <InfiniteTable
        query={list}
        rowsOf={rowsOf}
        columns={columns}
        label="Subscriptions"
        what="subscriptions"
        empty="No subscriptions match this filter."
        onRowClick={(row) => navigate(`/customers/${encodeURIComponent(row.customer.id)}`)}
      />
    </Page>
  );
}
