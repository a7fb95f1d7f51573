import { useCancelSubscription } from '../api.ts';
import { describeError } from '../lib/errors.ts';
import { useSingleFlight } from '../lib/hooks.ts';
import { cancelConsequence } from '../lib/status.ts';
import type { BillingSubscription } from '../lib/types.ts';
import { Dialog } from './Dialog.tsx';
import { Button } from './ui.tsx';

interface Props {
  subscription: BillingSubscription;
  open: boolean;
  onClose(): void;
  onCanceled(updated: BillingSubscription): void;
}

/** "Cancel your plan?" — says exactly when access ends before anything happens. */
export function CancelDialog({ subscription, open, onClose, onCanceled }: Props) {
  const cancel = useCancelSubscription();
  const action = useSingleFlight(async () => {
    const updated = await cancel.mutateAsync();
    onCanceled(updated);
  });
  const close = () => {
    cancel.reset();
    onClose();
  };

  return (
    <Dialog
      open={open}
      title={`Cancel your ${subscription.plan.name} plan?`}
      onClose={close}
      busy={action.pending}
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={action.pending} data-autofocus>
            Keep my plan
          </Button>
          <Button variant="danger" onClick={() => void action.run()} pending={action.pending} pendingLabel="Canceling…">
            Cancel plan
          </Button>
        </>
      }
    >
      <p>{cancelConsequence(subscription)}</p>
      <p className="muted">You can resume your plan any time before then, and nothing changes.</p>
      {cancel.error && (
        <div className="alert alert-danger" role="alert">
          <p>{describeError(cancel.error)}</p>
        </div>
      )}
    </Dialog>
  );
}
