import { trpc } from '../../trpc.ts';

/** What an action on the customer page did: a confirmation, or a warning that stays until dismissed. */
export interface NoticeText {
  kind: 'done' | 'warning';
  text: string;
}

export function Notice({ notice, onDismiss }: { notice: NoticeText; onDismiss: () => void }) {
  return (
    <div className={`notice ${notice.kind}`} role={notice.kind === 'warning' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button type="button" className="link" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

/** After a change on the customer page: the page and every list that shows the change load again. */
export function useRefreshAfterChange(): () => Promise<void> {
  const utils = trpc.useUtils();
  return async () => {
    await Promise.all([utils.admin.customers.invalidate(), utils.admin.subscriptions.invalidate(), utils.admin.audit.invalidate()]);
  };
}
