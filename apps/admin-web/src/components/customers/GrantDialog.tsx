import { GrantToCustomerInput } from '@aquoris/core/admin-schemas';
import { useDialogForm } from '../../lib/dialog-form.ts';
import { formatDate } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';
import { Dialog } from '../Dialog.tsx';
import { Field, FormError } from '../ui.tsx';
import { useRefreshAfterChange, type NoticeText } from './Notice.tsx';
import { PlanSelect } from './PlanSelect.tsx';
import { DaysField } from './DaysField.tsx';

type GrantForm = { customerId: string; planSlug: string; days: number; reason: string };

/** "Grant Subscription": a manual subscription of the plan for the days given (a current grant of that plan is extended). */
export function GrantDialog({ customerId, onClose, onDone }: { customerId: string; onClose: () => void; onDone: (n: NoticeText) => void }) {
  const refresh = useRefreshAfterChange();
  const grant = trpc.admin.subscriptions.grant.useMutation();
  const { form, onSubmit, message, errors, submitting } = useDialogForm<GrantForm>({
    schema: GrantToCustomerInput,
    defaults: { customerId, planSlug: '', reason: '' },
    fields: ['planSlug', 'days', 'reason'],
    submit: async (values) => {
      const done = await grant.mutateAsync(values);
      await refresh();
      onDone({ kind: 'done', text: `${done.plan.name} granted until ${formatDate(done.currentPeriodEnd)}.` });
      onClose();
    },
  });
  return (
    <Dialog title="Grant Subscription" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <Field label="Plan" id="grant-plan" error={errors.planSlug}>
          <PlanSelect id="grant-plan" register={form.register('planSlug')} />
        </Field>
        <DaysField label="Days" id="grant-days" error={errors.days} register={form.register('days', { valueAsNumber: true })} />
        <Field label="Reason" id="grant-reason" error={errors.reason}>
          <input id="grant-reason" {...form.register('reason')} />
        </Field>
        <FormError message={message} />
        <div className="dialog-actions">
          <button type="submit" disabled={submitting}>
            Grant Subscription
          </button>
        </div>
      </form>
    </Dialog>
  );
}
