import { customers, wallets, type Tx } from '@aquoris/db';
import type Stripe from 'stripe';
import type { Actor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { ensureStripeCustomer } from '../customers/stripe.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { CURRENCIES, formatMoney, type Currency } from '../money.ts';
import { callStripe } from '../stripe/gateway.ts';
import { idOf } from '../stripe/mapping.ts';
import { MAX_DEPOSIT_CENTS, MIN_DEPOSIT_CENTS, type VerifyDepositResponse } from './schemas.ts';
import { stripeFor } from '../stripe-accounts/accounts.ts';

/** `metadata.kind` of a Checkout Session that funds a wallet: what tells it from a subscription's Checkout. */
export const WALLET_DEPOSIT_KIND = 'wallet_deposit';

export function isWalletDepositSession(session: Stripe.Checkout.Session): boolean {
  return session.mode === 'payment' && session.metadata?.kind === WALLET_DEPOSIT_KIND;
}

export function checkDepositAmount(amountCents: number, currency: Currency): void {
  if (amountCents < MIN_DEPOSIT_CENTS || amountCents > MAX_DEPOSIT_CENTS) {
    throw new AppError(
      'BAD_REQUEST',
      `amountCents: a deposit is ${MIN_DEPOSIT_CENTS} to ${MAX_DEPOSIT_CENTS} (${formatMoney(MIN_DEPOSIT_CENTS, currency)} to ${formatMoney(MAX_DEPOSIT_CENTS, currency)}); got ${amountCents}`,
      {
        details: { fields: { amountCents: `A deposit is ${formatMoney(MIN_DEPOSIT_CENTS, currency)} to ${formatMoney(MAX_DEPOSIT_CENTS, currency)}` } },
        userMessage: `Add between ${formatMoney(MIN_DEPOSIT_CENTS, currency)} and ${formatMoney(MAX_DEPOSIT_CENTS, currency)}.`,
      },
    );
  }
}

export interface DepositRequest {
  appId: string;
  customerId: string;
  amountCents: number;
  currency: Currency;
  successUrl: string;
  cancelUrl: string;
}

/** A Stripe Checkout Session in payment mode for one deposit, its owner in the metadata. Returns Checkout's URL. */
export async function createDepositSession(deps: Deps, actor: Actor, request: DepositRequest): Promise<string> {
  checkDepositAmount(request.amountCents, request.currency);
  const sdeps = await stripeFor(deps, request.appId);
  const stripeCustomerId = await ensureStripeCustomer(deps, request.customerId);
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'payment',
    customer: stripeCustomerId,
    line_items: [{ price_data: { currency: request.currency, unit_amount: request.amountCents, product_data: { name: 'Wallet deposit' } }, quantity: 1 }],
    client_reference_id: request.customerId,
    metadata: { kind: WALLET_DEPOSIT_KIND, appId: request.appId, customerId: request.customerId },
    success_url: request.successUrl,
    cancel_url: request.cancelUrl,
  };
  const session = await callStripe(deps, 'wallet deposit checkout create', () => sdeps.stripe.checkout.sessions.create(params));
  if (!session.url) throw new AppError('PROVIDER_ERROR', 'Stripe returned a Checkout Session without a URL');
  await recordAudit(deps.db.kysely, actor, {
    action: 'wallet.deposit_started',
    targetType: 'customer',
    targetId: request.customerId,
    details: { amountCents: request.amountCents, currency: request.currency, stripeCheckoutSessionId: session.id },
  });
  return session.url;
}

export interface CreditOutcome extends VerifyDepositResponse {
  /** True when this call wrote the deposit (false when it was in already, or is not paid yet). */
  credited: boolean;
  outcome: Record<string, unknown>;
}

function currencyOf(session: Stripe.Checkout.Session): Currency | null {
  const c = session.currency?.toLowerCase();
  return c && (CURRENCIES as readonly string[]).includes(c) ? (c as Currency) : null;
}

/**
 * The one credit of a deposit, shared by the verify call and the `checkout.session.completed` webhook,
 * from Stripe's current state of the session (read with no transaction open). The Checkout Session id is
 * a unique key of the ledger, and it is looked up again under the wallet's row lock, so any mix of calls
 * and deliveries, at the same time or not, credits once.
 */
export async function creditDepositInTx(tx: Tx, actor: Actor, session: Stripe.Checkout.Session): Promise<CreditOutcome> {
  const currency = currencyOf(session);
  const amountCents = session.amount_total ?? 0;
  const base = { amountCents, currency: currency ?? 'usd', credited: false };
  const { appId, customerId } = session.metadata ?? {};
  if (!isWalletDepositSession(session) || !appId || !customerId || !currency) {
    return { ...base, deposited: false, outcome: { skipped: 'not a wallet deposit session' } };
  }
  if (session.status !== 'complete' || session.payment_status !== 'paid') {
    return { ...base, deposited: false, outcome: { deposit: session.status, paymentStatus: session.payment_status } };
  }
  if (!(await customers.findInApp(tx, appId, customerId))) return { ...base, deposited: false, outcome: { skipped: 'deposit of no customer of ours' } };
  const wallet = await wallets.lockOrCreate(tx, appId, customerId, currency);
  const existing = await wallets.findDepositBySession(tx, session.id);
  if (existing) return { ...base, amountCents: existing.amount, deposited: true, outcome: { entryId: existing.id, credited: false } };
  const entry = await wallets.append(tx, wallet, {
    kind: 'DEPOSIT',
    amount: amountCents,
    description: 'Deposit through Stripe Checkout',
    stripeCheckoutSessionId: session.id,
    stripePaymentIntentId: idOf(session.payment_intent),
  });
  await recordAudit(tx, actor, {
    action: 'wallet.deposit_credited',
    targetType: 'wallet_entry',
    targetId: entry.id,
    details: { customerId, amountCents, currency, stripeCheckoutSessionId: session.id, balanceCents: entry.balanceAfter },
  });
  return { ...base, deposited: true, credited: true, outcome: { entryId: entry.id, credited: true, balanceCents: entry.balanceAfter } };
}

/** Verify after Checkout's redirect: reads the session from Stripe and credits it (once) if it is paid and belongs to `appId`. */
export async function verifyDepositSession(
  deps: Deps,
  actor: Actor,
  appId: string,
  stripeSessionId: string,
  customerId?: string,
): Promise<VerifyDepositResponse> {
  const sdeps = await stripeFor(deps, appId);
  const session = await callStripe(deps, 'wallet deposit checkout retrieve', () => sdeps.stripe.checkout.sessions.retrieve(stripeSessionId)).catch(
    (error: unknown) => {
      if (error instanceof AppError && error.code === 'PROVIDER_OBJECT_MISSING') throw notFound();
      throw error;
    },
  );
  const owner = session.metadata ?? {};
  if (!isWalletDepositSession(session) || owner.appId !== appId || (customerId !== undefined && owner.customerId !== customerId)) throw notFound();
  const result = await deps.db.transaction((tx) => creditDepositInTx(tx, actor, session));
  return { deposited: result.deposited, amountCents: result.amountCents, currency: result.currency };
}

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No wallet deposit of this app has this Checkout Session id');
}
