import { ExtendSubscriptionInput, type AdminSubscriptionView } from '@aquoris/core/admin-schemas';
import { useDialogForm } from '../../lib/dialog-form.ts';
import { formatDate } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';
import { Dialog } from '../Dialog.tsx';
import { Field, FormError } from '../ui.tsx';
import { useRefreshAfterChange, type NoticeText } from './Notice.tsx';
import { DaysField } from './DaysField.tsx';

type ExtendForm = { subscriptionId: string; days: number; reason: string };

/** "Extend": Days and Reason. A Stripe subscription's next billing date moves through Stripe (trial_end, no proration). */
export function ExtendDialog({ subscription, onClose, onDone }: { subscription: AdminSubscriptionView; onClose: () => void; onDone: (n: NoticeText) => void }) {
  const refresh = useRefreshAfterChange();
  const extend = trpc.admin.subscriptions.extend.useMutation();
  const { form, onSubmit, message, errors, submitting } = useDialogForm<ExtendForm>({
    schema: ExtendSubscriptionInput,
    defaults: { subscriptionId: subscription.id, reason: '' },
    fields: ['days', 'reason'],
    submit: async (values) => {
      const done = await extend.mutateAsync(values);
      await refresh();
      onDone({ kind: 'done', text: `${subscription.plan.name} now runs until ${formatDate(done.currentPeriodEnd)}.` });
      onClose();
    },
  });
  return (
    <Dialog title={`Extend ${subscription.plan.name}`} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <p className="muted">
          The period ends on {formatDate(subscription.currentPeriodEnd)}.
          {subscription.source === 'CHECKOUT' && ' The next billing date moves in Stripe, with no proration.'}
        </p>
        <DaysField label="Days" id="extend-days" error={errors.days} register={form.register('days', { valueAsNumber: true })} />
        <Field label="Reason" id="extend-reason" error={errors.reason}>
          <input id="extend-reason" {...form.register('reason')} />
        </Field>
        <FormError message={message} />
        <div className="dialog-actions">
          <button type="submit" disabled={submitting}>
            Extend
          </button>
        </div>
      </form>
    </Dialog>
  );
}
