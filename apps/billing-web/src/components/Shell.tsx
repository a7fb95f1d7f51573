import { useOnline } from '../lib/network.ts';
import { useNotice } from '../lib/notice.tsx';
import { Link } from '../lib/router.tsx';
import type { BillingOverview } from '../lib/types.ts';
import { Skeleton } from './ui.tsx';

const NAV = [
  { to: '/', label: 'Subscription' },
  { to: '/plans', label: 'Plans' },
  { to: '/wallet', label: 'Wallet' },
];

/** Which app this is for (subscribers must know where they came from), the way back, and the two pages. */
/** `path` null hides the page links (the session has ended: they would lead nowhere). */
export function Header({ overview, loading, path }: { overview: BillingOverview | undefined; loading: boolean; path: string | null }) {
  const name = overview?.app.name;
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <div className="brand">
          <span className={`brand-mark${loading ? ' brand-mark-loading' : ''}`} aria-hidden="true">
            {name ? name.slice(0, 1).toUpperCase() : loading ? '' : 'A'}
          </span>
          <span className="brand-text">
            {name ? (
              <span className="brand-app">{name}</span>
            ) : loading ? (
              <Skeleton width="7rem" height="1.1rem" />
            ) : (
              <span className="brand-app">Aquoris</span>
            )}
            <span className="brand-sub">Billing</span>
          </span>
        </div>
        {overview && (
          <a className="back-link" href={overview.returnUrl}>
            <span aria-hidden="true">← </span>Back to {overview.app.name}
          </a>
        )}
      </div>
      {path !== null && (
        <nav className="tabs" aria-label="Billing">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={path === item.to ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </header>
  );
}

/** `signedIn` false once the session has ended: nobody is signed in any more. */
export function Footer({ overview, signedIn }: { overview: BillingOverview | undefined; signedIn: boolean }) {
  const who = signedIn ? (overview?.customer.email ?? overview?.customer.name) : null;
  return (
    <footer className="footer">
      {who && <p>Signed in as {who}</p>}
      <p>Payments are processed securely by Stripe. Billing by Aquoris.</p>
    </footer>
  );
}

/** The confirmation of the last action, announced politely to screen readers. */
/** While the browser is offline: say so, and that nothing is sent meanwhile (actions fail at once, none is queued). */
export function OfflineNotice() {
  const online = useOnline();
  if (online) return null;
  // role="alert": announced as it appears (an empty status region would be a second one beside the notices).
  return (
    <div className="alert alert-warning offline-notice" role="alert">
      <p className="alert-title">You're offline</p>
      <p>Billing can't load or change anything until your connection is back. Nothing is sent in the meantime.</p>
    </div>
  );
}

export function NoticeBar() {
  const { notice, dismiss } = useNotice();
  return (
    <div role="status" className="notice-region">
      {notice && (
        <div className={`alert alert-${notice.tone} notice`}>
          <p>{notice.text}</p>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={dismiss}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
    </div>
  );
}
