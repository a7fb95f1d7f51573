import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type Row, type Table } from '@tanstack/react-table';

/** The header row(s) of a TanStack table (shared by DataTable and InfiniteTable). */
export function TableHead<T>({ table }: { table: Table<T> }) {
  return (
    <thead>
      {table.getHeaderGroups().map((group) => (
        <tr key={group.id}>
          {group.headers.map((header) => (
            <th key={header.id}>{flexRender(header.column.columnDef.header, header.getContext())}</th>
          ))}
        </tr>
      ))}
    </thead>
  );
}

/** One row's cells. */
export function RowCells<T>({ row }: { row: Row<T> }) {
  return row.getVisibleCells().map((cell) => <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>);
}

/** A plain TanStack table: the console's lists share its look. On a narrow screen it scrolls sideways in its own box. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- column value types differ per column; TanStack types such arrays as ColumnDef<T, any>
export function DataTable<T>({ rows, columns, label }: { rows: T[]; columns: ColumnDef<T, any>[]; label: string }) {
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table's API returns functions the compiler cannot memoize; nothing here is memoized by hand
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel() });
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <TableHead table={table} />
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              <RowCells row={row} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
