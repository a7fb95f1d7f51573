import type { AdminCustomerView } from '@aquoris/core/admin-schemas';
import { useInfiniteQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { DataTable } from '../components/DataTable.tsx';
import { Empty, ErrorState, Field, Loading, Page } from '../components/ui.tsx';
import { formatDate } from '../lib/format.ts';
import { trpc } from '../trpc.ts';
import '../components/customers/customers.css';

const PAGE_SIZE = 50;
const col = createColumnHelper<AdminCustomerView>();
const columns = [
  col.accessor('externalUserId', {
    header: 'External user id',
    cell: (c) => <Link to={`/customers/${encodeURIComponent(c.row.original.id)}`}>{c.getValue()}</Link>,
  }),
  col.accessor('email', { header: 'Email', cell: (c) => c.getValue() ?? '—' }),
  col.accessor('name', { header: 'Name', cell: (c) => c.getValue() ?? '—' }),
  col.accessor('app', { header: 'App' }),
  col.accessor('stripeCustomerId', { header: 'Stripe customer', cell: (c) => (c.getValue() ? <code>{c.getValue()}</code> : '—') }),
  col.accessor('createdAt', { header: 'Created', cell: (c) => formatDate(c.getValue()) }),
];

/** What is typed, sent once typing pauses (each keystroke need not be a query). */
function useSettled(value: string, ms = 250): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The search's pages, each from the previous page's cursor. Plain react-query over the tRPC client: tRPC's own
 * useInfiniteQuery adds a `direction` field that the strict input schema (rightly) refuses.
 */
function useCustomerSearch(query: string, appSlug: string) {
  const utils = trpc.useUtils();
  const input = { ...(query ? { query } : {}), ...(appSlug ? { appSlug } : {}), limit: PAGE_SIZE };
  return useInfiniteQuery({
    queryKey: ['admin.customers.search', input],
    queryFn: ({ pageParam }) => utils.client.admin.customers.search.query({ ...input, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** "Search customers": a prefix of the external user id, email or name, in one app or all; newest first, a page at a time. */
export function CustomersPage() {
  const [params, setParams] = useSearchParams();
  const [typed, setTyped] = useState(params.get('q') ?? '');
  const appSlug = params.get('app') ?? '';
  const query = useSettled(typed.trim());
  useEffect(() => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (query) next.set('q', query);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [query, setParams]);
  const apps = trpc.admin.apps.list.useQuery();
  const search = useCustomerSearch(query, appSlug);
  const rows = search.data?.pages.flatMap((page) => page.customers) ?? [];
  const setApp = (slug: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (slug) next.set('app', slug);
      else next.delete('app');
      return next;
    });

  return (
    <Page title="Customers">
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search customers" id="customer-search">
          <input
            id="customer-search"
            type="search"
            placeholder="External user id, email or name (the start of it)"
            autoComplete="off"
            value={typed}
            maxLength={320}
            onChange={(e) => setTyped(e.target.value)}
          />
        </Field>
        <Field label="App" id="customer-app">
          <select id="customer-app" value={appSlug} onChange={(e) => setApp(e.target.value)}>
            <option value="">All apps</option>
            {apps.data?.map((app) => (
              <option key={app.slug} value={app.slug}>
                {app.name} ({app.slug})
              </option>
            ))}
          </select>
        </Field>
      </form>
      {search.isPending ? (
        <Loading what="customers" />
      ) : search.error && rows.length === 0 ? (
        <ErrorState error={search.error} retry={() => void search.refetch()} />
      ) : rows.length === 0 ? (
        <Empty>
          {query || appSlug ? 'No customer matches this search.' : 'No customers yet: they appear when an app creates a billing session or syncs a user.'}
        </Empty>
      ) : (
        <>
          <div className="table-wrap wide one-line">
            <DataTable rows={rows} columns={columns} label="Customers" />
          </div>
          <div className="list-footer">
            <span className="muted">
              {rows.length} {rows.length === 1 ? 'customer' : 'customers'} shown{search.hasNextPage ? '' : ' (all)'}
            </span>
            {search.error && <ErrorState error={search.error} retry={() => void search.fetchNextPage()} />}
            {search.hasNextPage && !search.error && (
              <button type="button" disabled={search.isFetchingNextPage} onClick={() => void search.fetchNextPage()}>
                {search.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </>
      )}
    </Page>
  );
}
