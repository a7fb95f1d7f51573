import { Link } from '../lib/router.tsx';

/** No session cookie, or it expired: how to get back, never a raw error. */
export function SessionExpiredPage({ appName, returnUrl }: { appName?: string | undefined; returnUrl?: string | undefined }) {
  const app = appName ?? 'the app you came from';
  return (
    <section className="card message-card">
      <h1 id="page-title" tabIndex={-1}>
        Your billing session has ended
      </h1>
      <p>For your security, billing pages only open from a fresh link and stay open for a limited time. Nothing about your plan has changed.</p>
      <p>
        To get back here, go to {app}, open your account or settings, and choose <strong>Manage subscription</strong> or <strong>Upgrade</strong> again.
      </p>
      {returnUrl && appName && (
        <div className="actions">
          <a className="btn btn-primary" href={returnUrl}>
            Back to {appName}
          </a>
        </div>
      )}
    </section>
  );
}

export function NotFoundPage() {
  return (
    <section className="card message-card">
      <h1 id="page-title" tabIndex={-1}>
        Page not found
      </h1>
      <p>There's nothing at this address. Your subscription and invoices are on your billing page.</p>
      <div className="actions">
        <Link to="/" className="btn btn-primary">
          Go to billing
        </Link>
      </div>
    </section>
  );
}

/** The overview itself failed for another reason (network, server). */
export function UnavailablePage({ message, onRetry, retrying }: { message: string; onRetry(): void; retrying: boolean }) {
  return (
    <section className="card message-card">
      <h1 id="page-title" tabIndex={-1}>
        Billing is unavailable right now
      </h1>
      <p>{message}</p>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={onRetry} disabled={retrying} aria-busy={retrying || undefined}>
          {retrying ? 'Trying again…' : 'Try again'}
        </button>
      </div>
    </section>
  );
}
