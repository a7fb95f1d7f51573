import { useConfirmPlanChange, usePlanChangePreview } from '../api.ts';
import { describeError } from '../lib/errors.ts';
import { formatDate, formatMoney, formatPeriod, formatPrice, intervalAdverb, type Interval } from '../lib/format.ts';
import { useSingleFlight } from '../lib/hooks.ts';
import type { BillingSubscription, PlanChangePreview } from '../lib/types.ts';
import { Dialog } from './Dialog.tsx';
import { Button, ErrorBox, Skeleton } from './ui.tsx';

interface Props {
  /** The plan to move to; null when closed. */
  planSlug: string | null;
  planName: string;
  /** The price of the plan to move to: its monthly or yearly one (the same plan at the other interval is a change too). */
  billingInterval?: Interval;
  onClose(): void;
  onChanged(updated: BillingSubscription): void;
}

/** An upgrade or downgrade: the proration preview and what is due now, before anything is charged. */
export function PlanChangeDialog({ planSlug, planName, billingInterval, onClose, onChanged }: Props) {
  const preview = usePlanChangePreview(planSlug, billingInterval);
  const confirm = useConfirmPlanChange();
  const action = useSingleFlight(async (p: PlanChangePreview) => {
    const updated = await confirm.mutateAsync({ planSlug: p.toPlan.slug, billingInterval, prorationDate: p.prorationDate });
    onChanged(updated);
  });
  const close = () => {
    confirm.reset();
    onClose();
  };
  const data = preview.data;

  return (
    <Dialog
      open={planSlug !== null}
      title={`Switch to ${planName}`}
      onClose={close}
      busy={action.pending}
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={action.pending} data-autofocus>
            Keep current plan
          </Button>
          <Button
            variant="primary"
            disabled={!data}
            onClick={() => data && void action.run(data)}
            pending={action.pending}
            pendingLabel={data && data.amountDueNow > 0 ? 'Paying…' : 'Switching…'}
          >
            {data && data.amountDueNow > 0 ? `Pay ${formatMoney(data.amountDueNow, data.currency)} and switch` : `Switch to ${planName}`}
          </Button>
        </>
      }
    >
      <div className="preview" aria-busy={preview.isPending} aria-live="polite">
        {preview.isPending ? (
          <div className="preview-skeleton">
            <Skeleton height="1.25rem" width="70%" />
            <Skeleton height="2.5rem" />
            <Skeleton height="2.5rem" />
            <Skeleton height="1.5rem" width="50%" />
          </div>
        ) : preview.error ? (
          <ErrorBox
            title="We couldn't prepare this change"
            message={describeError(preview.error)}
            onRetry={() => void preview.refetch()}
            retrying={preview.isFetching}
          />
        ) : data ? (
          <PreviewBody preview={data} />
        ) : null}
      </div>
      {confirm.error && (
        <div className="alert alert-danger" role="alert">
          <p>{describeError(confirm.error)}</p>
        </div>
      )}
    </Dialog>
  );
}

export function previewSummary(p: PlanChangePreview): string {
  const next = `From ${formatDate(p.nextRenewalAt)} you'll pay ${formatPrice(p.toPlan.priceAmount, p.toPlan.currency, p.toPlan.interval)}.`;
  if (p.amountDueNow > 0 && p.startsNewPeriod) {
    return `You'll be charged ${formatMoney(p.amountDueNow, p.currency)} today for ${p.toPlan.name} until ${formatDate(p.nextRenewalAt)}, less the unused time on ${p.fromPlan.name}. ${next}`;
  }
  if (p.amountDueNow > 0) return `You'll be charged ${formatMoney(p.amountDueNow, p.currency)} today for the rest of this billing period. ${next}`;
  if (p.direction === 'downgrade') return `Nothing is due today: the unused time on ${p.fromPlan.name} is credited to your next invoice. ${next}`;
  return `Nothing is due today. ${next}`;
}

/** A proration line in the page's words and money format: "Unused time on Pro (Mar 1 – Mar 20, 2026)". */
export function describeLine(line: PlanChangePreview['lines'][number]): string {
  const period = formatPeriod(line.periodStart, line.periodEnd);
  if (line.kind === 'unused') return `Unused time on ${line.planName} (${period})`;
  if (line.kind === 'remaining') return `Remaining time on ${line.planName} (${period})`;
  return `${line.planName} (${period})`;
}

function PreviewBody({ preview }: { preview: PlanChangePreview }) {
  return (
    <>
      {preview.fromPlan.slug === preview.toPlan.slug ? (
        // The same plan at its other interval: what changes is how often it is billed.
        <p>
          <strong>{preview.toPlan.name}</strong>, from {intervalAdverb(preview.toPlan.interval === 'month' ? 'year' : 'month')} to{' '}
          {intervalAdverb(preview.toPlan.interval)} billing ({formatPrice(preview.toPlan.priceAmount, preview.toPlan.currency, preview.toPlan.interval)}).
        </p>
      ) : (
        <p>
          From <strong>{preview.fromPlan.name}</strong> to <strong>{preview.toPlan.name}</strong> (
          {formatPrice(preview.toPlan.priceAmount, preview.toPlan.currency, preview.toPlan.interval)}).
        </p>
      )}
      {preview.lines.length > 0 && (
        <table className="lines">
          <caption className="visually-hidden">Proration</caption>
          <tbody>
            {preview.lines.map((line, i) => (
              <tr key={i}>
                <td>{describeLine(line)}</td>
                <td className="num">{formatMoney(line.amount, preview.currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Due today</th>
              <td className="num total">{formatMoney(preview.amountDueNow, preview.currency)}</td>
            </tr>
          </tfoot>
        </table>
      )}
      {preview.lines.length === 0 && (
        <p className="total-line">
          Due today: <strong>{formatMoney(preview.amountDueNow, preview.currency)}</strong>
        </p>
      )}
      <p className="muted">{previewSummary(preview)}</p>
    </>
  );
}
