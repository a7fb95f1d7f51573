import { ACTOR_TYPES, ListAuditInput, type AuditEntryView, type AuditPage } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { getQueryKey } from '@trpc/react-query';
import { useEffect, useRef, useState } from 'react';
import { Filters } from '../components/filters.tsx';
import { InfiniteTable } from '../components/InfiniteTable.tsx';
import { Page } from '../components/ui.tsx';
import { useCursorPages } from '../lib/cursor-pages.ts';
import { formatTimestamp } from '../lib/format.ts';
import { useUrlFilter } from '../lib/url-filter.ts';
import { trpc } from '../trpc.ts';

const col = createColumnHelper<AuditEntryView>();
const FILTER = { actor: ListAuditInput.shape.actorType, action: ListAuditInput.shape.action };
const PAGE_SIZE = 50;
const rowsOf = (page: AuditPage) => page.entries;
/** Typing in the Action box filters once the typing pauses, not on every key. */
const TYPING_PAUSE_MS = 400;

const ACTOR_NAMES: Record<AuditEntryView['actor']['type'], string> = {
  ADMIN: 'Admin',
  APP: 'App',
  CLI: 'CLI user',
  STRIPE: 'Stripe',
  SYSTEM: 'System',
  SUBSCRIBER: 'Subscriber',
};

const ACTOR_OPTIONS = ACTOR_TYPES.map((t) => [t, ACTOR_NAMES[t]] as const);

const detailsText = (details: Record<string, unknown>): string =>
  Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');

const columns = [
  col.accessor('createdAt', { header: 'Time', cell: (c) => formatTimestamp(c.getValue()) }),
  col.accessor('actor', {
    header: 'Actor',
    cell: (c) => (
      <>
        {c.getValue().label}
        <span className="sub">{ACTOR_NAMES[c.getValue().type]}</span>
      </>
    ),
  }),
  col.accessor('action', { header: 'Action', cell: (c) => <code>{c.getValue()}</code> }),
  col.accessor('target', {
    header: 'Target',
    cell: (c) => {
      const target = c.getValue();
      return target ? (
        <>
          {target.type} <code>{target.id}</code>
        </>
      ) : (
        '—'
      );
    },
  }),
  col.accessor('details', { header: 'Details', cell: (c) => <span className="wrap details">{detailsText(c.getValue()) || '—'}</span> }),
];

/** Every audited action, newest first, filtered by actor type and action. */
export function AuditLogPage() {
  const [filter, setFilter] = useUrlFilter(FILTER);
  // The Action box's text; the URL's value changes under it on Back/Forward, and then the box follows.
  const applied = filter.action ?? '';
  const [action, setAction] = useState(applied);
  const [shown, setShown] = useState(applied);
  if (shown !== applied) {
    setShown(applied);
    setAction(applied);
  }
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const typeAction = (value: string) => {
    setAction(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setFilter('action', value.trim()), TYPING_PAUSE_MS);
  };
  const utils = trpc.useUtils();
  const input = { actorType: filter.actor, action: filter.action, limit: PAGE_SIZE };
  const list = useCursorPages(getQueryKey(trpc.admin.audit.list, input, 'infinite'), (cursor) => utils.client.admin.audit.list.query({ ...input, cursor }));
  const seenActions = [...new Set(list.data?.pages.flatMap((p) => p.entries.map((e) => e.action)) ?? [])].sort();
  return (
    <Page title="Audit Log">
      <Filters
        label="Filter the audit log"
        values={filter}
        onChange={setFilter}
        selects={[{ key: 'actor', label: 'Actor type', all: 'All actors', options: ACTOR_OPTIONS }]}
      >
        <div className="field">
          <label htmlFor="filter-action">Action</label>
          <input id="filter-action" list="filter-action-seen" placeholder="e.g. app.created" value={action} onChange={(e) => typeAction(e.target.value)} />
          <datalist id="filter-action-seen">
            {seenActions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
      </Filters>
      <InfiniteTable query={list} rowsOf={rowsOf} columns={columns} label="Audit Log" what="audit entries" empty="No audit entries match this filter." />
    </Page>
  );
}
