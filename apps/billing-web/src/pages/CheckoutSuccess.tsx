import { leaveTo } from '../lib/leave.ts';
import { useEffect, useRef, type ReactNode } from 'react';
import { Button, ErrorBox, Spinner } from '../components/ui.tsx';
import { describeError } from '../lib/errors.ts';
import { formatDate, formatPrice } from '../lib/format.ts';
import { useCountdown } from '../lib/hooks.ts';
import { Link } from '../lib/router.tsx';
import { useCheckoutWait } from '../lib/use-checkout-wait.ts';
import type { BillingOverview, BillingSubscription } from '../lib/types.ts';

/** Seconds before an upgrade session returns to the app on its own. */
export const RETURN_AFTER = { confirmed: 5, slow: 15 } as const;

const TITLES = {
  verifying: 'Confirming your payment…',
  polling: 'Confirming your payment…',
  confirmed: "You're all set",
  slow: 'Your payment is being processed',
  expired: 'This checkout has expired',
  not_found: "We couldn't find your checkout",
  failed: "We couldn't confirm your payment",
} as const;

export function CheckoutSuccessPage({ overview, sessionId }: { overview: BillingOverview; sessionId: string | null }) {
  const { state, checkAgain } = useCheckoutWait(sessionId);
  const app = overview.app.name;
  const waiting = state.phase === 'verifying' || state.phase === 'polling';
  const title = sessionId ? TITLES[state.phase] : TITLES.not_found;
  const heading = useRef<HTMLHeadingElement>(null);
  const previousTitle = useRef(title);

  // A new outcome is a new page for the subscriber: move focus to it so it is read out.
  useEffect(() => {
    if (previousTitle.current !== title) heading.current?.focus();
    previousTitle.current = title;
  }, [title]);

  return (
    <section className="card checkout-card" aria-busy={waiting}>
      <h1 id="page-title" tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {!sessionId || state.phase === 'not_found' ? (
        <>
          <p>
            {sessionId
              ? "This confirmation link doesn't match a checkout of yours: it may be incomplete, or belong to another account."
              : 'This page is reached after paying.'}{' '}
            If you just paid, your plan will appear on your billing page shortly.
          </p>
          <div className="actions">
            <Link to="/" className="btn btn-primary">
              Go to billing
            </Link>
            <Link to="/plans" className="btn btn-secondary">
              Choose a plan
            </Link>
          </div>
        </>
      ) : waiting ? (
        <>
          <Spinner label="Waiting for confirmation from the payment provider" />
          <p className="muted">This usually takes a few seconds. Please keep this page open.</p>
        </>
      ) : state.phase === 'confirmed' ? (
        <Confirmed overview={overview} subscription={state.subscription} />
      ) : state.phase === 'slow' ? (
        <>
          <p>
            This is taking longer than usual, but you don't need to do anything. As soon as your payment is confirmed, your plan starts automatically and {app}{' '}
            unlocks it, usually within a few minutes. We're still checking on this page.
          </p>
          <p className="muted">If you were charged and your plan hasn't appeared within an hour, contact {app} support. You won't be charged twice.</p>
          <NextSteps
            overview={overview}
            seconds={RETURN_AFTER.slow}
            first={
              <Button variant="primary" onClick={checkAgain}>
                Check again
              </Button>
            }
          />
        </>
      ) : state.phase === 'expired' ? (
        <>
          <p>The checkout page was open too long and has expired. Nothing was charged.</p>
          <div className="actions">
            <Link to="/plans" className="btn btn-primary">
              Choose a plan
            </Link>
          </div>
        </>
      ) : (
        <ErrorBox title="Something went wrong" message={describeError(state.error)} onRetry={checkAgain} />
      )}
    </section>
  );
}

function Confirmed({ overview, subscription }: { overview: BillingOverview; subscription: BillingSubscription }) {
  const { plan } = subscription;
  const when =
    subscription.status === 'TRIALING' && subscription.trialEnd
      ? `Your free trial runs until ${formatDate(subscription.trialEnd)}.`
      : `It renews on ${formatDate(subscription.currentPeriodEnd)}.`;
  return (
    <>
      <p>
        Thank you! You're now subscribed to <strong>{plan.name}</strong> ({formatPrice(plan.priceAmount, plan.currency, plan.interval)}). {when}
      </p>
      <NextSteps overview={overview} seconds={RETURN_AFTER.confirmed} />
    </>
  );
}

/**
 * The way on. Upgrade sessions go back to the app on their own after a
 * countdown the subscriber can skip or stop; manage sessions offer the way back.
 */
function NextSteps({ overview, seconds, first }: { overview: BillingOverview; seconds: number; first?: ReactNode }) {
  const upgrade = overview.intent === 'upgrade';
  const countdown = useCountdown(seconds, upgrade, () => leaveTo(overview.returnUrl));
  const app = overview.app.name;
  const billing = (
    <Link to="/" className="btn btn-secondary">
      View billing
    </Link>
  );
  if (!upgrade) {
    return (
      <div className="actions">
        {first}
        <a className={`btn ${first ? 'btn-secondary' : 'btn-primary'}`} href={overview.returnUrl}>
          Back to {app}
        </a>
        {billing}
      </div>
    );
  }
  return (
    <>
      {first && <div className="actions">{first}</div>}
      <div className="return-line">
        {countdown.running ? (
          <p role="timer" aria-live="off">
            Taking you back to {app} in {countdown.remaining} s.
          </p>
        ) : (
          <p>You can go back to {app} whenever you like.</p>
        )}
        <div className="actions">
          <Button variant="primary" onClick={countdown.skip}>
            Return to {app} now
          </Button>
          {countdown.running ? <Button onClick={countdown.stop}>Stay on this page</Button> : billing}
        </div>
      </div>
    </>
  );
}
