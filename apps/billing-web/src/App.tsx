import { useEffect, useMemo, useRef, useState } from 'react';
import { useOverview } from './api.ts';
import { Header, Footer, NoticeBar, OfflineNotice } from './components/Shell.tsx';
import { describeError, isSessionError } from './lib/errors.ts';
import { NoticeContext, type Notice, type NoticeApi } from './lib/notice.tsx';
import { useLocation } from './lib/router.tsx';
import { useSessionExpired } from './lib/session.ts';
import { trpc } from './trpc.ts';
import { CheckoutSuccessPage } from './pages/CheckoutSuccess.tsx';
import { DashboardPage } from './pages/Dashboard.tsx';
import { NotFoundPage, SessionExpiredPage, UnavailablePage } from './pages/Messages.tsx';
import { PageSkeleton } from './pages/PageSkeleton.tsx';
import { PlansPage } from './pages/Plans.tsx';
import { WalletPage } from './pages/Wallet.tsx';

const PAGE_TITLES: Record<string, string> = { '/': 'Billing', '/plans': 'Plans', '/checkout/success': 'Payment confirmation', '/wallet': 'Wallet' };

/** Starts the page's own queries together with the overview, so they share one batched request. */
function usePrefetch(path: string) {
  const utils = trpc.useUtils();
  const firstPath = useRef(path);
  useEffect(() => {
    // Only for the first page: later pages fetch on their own.
    if (firstPath.current === '/') {
      void utils.billing.subscription.get.prefetch();
      void utils.billing.invoices.prefetch();
    } else if (firstPath.current === '/plans') {
      void utils.billing.subscription.get.prefetch();
      void utils.billing.plans.prefetch();
    }
  }, [utils]);
}

/** Route changes move focus to the new page's heading (and scroll up), like a page load would. */
function useRouteFocus(key: string) {
  // Compared with the last route rather than "first run", so StrictMode's double effects never steal focus on load.
  const last = useRef(key);
  useEffect(() => {
    if (last.current === key) return;
    last.current = key;
    window.scrollTo(0, 0);
    document.getElementById('page-title')?.focus();
  }, [key]);
}

export function App() {
  const overview = useOverview();
  const { path, query } = useLocation();
  const expired = useSessionExpired(overview.data?.sessionExpiresAt, () => void overview.refetch());
  const [notice, setNotice] = useState<Notice | null>(null);
  // A notice belongs to its page and goes when the subscriber goes elsewhere. Dropped while rendering (React
  // renders again before committing), not in an effect, which let the next page commit once with the old notice.
  if (notice && notice.path !== path) setNotice(null);
  const notices = useMemo<NoticeApi>(() => ({ notice, show: setNotice, dismiss: () => setNotice(null) }), [notice]);
  usePrefetch(path);
  useRouteFocus(path);

  const data = overview.data;
  const sessionGone = expired || (overview.error !== null && isSessionError(overview.error));
  useEffect(() => {
    const page = sessionGone ? 'Session ended' : (PAGE_TITLES[path] ?? 'Not found');
    document.title = data ? `${page} · ${data.app.name}` : `${page} · Billing`;
  }, [path, data, sessionGone]);

  let page;
  if (sessionGone) page = <SessionExpiredPage appName={data?.app.name} returnUrl={data?.returnUrl} />;
  else if (overview.error)
    page = <UnavailablePage message={describeError(overview.error)} onRetry={() => void overview.refetch()} retrying={overview.isFetching} />;
  else if (!data) page = <PageSkeleton path={path} />;
  else if (path === '/') page = <DashboardPage overview={data} />;
  else if (path === '/plans') page = <PlansPage overview={data} planParam={query.get('plan')} intervalParam={query.get('interval')} />;
  else if (path === '/wallet') page = <WalletPage sessionId={query.get('session_id')} />;
  else if (path === '/checkout/success') page = <CheckoutSuccessPage overview={data} sessionId={query.get('session_id')} />;
  else page = <NotFoundPage />;

  return (
    <NoticeContext.Provider value={notices}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header overview={data} loading={overview.isPending && !sessionGone} path={sessionGone ? null : path} />
      <main id="main" tabIndex={-1} className="main">
        <OfflineNotice />
        {!sessionGone && <NoticeBar />}
        {page}
      </main>
      <Footer overview={data} signedIn={!sessionGone} />
    </NoticeContext.Provider>
  );
}
