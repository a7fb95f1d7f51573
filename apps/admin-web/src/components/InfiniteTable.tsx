import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { RowCells, TableHead } from './DataTable.tsx';
import { Empty, ErrorState, Loading } from './ui.tsx';

/** The parts of a useInfiniteQuery result a list reads. */
export type InfinitePages<P> = Pick<
  UseInfiniteQueryResult<InfiniteData<P>>,
  'data' | 'error' | 'isPending' | 'isFetchNextPageError' | 'hasNextPage' | 'isFetchingNextPage' | 'fetchNextPage' | 'refetch'
>;

interface InfiniteTableProps<P, T> {
  query: InfinitePages<P>;
  /** The rows of one page (a function defined once, outside the component: the rows' identity depends on it). */
  rowsOf: (page: P) => T[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- column value types differ per column; TanStack types such arrays as ColumnDef<T, any>
  columns: ColumnDef<T, any>[];
  label: string;
  what: string;
  empty: ReactNode;
  onRowClick?: (row: T) => void;
}

/** Rows this close to the end of what is loaded start fetching the next page. */
const PREFETCH_ROWS = 10;

/**
 * A long list a page at a time: TanStack Table for the cells, TanStack Virtual so only the rows in view
 * are in the DOM, and the next page fetched (by its keyset cursor) as the scroll nears the end. Loading,
 * empty and error states, and a failed next page offers Retry without losing the rows already shown.
 */
export function InfiniteTable<P, T extends { id: string }>({ query, rowsOf, columns, label, what, empty, onRowClick }: InfiniteTableProps<P, T>) {
  const scroller = useRef<HTMLDivElement>(null);
  // TanStack Table needs the same array until the pages change: a new one on each render re-renders without end.
  const pages = query.data?.pages;
  const data = useMemo(() => pages?.flatMap(rowsOf) ?? [], [pages, rowsOf]);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table's API returns functions the compiler cannot memoize; nothing here is memoized by hand
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel(), getRowId: (row) => row.id });
  const rows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 44, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;

  useEffect(() => {
    if (lastIndex >= rows.length - PREFETCH_ROWS && hasNextPage && !isFetchingNextPage && !isFetchNextPageError) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);

  if (query.isPending) return <Loading what={what} />;
  if (query.error && !query.isFetchNextPageError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div className="scroller" ref={scroller} data-testid={`${label} scroller`}>
      <table aria-label={label} aria-rowcount={rows.length}>
        <TableHead table={table} />
        <tbody>
          {before > 0 && <tr className="spacer" aria-hidden="true" style={{ height: before }} />}
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <tr
                key={row.id}
                ref={virtualizer.measureElement}
                data-index={item.index}
                data-id={row.id}
                aria-rowindex={item.index + 1}
                className={onRowClick ? 'clickable' : undefined}
                onClick={onRowClick && (() => onRowClick(row.original))}
              >
                <RowCells row={row} />
              </tr>
            );
          })}
          {after > 0 && <tr className="spacer" aria-hidden="true" style={{ height: after }} />}
        </tbody>
      </table>
      <div className="list-end">
        {isFetchingNextPage ? (
          <Loading what={`more ${what}`} />
        ) : isFetchNextPageError ? (
          <ErrorState error={query.error} retry={() => void fetchNextPage()} />
        ) : hasNextPage ? null : (
          <p className="muted">End of the list: {rows.length.toLocaleString('en-US')} shown.</p>
        )}
      </div>
    </div>
  );
}
