import { leaveTo } from '../lib/leave.ts';
import { useState } from 'react';
import { useCreatePortal, usePaymentMethod, useResumeSubscription, useSubscription } from '../api.ts';
import { describeError } from '../lib/errors.ts';
import { formatCard, formatDate } from '../lib/format.ts';
import { LEAVING, useSingleFlight } from '../lib/hooks.ts';
import { useNotice } from '../lib/notice.tsx';
import { Link } from '../lib/router.tsx';
import { canceledNotice, describeSubscription } from '../lib/status.ts';
import type { BillingSubscription, EndedSubscription } from '../lib/types.ts';
import { CancelDialog } from './CancelDialog.tsx';
import { Badge, Button, ErrorBox, Skeleton } from './ui.tsx';

/** The dashboard's main card: the plan, its status in plain words, and what the subscriber can do. */
export function CurrentPlan({ appName }: { appName: string }) {
  const query = useSubscription();
  return (
    <section className="card" aria-labelledby="plan-heading" aria-busy={query.isPending}>
      <h2 id="plan-heading" className="card-title">
        Current plan
      </h2>
      {query.isPending ? (
        <PlanSkeleton />
      ) : query.error ? (
        <ErrorBox title="We couldn't load your plan" message={describeError(query.error)} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : (
        <PlanDetails subscription={query.data.subscription} lastEnded={query.data.lastEnded} appName={appName} />
      )}
    </section>
  );
}

/** The card's body while loading, the size of a typical plan (no jump when it arrives). */
export function PlanSkeleton() {
  return (
    <div className="plan-body">
      <Skeleton width="40%" height="1.8rem" />
      <Skeleton width="30%" height="1.7rem" />
      <Skeleton width="10rem" height="2.6rem" />
      <Skeleton width="100%" height="3rem" />
      <div className="actions">
        <Skeleton width="8rem" height="2.75rem" />
        <Skeleton width="12rem" height="2.75rem" />
      </div>
    </div>
  );
}

/** "Card on file: Visa •••• 4242 · expires 12/2034", read from Stripe; a failed read says so and can be retried. */
function CardOnFile() {
  const query = usePaymentMethod(true);
  if (query.isPending) return null;
  return (
    <div>
      <dt>Card on file</dt>
      <dd>
        {query.error ? (
          <>
            <span className="muted">We couldn't load your card. </span>
            <button type="button" className="link-btn" onClick={() => void query.refetch()}>
              Try again
            </button>
          </>
        ) : query.data.card ? (
          formatCard(query.data.card)
        ) : (
          <span className="muted">None</span>
        )}
      </dd>
    </div>
  );
}

function PlanDetails({ subscription, lastEnded, appName }: { subscription: BillingSubscription | null; lastEnded: EndedSubscription | null; appName: string }) {
  const view = describeSubscription(subscription, new Date(), appName, lastEnded);
  const [cancelOpen, setCancelOpen] = useState(false);
  const { show } = useNotice();
  const resume = useResumeSubscription();
  const portal = useCreatePortal();
  const resumeAction = useSingleFlight(async () => {
    const updated = await resume.mutateAsync();
    show({ text: `Your plan is back on. It renews on ${formatDate(updated.currentPeriodEnd)}.`, tone: 'success', path: '/' });
  });
  const portalAction = useSingleFlight(async () => {
    const { url } = await portal.mutateAsync();
    leaveTo(url);
    return LEAVING;
  });
  const actionError = resume.error ?? portal.error;

  return (
    <div className="plan-body">
      <div className="plan-headline">
        <p className="plan-name">{subscription ? subscription.plan.name : 'No plan'}</p>
        {(subscription || lastEnded) && <Badge tone={view.tone}>{view.label}</Badge>}
      </div>
      {view.price && (
        <p className="plan-price">
          {view.price.amount}
          <span className="muted">{view.price.per ? ` / ${view.price.per}` : ' · nothing to pay'}</span>
        </p>
      )}
      {(view.keyDate || subscription?.manageable) && (
        <dl className="facts">
          {view.keyDate && (
            <div>
              <dt>{view.keyDate.label}</dt>
              <dd>{view.keyDate.date}</dd>
            </div>
          )}
          {subscription?.manageable && <CardOnFile />}
        </dl>
      )}
      <p className={`status-message status-${view.tone}`}>{view.message}</p>
      <div className="actions">
        {view.canSubscribe && (
          <Link to="/plans" className="btn btn-primary">
            Choose a plan
          </Link>
        )}
        {view.canChangePlan && (
          <Link to="/plans" className="btn btn-primary">
            Change plan
          </Link>
        )}
        {view.canResume && (
          <Button variant="primary" onClick={() => void resumeAction.run()} pending={resumeAction.pending} pendingLabel="Resuming…">
            Resume plan
          </Button>
        )}
        {view.canUpdatePayment && (
          <Button
            variant={subscription?.status === 'PAST_DUE' || subscription?.status === 'UNPAID' ? 'primary' : 'secondary'}
            onClick={() => void portalAction.run()}
            pending={portalAction.pending}
            pendingLabel="Opening…"
          >
            Update payment method
          </Button>
        )}
        {view.canCancel && (
          <Button variant="ghost" className="btn-danger-text" onClick={() => setCancelOpen(true)}>
            Cancel plan
          </Button>
        )}
      </div>
      {actionError && (
        <div className="alert alert-danger" role="alert">
          <p>{describeError(actionError)}</p>
        </div>
      )}
      {subscription?.manageable && (
        <CancelDialog
          subscription={subscription}
          open={cancelOpen}
          onClose={() => setCancelOpen(false)}
          onCanceled={(updated) => {
            setCancelOpen(false);
            show({ text: canceledNotice(updated), tone: 'info', path: '/' });
          }}
        />
      )}
    </div>
  );
}
