import type { AppRouter } from '@aquoris/api/trpc';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { render } from '@testing-library/react';
import { StrictMode, type ReactElement } from 'react';
import { trpc } from '../trpc.ts';

/** Procedure paths of the subscriber router, as the app calls them (src/api.ts). */
export const P = {
  overview: 'billing.overview',
  subscription: 'billing.subscription.get',
  plans: 'billing.plans',
  invoices: 'billing.invoices',
  paymentMethod: 'billing.paymentMethod',
  checkout: 'billing.checkout.create',
  verify: 'billing.checkout.verify',
  checkoutStatus: 'billing.checkout.status',
  preview: 'billing.planChange.preview',
  confirm: 'billing.planChange.confirm',
  cancel: 'billing.subscription.cancel',
  resume: 'billing.subscription.resume',
  portal: 'billing.portal.create',
} as const;

/** A fake `billing.*` server: procedure path → handler. A missing handler never answers (a request still in flight). */
export type Handlers = Record<string, (input: unknown) => unknown>;

/** The error the API sends for an AppError (apps/api/src/trpc/init.ts): `message` for developers, `userMessage` for people. */
export function apiError(appCode: string, message = appCode, userMessage?: string): TRPCClientError<AppRouter> {
  const data = { appCode, code: appCode, httpStatus: 400, ...(userMessage === undefined ? {} : { userMessage }) };
  return new TRPCClientError(message, { result: { error: { message, code: -32600, data } } } as never);
}

/** `staleTime`: as main.tsx sets it (10 s), for tests of what must refresh after a mutation; 0 by default. */
export function renderWithApi(ui: ReactElement, handlers: Handlers, options: { staleTime?: number } = {}) {
  const calls: Array<{ path: string; input: unknown }> = [];
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: options.staleTime ?? 0 }, mutations: { retry: false } } });
  const link: TRPCLink<AppRouter> =
    () =>
    ({ op }) =>
      observable((observer) => {
        calls.push({ path: op.path, input: op.input });
        const handler = handlers[op.path];
        if (!handler) return () => {};
        Promise.resolve()
          .then(() => handler(op.input))
          .then(
            (data) => {
              observer.next({ result: { type: 'data', data } });
              observer.complete();
            },
            (error: unknown) => observer.error(error instanceof TRPCClientError ? error : TRPCClientError.from(error as Error)),
          );
        return () => {};
      });
  const client = trpc.createClient({ links: [link] });
  // StrictMode as in main.tsx: effects run twice in development, and the app must not mind.
  const result = render(
    <StrictMode>
      <trpc.Provider client={client} queryClient={queryClient}>
        <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
      </trpc.Provider>
    </StrictMode>,
  );
  const callsTo = (path: string) => calls.filter((c) => c.path === path);
  return { ...result, calls, callsTo, queryClient };
}
