import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';

/** A plain TanStack table: the console's lists share its look. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- column value types differ per column; TanStack types such arrays as ColumnDef<T, any>
export function DataTable<T>({ rows, columns, label }: { rows: T[]; columns: ColumnDef<T, any>[]; label: string }) {
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table's API returns functions the compiler cannot memoize; nothing here is memoized by hand
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel() });
  return (
    <table aria-label={label}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id}>{flexRender(header.column.columnDef.header, header.getContext())}</th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id}>
            {row.getVisibleCells().map((cell) => (
              <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
