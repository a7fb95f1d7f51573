import { QueryClientProvider } from '@tanstack/react-query';
import { httpBatchLink } from '@trpc/client';
import { StrictMode, useState } from 'react';
import { browserErrorTrackingOptions, readBrowserErrorTracking } from '@aquoris/core/error-tracking';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createQueryClient, fetchWithTimeout } from './lib/network.ts';
import { trpc } from './trpc.ts';
import './styles.css';
import './components.css';
import './pages.css';
import './dialog.css';
import './narrow.css';

// Error tracking, only when the API serves a DSN (NEXT_PUBLIC_SENTRY_DSN): Sentry is not loaded otherwise.
const errorTracking = readBrowserErrorTracking(document, {
  dsn: import.meta.env.NEXT_PUBLIC_SENTRY_DSN,
  environment: import.meta.env.NEXT_PUBLIC_SENTRY_ENVIRONMENT,
});
// A bundle chunk that fails to load leaves the page without error tracking, nothing more.
if (errorTracking)
  void import('@sentry/react').then(
    (Sentry) => Sentry.init(browserErrorTrackingOptions(errorTracking, 'billing-web')),
    () => {},
  );

function Root() {
  const [queryClient] = useState(createQueryClient);
  const [client] = useState(() =>
    trpc.createClient({ links: [httpBatchLink({ url: '/trpc', fetch: (url, init) => fetchWithTimeout(url, { ...init, credentials: 'same-origin' }) })] }),
  );
  return (
    <trpc.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </trpc.Provider>
  );
}

// Coming back from Stripe with the Back button restores this page from the
// back/forward cache, buttons still "Redirecting…": load it fresh instead.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) window.location.reload();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
