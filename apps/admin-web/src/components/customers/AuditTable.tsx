import type { AuditEntryView } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { formatDate } from '../../lib/format.ts';
import { DataTable } from '../DataTable.tsx';
import { Empty } from '../ui.tsx';

const col = createColumnHelper<AuditEntryView>();

/** An entry's details as "key: value" pairs (objects as compact JSON), never a raw dump of the row. */
function Details({ details }: { details: Record<string, unknown> }) {
  const pairs = Object.entries(details);
  if (pairs.length === 0) return <>—</>;
  return (
    <span className="details">
      {pairs.map(([key, value]) => (
        <span key={key}>
          <span className="muted">{key}:</span> {typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}
        </span>
      ))}
    </span>
  );
}

const columns = [
  col.accessor('createdAt', { header: 'Time', cell: (c) => formatDate(c.getValue()) }),
  col.accessor((e) => `${e.actor.label} (${e.actor.type.toLowerCase()})`, { id: 'actor', header: 'Actor' }),
  col.accessor('action', { header: 'Action', cell: (c) => <code>{c.getValue()}</code> }),
  col.accessor((e) => (e.target ? `${e.target.type} ${e.target.id}` : '—'), { id: 'target', header: 'Target' }),
  col.accessor('details', { header: 'Details', cell: (c) => <Details details={c.getValue()} /> }),
];

/** What was done to this customer, its subscriptions and invoices, newest first. */
export function AuditTable({ entries }: { entries: AuditEntryView[] }) {
  return (
    <section className="panel" aria-labelledby="customer-audit">
      <h2 id="customer-audit">Audit entries</h2>
      {entries.length === 0 ? (
        <Empty>Nothing recorded for this customer yet.</Empty>
      ) : (
        <div className="table-wrap wide">
          <DataTable rows={entries} columns={columns} label="Audit entries" />
        </div>
      )}
    </section>
  );
}
