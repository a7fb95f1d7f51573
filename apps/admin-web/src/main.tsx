import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { httpBatchLink, httpLink, splitLink } from '@trpc/client';
import { StrictMode, useState } from 'react';
import { browserErrorTrackingOptions, readBrowserErrorTracking } from '@aquoris/core/error-tracking';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Shell } from './components/Shell.tsx';
import { isUnauthorized } from './lib/errors.ts';
import { AdminsPage } from './pages/Admins.tsx';
import { ApiTokensPage } from './pages/ApiTokens.tsx';
import { AppsPage } from './pages/Apps.tsx';
import { StripeSettingsPage } from './pages/StripeSettings.tsx';
import { AuditLogPage } from './pages/AuditLog.tsx';
import { CustomerDetailPage } from './pages/CustomerDetail.tsx';
import { CustomersPage } from './pages/Customers.tsx';
import { DashboardPage } from './pages/Dashboard.tsx';
import { LoginPage } from './pages/Login.tsx';
import { NotFoundPage } from './pages/NotFound.tsx';
import { PlansPage } from './pages/Plans.tsx';
import { SubscriptionsPage } from './pages/Subscriptions.tsx';
import { TransactionsPage } from './pages/Transactions.tsx';
import { trpc } from './trpc.ts';
import './styles.css';

// Error tracking, only when the API serves a DSN (NEXT_PUBLIC_SENTRY_DSN): Sentry is not loaded otherwise.
const errorTracking = readBrowserErrorTracking(document, {
  dsn: import.meta.env.NEXT_PUBLIC_SENTRY_DSN,
  environment: import.meta.env.NEXT_PUBLIC_SENTRY_ENVIRONMENT,
});
// A bundle chunk that fails to load leaves the page without error tracking, nothing more.
if (errorTracking)
  void import('@sentry/react').then(
    (Sentry) => Sentry.init(browserErrorTrackingOptions(errorTracking, 'admin-web')),
    () => {},
  );

const router = createBrowserRouter(
  [
    { path: '/login', element: <LoginPage /> },
    {
      element: <Shell />,
      children: [
        { index: true, element: <DashboardPage /> },
        { path: 'apps', element: <AppsPage /> },
        { path: 'apps/:slug/stripe', element: <StripeSettingsPage /> },
        { path: 'plans', element: <PlansPage /> },
        { path: 'customers', element: <CustomersPage /> },
        { path: 'customers/:customerId', element: <CustomerDetailPage /> },
        { path: 'subscriptions', element: <SubscriptionsPage /> },
        { path: 'transactions', element: <TransactionsPage /> },
        { path: 'audit-log', element: <AuditLogPage /> },
        { path: 'api-tokens', element: <ApiTokensPage /> },
        { path: 'admins', element: <AdminsPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ],
  { basename: '/admin' },
);

/** The header every admin change must carry (the server refuses cross-site requests without it). */
const ADMIN_HEADERS = () => ({ 'x-aquoris-admin': '1' });
const sameOriginFetch = (url: URL | RequestInfo, init?: RequestInit) => fetch(url, { ...init, credentials: 'same-origin' });
/** A figure has a 10-second server timeout; past 15 s the browser gives up too, and the card shows "--". */
const FIGURE_CLIENT_TIMEOUT_MS = 15_000;
const dashboardFetch = (url: URL | RequestInfo, init?: RequestInit) => {
  const timeout = AbortSignal.timeout(FIGURE_CLIENT_TIMEOUT_MS);
  return sameOriginFetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
};

function Root() {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: (count, error) => count < 1 && !isUnauthorized(error), refetchOnWindowFocus: false, staleTime: 5_000 },
          mutations: { retry: false },
        },
      }),
  );
  const [client] = useState(() =>
    trpc.createClient({
      links: [
        // The Dashboard's cards and charts go one request each: in a batch, the slowest would hold back every other.
        splitLink({
          condition: (op) => op.path.startsWith('admin.dashboard.'),
          true: httpLink({ url: '/trpc', headers: ADMIN_HEADERS, fetch: dashboardFetch }),
          false: httpBatchLink({ url: '/trpc', headers: ADMIN_HEADERS, fetch: sameOriginFetch }),
        }),
      ],
    }),
  );
  return (
    <trpc.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </trpc.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
