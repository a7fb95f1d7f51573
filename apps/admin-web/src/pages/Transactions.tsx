import { OperatorTransactionsQuery, TransactionKind, TransactionStatus, type TransactionPage, type TransactionView } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { getQueryKey } from '@trpc/react-query';
import { Link } from 'react-router';
import { Filters } from '../components/filters.tsx';
import { InfiniteTable } from '../components/InfiniteTable.tsx';
import { Page } from '../components/ui.tsx';
import { useCursorPages } from '../lib/cursor-pages.ts';
import { formatDate, formatPrice, humanize } from '../lib/format.ts';
import { useUrlFilter } from '../lib/url-filter.ts';
import { trpc } from '../trpc.ts';

const col = createColumnHelper<TransactionView>();
const FILTER = { app: OperatorTransactionsQuery.shape.app, kind: OperatorTransactionsQuery.shape.kind, status: OperatorTransactionsQuery.shape.status };
const PAGE_SIZE = 50;
const rowsOf = (page: TransactionPage) => page.transactions;
const KIND_LABELS = { invoice: 'Invoice', payment: 'Payment', refund: 'Refund' } as const;
const KIND_OPTIONS = TransactionKind.options.map((k) => [k, KIND_LABELS[k]] as const);
const STATUS_OPTIONS = TransactionStatus.options.map((s) => [s, humanize(s)] as const);

const columns = [
  col.accessor('createdAt', { header: 'Date', cell: (c) => formatDate(c.getValue()) }),
  col.accessor('kind', { header: 'Type', cell: (c) => KIND_LABELS[c.getValue()] }),
  col.accessor('app', { header: 'App' }),
  col.accessor('customer', {
    header: 'Customer',
    cell: (c) => <Link to={`/customers/${encodeURIComponent(c.getValue().id)}`}>{c.getValue().externalUserId}</Link>,
  }),
  col.accessor('amount', {
    header: 'Amount',
    cell: ({ row }) => (row.original.kind === 'refund' ? '−' : '') + formatPrice(row.original.amount, row.original.currency),
  }),
  col.accessor('status', { header: 'Status', cell: (c) => <span className={`status status-${c.getValue().toLowerCase()}`}>{humanize(c.getValue())}</span> }),
];

/** Invoices, payments and refunds of every app (or one) in one list, newest first. */
export function TransactionsPage() {
  const [filter, setFilter] = useUrlFilter(FILTER);
  const apps = trpc.admin.apps.list.useQuery();
  const input = { app: filter.app, kind: filter.kind, status: filter.status, limit: PAGE_SIZE };
  const utils = trpc.useUtils();
  const list = useCursorPages(getQueryKey(trpc.admin.transactions.list, input, 'infinite'), (cursor) =>
    utils.client.admin.transactions.list.query({ ...input, cursor }),
  );
  return (
    <Page title="Transactions">
      <Filters
        label="Filter transactions"
        values={filter}
        onChange={setFilter}
        selects={[
          { key: 'app', label: 'App', all: 'All apps', options: (apps.data ?? []).map((a) => [a.slug, a.slug] as const) },
          { key: 'kind', label: 'Type', all: 'All types', options: KIND_OPTIONS },
          { key: 'status', label: 'Status', all: 'All statuses', options: STATUS_OPTIONS },
        ]}
      />
      <InfiniteTable query={list} rowsOf={rowsOf} columns={columns} label="Transactions" what="transactions" empty="No transactions match this filter." />
    </Page>
  );
}
