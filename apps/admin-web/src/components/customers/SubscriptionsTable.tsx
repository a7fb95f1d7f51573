import type { AdminSubscriptionView } from '@aquoris/core/admin-schemas';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { formatDate } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { DataTable } from '../DataTable.tsx';
import { Empty } from '../ui.tsx';
import { ExtendDialog } from './ExtendDialog.tsx';
import { useRefreshAfterChange, type NoticeText } from './Notice.tsx';

const CURRENT = new Set(['ACTIVE', 'TRIALING', 'PAST_DUE']);
const SOURCES: Record<AdminSubscriptionView['source'], string> = { CHECKOUT: 'Stripe', MANUAL: 'Manual', TRIAL: 'Trial' };
const col = createColumnHelper<AdminSubscriptionView>();
const sourceOf = (s: AdminSubscriptionView) => SOURCES[s.source];

type Action = { kind: 'cancel' | 'resume' | 'extend'; subscription: AdminSubscriptionView };

function statusOf(s: AdminSubscriptionView): string {
  const status = s.status.charAt(0) + s.status.slice(1).toLowerCase().replace('_', ' ');
  return s.cancelAtPeriodEnd && CURRENT.has(s.status) ? `${status}, ends at period end` : status;
}

function ActionDialog({ action, onClose, onDone }: { action: Action; onClose: () => void; onDone: (n: NoticeText) => void }) {
  const refresh = useRefreshAfterChange();
  const cancel = trpc.admin.subscriptions.cancel.useMutation();
  const resume = trpc.admin.subscriptions.resume.useMutation();
  const s = action.subscription;
  const where = s.source === 'CHECKOUT' ? ' The change is made in Stripe.' : '';
  if (action.kind === 'extend') return <ExtendDialog subscription={s} onClose={onClose} onDone={onDone} />;
  const canceling = action.kind === 'cancel';
  return (
    <ConfirmDialog
      title={canceling ? `Cancel ${s.plan.name}` : `Resume ${s.plan.name}`}
      confirm={canceling ? 'Cancel Sub' : 'Resume'}
      danger={canceling}
      onClose={onClose}
      onConfirm={async () => {
        const done = await (canceling ? cancel : resume).mutateAsync({ subscriptionId: s.id });
        await refresh();
        onDone({ kind: 'done', text: canceling ? `${s.plan.name} ends on ${formatDate(done.currentPeriodEnd)}.` : `${s.plan.name} renews again.` });
      }}
    >
      <p>
        {canceling
          ? `The subscription stays active until the end of its period, ${formatDate(s.currentPeriodEnd)}, then ends. Resume undoes this while the period runs.`
          : `The subscription no longer ends on ${formatDate(s.currentPeriodEnd)}: it continues as before.`}
        {where}
      </p>
    </ConfirmDialog>
  );
}

/** The customer's subscriptions, current ones first, with Cancel Sub / Resume and Extend on the current ones. */
export function SubscriptionsTable({
  subscriptions,
  canEdit,
  onDone,
}: {
  subscriptions: AdminSubscriptionView[];
  canEdit: boolean;
  onDone: (n: NoticeText) => void;
}) {
  const [action, setAction] = useState<Action | null>(null);
  const columns = [
    col.accessor((s) => s.plan.name, { id: 'plan', header: 'Plan', cell: (c) => `${c.getValue()} (${c.row.original.plan.slug})` }),
    col.accessor(statusOf, { id: 'status', header: 'Status' }),
    col.accessor(sourceOf, { id: 'source', header: 'Source' }),
    col.accessor('currentPeriodEnd', { header: 'Period end', cell: (c) => formatDate(c.getValue()) }),
    col.accessor((s) => s.endedAt ?? s.canceledAt, { id: 'ended', header: 'Ended / canceled', cell: (c) => formatDate(c.getValue()) }),
    col.display({
      id: 'actions',
      header: '',
      cell: ({ row: { original: s } }) =>
        canEdit &&
        CURRENT.has(s.status) && (
          <span className="row-actions">
            {s.cancelAtPeriodEnd ? (
              <button type="button" className="link" onClick={() => setAction({ kind: 'resume', subscription: s })}>
                Resume
              </button>
            ) : (
              <button type="button" className="link" onClick={() => setAction({ kind: 'cancel', subscription: s })}>
                Cancel Sub
              </button>
            )}
            <button type="button" className="link" onClick={() => setAction({ kind: 'extend', subscription: s })}>
              Extend
            </button>
          </span>
        ),
    }),
  ];
  const current = subscriptions.filter((s) => CURRENT.has(s.status));
  const past = subscriptions.filter((s) => !CURRENT.has(s.status));
  return (
    <>
      <section className="panel" aria-labelledby="current-subscriptions">
        <h2 id="current-subscriptions">Current subscriptions</h2>
        {current.length === 0 ? (
          <Empty>No current subscription. Grant one or record a payment to start one.</Empty>
        ) : (
          <div className="table-wrap wide">
            <DataTable rows={current} columns={columns} label="Current subscriptions" />
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="past-subscriptions">
        <h2 id="past-subscriptions">Past subscriptions</h2>
        {past.length === 0 ? (
          <Empty>None.</Empty>
        ) : (
          <div className="table-wrap wide">
            <DataTable rows={past} columns={columns.filter((c) => c.id !== 'actions')} label="Past subscriptions" />
          </div>
        )}
      </section>
      {action && <ActionDialog action={action} onClose={() => setAction(null)} onDone={onDone} />}
    </>
  );
}
