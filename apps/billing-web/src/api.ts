import { trpc } from './trpc.ts';

/**
 * Every call the app makes to the subscriber router `billing.*`, in one
 * place (contract: packages/core/src/billing/schemas.ts). Pages use these
 * hooks, never `trpc` directly.
 */

export const useOverview = () => trpc.billing.overview.useQuery(undefined, { staleTime: Infinity });
export const useSubscription = () => trpc.billing.subscription.get.useQuery();
export const usePlans = () => trpc.billing.plans.useQuery();
/** `awaitingPayment`: back from the card page, the invoices are read again each second until the webhook marks it paid. */
export const useInvoices = (awaitingPayment = false) =>
  trpc.billing.invoices.useQuery(undefined, { refetchInterval: (query) => (awaitingPayment && query.state.dataUpdateCount < 30 ? 1000 : false) });
/** The card on file, from Stripe: asked only for a plan paid through Stripe. */
export const usePaymentMethod = (enabled: boolean) => trpc.billing.paymentMethod.useQuery(undefined, { enabled, staleTime: 60_000 });

/** The wallet: balances and the newest page of its history. */
export const useWallet = () => trpc.billing.wallet.get.useQuery({});

/** `billingInterval`: the plan's monthly or yearly price (undefined for a free plan, which has one). */
export const usePlanChangePreview = (planSlug: string | null, billingInterval?: 'month' | 'year') =>
  trpc.billing.planChange.preview.useQuery({ planSlug: planSlug ?? '', billingInterval }, { enabled: planSlug !== null, staleTime: 0, gcTime: 0 });

/**
 * Mutations refresh everything billing shows once they settle, except the card on file: none of them
 * changes it (the portal does, on another page), and its Stripe read must not hold up their notices.
 */
function useRefresh() {
  const utils = trpc.useUtils();
  return () => utils.billing.invalidate(undefined, { predicate: (query) => (query.queryKey[0] as string[] | undefined)?.[1] !== 'paymentMethod' });
}

export function useCreateCheckout() {
  const refresh = useRefresh();
  // A free plan is active at once, so what billing shows has changed (a redirect leaves the page instead).
  return trpc.billing.checkout.create.useMutation({ onSuccess: (result) => (result.kind === 'activated' ? refresh() : undefined) });
}

export function useVerifyCheckout() {
  return trpc.billing.checkout.verify.useMutation();
}

export function useConfirmPlanChange() {
  const onSuccess = useRefresh();
  return trpc.billing.planChange.confirm.useMutation({ onSuccess });
}

export function useCancelSubscription() {
  const onSuccess = useRefresh();
  return trpc.billing.subscription.cancel.useMutation({ onSuccess });
}

export function useResumeSubscription() {
  const onSuccess = useRefresh();
  return trpc.billing.subscription.resume.useMutation({ onSuccess });
}

/** "Pay now": the card page of the invoice's payment intent. */
export function usePayInvoice() {
  return trpc.billing.payInvoice.useMutation();
}

export function useCreatePortal() {
  return trpc.billing.portal.create.useMutation();
}

/** A one-off, uncached read of a checkout's status and the subscription it bought (for polling after checkout). */
export function useFetchCheckoutStatus() {
  const utils = trpc.useUtils();
  return (sessionId: string) => utils.billing.checkout.status.fetch({ sessionId }, { staleTime: 0, gcTime: 0 });
}

/** "Add funds": a Checkout Session in payment mode; the page then leaves for Checkout. */
export function useStartDeposit() {
  return trpc.billing.wallet.deposit.useMutation();
}

/** Back from Checkout: credits the deposit (once, however often called) and refreshes the wallet. */
export function useVerifyDeposit() {
  const utils = trpc.useUtils();
  return trpc.billing.wallet.verify.useMutation({ onSettled: () => utils.billing.wallet.invalidate() });
}
