import { leaveTo } from '../lib/leave.ts';
import { useEffect, useState } from 'react';
import { useCreateCheckout, usePlans, useSubscription } from '../api.ts';
import { CancelDialog } from '../components/CancelDialog.tsx';
import { PlanCard, type PlanNotice } from '../components/PlanCard.tsx';
import { PlanChangeDialog } from '../components/PlanChangeDialog.tsx';
import { ErrorBox, Skeleton } from '../components/ui.tsx';
import { describeError } from '../lib/errors.ts';
import { formatDate, intervalAdverb, type Interval } from '../lib/format.ts';
import { INTERVAL_LABEL, initialInterval, offersBothIntervals, yearlySavingLabel } from '../lib/intervals.ts';
import { LEAVING, useSingleFlight } from '../lib/hooks.ts';
import { useNotice } from '../lib/notice.tsx';
import { Link, navigate } from '../lib/router.tsx';
import { canceledNotice, describeSubscription } from '../lib/status.ts';
import type { BillingOverview, BillingPlan, BillingSubscription } from '../lib/types.ts';

interface Props {
  overview: BillingOverview;
  /** `?plan=` from the upgrade link. */
  planParam: string | null;
  /** `&interval=` beside it: the price (monthly or yearly) the upgrade link pre-selects. */
  intervalParam?: string | null;
}

/** What the plan buttons do for this subscriber. */
export type PlanMode = { kind: 'subscribe' } | { kind: 'change' } | { kind: 'blocked'; reason: string };

export function planMode(sub: BillingSubscription | null, appName: string): PlanMode {
  const view = describeSubscription(sub, new Date(), appName);
  if (!sub || view.canSubscribe) return { kind: 'subscribe' };
  if (!sub.manageable) return { kind: 'blocked', reason: `Your plan was arranged with the ${appName} team. Contact them to change it.` };
  if (view.canChangePlan) return { kind: 'change' };
  if (sub.cancelAtPeriodEnd)
    return { kind: 'blocked', reason: `Your plan ends on ${formatDate(sub.currentPeriodEnd)}. Resume it on your billing page to change plans.` };
  return { kind: 'blocked', reason: 'Your last payment needs attention. Update your payment method on your billing page first.' };
}

/**
 * What the free plan's card tells a subscriber who pays for a plan. Moving to
 * Free is no plan change (core refuses one to a price-0 plan, and activating
 * Free is refused while another plan is current): the paid plan is cancelled
 * at the end of its period, and Free is chosen once it has ended. So the card
 * says that and offers the cancellation the billing page offers, instead of a
 * button that could only fail.
 */
export function freePlanNotice(plan: BillingPlan, sub: BillingSubscription | null, appName: string): { text: string; canCancel: boolean } | null {
  if (plan.priceAmount !== 0 || plan.current || !sub || sub.free || !sub.manageable) return null;
  const view = describeSubscription(sub, new Date(), appName);
  const end = formatDate(sub.status === 'TRIALING' && sub.trialEnd ? sub.trialEnd : sub.currentPeriodEnd);
  if (view.canCancel)
    return {
      text: `To move to ${plan.name}, cancel your ${sub.plan.name} plan: you keep it until ${end}. After that, choose ${plan.name} here.`,
      canCancel: true,
    };
  if (sub.cancelAtPeriodEnd && view.hasAccess)
    return { text: `Your ${sub.plan.name} plan ends on ${end}. After that, choose ${plan.name} here.`, canCancel: false };
  return null;
}

export function PlanGridSkeleton() {
  return (
    <div className="plan-grid" aria-busy="true" aria-label="Loading plans">
      {[0, 1, 2].map((i) => (
        <div key={i} className="plan-card">
          <Skeleton width="50%" height="1.5rem" />
          <Skeleton width="80%" height="1rem" />
          <Skeleton width="60%" height="2.25rem" />
          <Skeleton height="2.75rem" />
        </div>
      ))}
    </div>
  );
}

export function PlansPage({ overview, planParam, intervalParam = null }: Props) {
  const plans = usePlans();
  const subscription = useSubscription();
  const checkout = useCreateCheckout();
  const { show } = useNotice();
  const [changeTo, setChangeTo] = useState<{ plan: BillingPlan; interval: Interval | undefined } | null>(null);
  const [chosenInterval, setChosenInterval] = useState<Interval | null>(null);
  const [cancelOpen, setCancelOpen] = useState(false);
  const [pendingSlug, setPendingSlug] = useState<string | null>(null);
  const selected = planParam ?? (overview.intent === 'upgrade' ? overview.planSlug : null);
  const sub = subscription.data?.subscription ?? null;
  const mode = subscription.data ? planMode(sub, overview.app.name) : null;

  const list = plans.data?.plans;
  const interval =
    chosenInterval ?? initialInterval(list ?? [], intervalParam === 'month' || intervalParam === 'year' ? intervalParam : overview.billingInterval);
  // A free plan has one price: it is asked for without an interval.
  const intervalFor = (plan: BillingPlan) => (plan.priceAmount === 0 ? undefined : interval);

  const subscribe = useSingleFlight(async (plan: BillingPlan) => {
    setPendingSlug(plan.slug);
    try {
      const result = await checkout.mutateAsync({ planSlug: plan.slug, billingInterval: intervalFor(plan) });
      if (result.kind === 'redirect') {
        leaveTo(result.url);
        return LEAVING;
      }
      setPendingSlug(null);
      if (result.kind === 'plan_change') return setChangeTo({ plan, interval: intervalFor(plan) });
      show({ text: `You're now on ${result.subscription.plan.name}.`, tone: 'success', path: '/' });
      navigate('/');
    } catch (error) {
      setPendingSlug(null);
      throw error;
    }
  });

  useEffect(() => {
    if (!plans.data || !selected) return;
    document.getElementById(`plan-${selected}`)?.scrollIntoView({ block: 'nearest' });
  }, [plans.data, selected]);

  const choose = (plan: BillingPlan) => {
    if (mode?.kind === 'change') setChangeTo({ plan, interval: intervalFor(plan) });
    else void subscribe.run(plan);
  };
  const cardNotice = (plan: BillingPlan): PlanNotice | null => {
    const free = freePlanNotice(plan, sub, overview.app.name);
    if (!free) return null;
    return free.canCancel ? { text: free.text, action: { label: 'Cancel plan', run: () => setCancelOpen(true) } } : { text: free.text };
  };
  const loading = plans.isPending || subscription.isPending;
  const error = plans.error ?? subscription.error;

  return (
    <>
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {mode?.kind === 'change' ? 'Change your plan' : 'Choose a plan'}
        </h1>
        <p className="lede">
          {mode?.kind === 'change'
            ? "Switch at any time. You'll see exactly what you pay before anything changes."
            : sub?.free
              ? `You're on the free plan. Pick a paid ${overview.app.name} plan: it replaces the free one as soon as it starts.`
              : `Pick the ${overview.app.name} plan that fits you. You can change or cancel at any time.`}
        </p>
      </div>
      {mode?.kind === 'blocked' && (
        <div className="alert alert-info" role="note">
          <p>{mode.reason}</p>
          <Link to="/">Go to your billing page</Link>
        </div>
      )}
      {checkout.error && (
        <div className="alert alert-danger" role="alert">
          <p>{describeError(checkout.error)}</p>
        </div>
      )}
      {error ? (
        <ErrorBox
          title="We couldn't load the plans"
          message={describeError(error)}
          onRetry={() => void Promise.all([plans.refetch(), subscription.refetch()])}
        />
      ) : loading || !list ? (
        <PlanGridSkeleton />
      ) : list.length === 0 ? (
        <p className="empty">There are no plans to choose from right now. Please check back later.</p>
      ) : (
        <>
          {offersBothIntervals(list) && <IntervalSwitch value={interval} saving={yearlySavingLabel(list)} onChange={setChosenInterval} />}
          <ul className="plan-grid" aria-label="Plans">
            {list.map((plan) => (
              <PlanCard
                key={plan.slug}
                plan={plan}
                notice={cardNotice(plan)}
                selected={plan.slug === selected && !plan.current}
                primary={plan.slug === selected || !list.some((p) => p.slug === selected && !p.current)}
                showBadges={list.some((p) => p.current || p.slug === selected)}
                mode={mode ?? { kind: 'subscribe' }}
                interval={interval}
                pending={pendingSlug === plan.slug}
                disabled={pendingSlug !== null && pendingSlug !== plan.slug}
                onChoose={choose}
              />
            ))}
          </ul>
        </>
      )}
      {sub?.manageable && (
        <CancelDialog
          subscription={sub}
          open={cancelOpen}
          onClose={() => setCancelOpen(false)}
          onCanceled={(updated) => {
            setCancelOpen(false);
            show({ text: canceledNotice(updated), tone: 'info', path: '/plans' });
          }}
        />
      )}
      <PlanChangeDialog
        planSlug={changeTo?.plan.slug ?? null}
        planName={changeTo ? changeName(changeTo.plan, changeTo.interval) : ''}
        billingInterval={changeTo?.interval}
        onClose={() => setChangeTo(null)}
        onChanged={(updated) => {
          setChangeTo(null);
          show({ text: `You're now on ${updated.plan.name}.`, tone: 'success', path: '/' });
          navigate('/');
        }}
      />
    </>
  );
}

/** The dialog's name for the change: the plan, or for the current plan its other interval ("Pro, billed yearly"). */
function changeName(plan: BillingPlan, interval: Interval | undefined): string {
  return plan.current && interval ? `${plan.name}, billed ${intervalAdverb(interval)}` : plan.name;
}

/** "Billing period: Monthly / Yearly": a radio group, so arrow keys move between the two and the choice is announced. */
export function IntervalSwitch({ value, saving, onChange }: { value: Interval; saving: string | null; onChange(interval: Interval): void }) {
  return (
    <fieldset className="interval-switch">
      <legend>Billing period</legend>
      <div className="interval-options">
        {(['month', 'year'] as const).map((interval) => (
          <label key={interval} className={`interval-option${value === interval ? ' interval-option-checked' : ''}`}>
            <input type="radio" name="billing-period" value={interval} checked={value === interval} onChange={() => onChange(interval)} />
            <span>{INTERVAL_LABEL[interval]}</span>
            {interval === 'year' && saving && <span className="interval-saving">{saving}</span>}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
