import { formatMoney, formatTrial, intervalAdverb } from '../lib/format.ts';
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
  pending: boolean;
  disabled: boolean;
  onChoose(plan: BillingPlan): void;
}

function buttonLabel(plan: BillingPlan, mode: PlanMode): string {
  if (plan.current) return 'Your current plan';
  if (mode.kind === 'change') return `Switch to ${plan.name}`;
  return 'Subscribe';
}

export function PlanCard({ plan, notice, selected, primary, showBadges, mode, pending, disabled, onChoose }: Props) {
  // A trial is for new subscribers: a plan change is billed at once.
  const trial = mode.kind === 'change' ? null : formatTrial(plan.trialDays);
  const headingId = `plan-${plan.slug}-name`;
  const blocked = mode.kind === 'blocked';
  // A price-0 plan is activated at once, without checkout (core's checkout/free-plan.ts).
  const free = plan.priceAmount === 0;
  return (
    <li
      id={`plan-${plan.slug}`}
      className={`plan-card${selected ? ' plan-card-selected' : ''}${plan.current ? ' plan-card-current' : ''}`}
      aria-labelledby={headingId}
    >
      {showBadges && (
        <div className="plan-card-badges">
          {plan.current && <Badge tone="success">Current plan</Badge>}
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
      ) : (
        <p className="plan-card-price">
          <span className="amount">{formatMoney(plan.priceAmount, plan.currency)}</span>
          <span className="per"> / {plan.interval}</span>
        </p>
      )}
      <p className="plan-card-meta">
        {free ? 'No payment needed' : trial ? `${trial}, then billed ${intervalAdverb(plan.interval)}` : `Billed ${intervalAdverb(plan.interval)}`}
      </p>
      {plan.description && <p className="plan-card-desc">{plan.description}</p>}
      {notice ? (
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
          variant={plan.current ? 'ghost' : primary ? 'primary' : 'secondary'}
          className="plan-card-button"
          disabled={plan.current || blocked || disabled}
          pending={pending}
          pendingLabel={free ? 'Activating…' : 'Redirecting to checkout…'}
          onClick={() => onChoose(plan)}
        >
          {buttonLabel(plan, mode)}
          {!plan.current && mode.kind === 'subscribe' && <span className="visually-hidden"> to {plan.name}</span>}
        </Button>
      )}
    </li>
  );
}
