import { formatMoney, formatTrial, intervalAdverb, type Interval } from '../lib/format.ts';
import { currentIntervalOf, INTERVAL_LABEL, priceAt } from '../lib/intervals.ts';
import type { BillingPlan } from '../lib/types.ts';
import type { PlanMode } from '../pages/Plans.tsx';
import { Badge, Button } from './ui.tsx';

/** Said on a card instead of its button, when the button would not do what it says; `action` is what to do instead. */
export interface PlanNotice {
  text: string;
  action?: { label: string; run(): void };
}

interface Props {
  plan: BillingPlan;
  notice?: PlanNotice | null;
  /** Pre-selected by an upgrade session: highlighted, and its button is the primary one. */
  selected: boolean;
  /** Its button is a primary one (the selected plan, or every plan when none is selected). */
  primary: boolean;
  /** Some card in the list has a badge: every card keeps the row, so names line up. */
  showBadges: boolean;
  mode: PlanMode;
  /** The billing period chosen in the switch: the card shows its price at it. */
  interval: Interval;
  pending: boolean;
  disabled: boolean;
  onChoose(plan: BillingPlan): void;
}

function buttonLabel(plan: BillingPlan, currentHere: boolean, interval: Interval, mode: PlanMode): string {
  if (currentHere) return 'Your current plan';
  // The same plan at the other interval: a plan change like any other, through its preview.
  if (plan.current) return `Switch to ${INTERVAL_LABEL[interval].toLowerCase()} billing`;
  if (mode.kind === 'change') return `Switch to ${plan.name}`;
  return 'Subscribe';
}

export function PlanCard({ plan, notice, selected, primary, showBadges, mode, interval, pending, disabled, onChoose }: Props) {
  // A trial is for new subscribers: a plan change is billed at once.
  const trial = mode.kind === 'change' ? null : formatTrial(plan.trialDays);
  const headingId = `plan-${plan.slug}-name`;
  const blocked = mode.kind === 'blocked';
  // A price-0 plan is activated at once, without checkout (core's checkout/free-plan.ts).
  const free = plan.priceAmount === 0;
  const price = priceAt(plan, interval);
  // The current plan is the plan at the interval the subscriber is on (a free plan has but one).
  const currentHere = plan.current && (free || currentIntervalOf(plan) === interval);
  return (
    <li
      id={`plan-${plan.slug}`}
      className={`plan-card${selected ? ' plan-card-selected' : ''}${plan.current ? ' plan-card-current' : ''}`}
      aria-labelledby={headingId}
    >
      {showBadges && (
        <div className="plan-card-badges">
          {plan.current && <Badge tone="success">{currentHere ? 'Current plan' : `Current plan, billed ${intervalAdverb(currentIntervalOf(plan)!)}`}</Badge>}
          {selected && <Badge tone="info">Selected for you</Badge>}
        </div>
      )}
      <h2 id={headingId} className="plan-card-name">
        {plan.name}
      </h2>
      {/* The price before the description, so prices line up across cards whatever the descriptions' lengths. */}
      {free ? (
        <p className="plan-card-price">
          <span className="amount">Free</span>
        </p>
      ) : price ? (
        <p className="plan-card-price">
          <span className="amount">{formatMoney(price.priceAmount, price.currency)}</span>
          <span className="per"> / {price.interval}</span>
        </p>
      ) : (
        <p className="plan-card-price plan-card-unavailable">
          <span className="amount">Not available {intervalAdverb(interval)}</span>
        </p>
      )}
      <p className="plan-card-meta">
        {free
          ? 'No payment needed'
          : !price
            ? `${plan.name} is billed ${plan.prices.map((p) => intervalAdverb(p.interval)).join(' or ')} only`
            : trial
              ? `${trial}, then billed ${intervalAdverb(price.interval)}`
              : `Billed ${intervalAdverb(price.interval)}`}
      </p>
      {plan.description && <p className="plan-card-desc">{plan.description}</p>}
      {!price ? null : notice ? (
        <>
          <p className="plan-card-notice">{notice.text}</p>
          {notice.action && (
            <Button variant="secondary" className="plan-card-button" disabled={disabled} onClick={notice.action.run}>
              {notice.action.label}
            </Button>
          )}
        </>
      ) : (
        <Button
          variant={currentHere ? 'ghost' : primary ? 'primary' : 'secondary'}
          className="plan-card-button"
          disabled={currentHere || blocked || disabled}
          pending={pending}
          pendingLabel={free ? 'Activating…' : 'Redirecting to checkout…'}
          onClick={() => onChoose(plan)}
        >
          {buttonLabel(plan, currentHere, interval, mode)}
          {!plan.current && mode.kind === 'subscribe' && <span className="visually-hidden"> to {plan.name}</span>}
          {plan.current && !currentHere && <span className="visually-hidden"> for {plan.name}</span>}
        </Button>
      )}
    </li>
  );
}
