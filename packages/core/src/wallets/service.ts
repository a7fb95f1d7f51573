import { isUniqueViolation, wallets } from '@aquoris/db';
import type { AppActor, SubscriberActor } from '../actors.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { createDepositSession, verifyDepositSession } from './deposits.ts';
import { getAppCustomerOrThrow, insufficientFunds, readWallet, toEntryView } from './ledger.ts';
import { assertDepositRedirect } from './redirect.ts';
import {
  CreateDebitBody,
  CreateDepositBody,
  SubscriberDepositInput,
  SubscriberVerifyDepositInput,
  SubscriberWalletInput,
  VerifyDepositQuery,
  WalletQuery,
  type CreateDepositResponse,
  type DebitResponse,
  type VerifyDepositResponse,
  type WalletView,
} from './schemas.ts';

/** POST /customers/{externalUserId}/wallet/deposits: a Checkout Session in payment mode for the deposit. */
export async function createWalletDeposit(deps: Deps, actor: AppActor, externalUserId: string, raw: unknown): Promise<CreateDepositResponse> {
  const body = parseInput(CreateDepositBody, raw);
  const customer = await getAppCustomerOrThrow(deps, actor, externalUserId);
  const successUrl = await assertDepositRedirect(deps, actor.appId, 'successUrl', body.successUrl);
  const cancelUrl = await assertDepositRedirect(deps, actor.appId, 'cancelUrl', body.cancelUrl);
  const url = await createDepositSession(deps, actor, {
    appId: actor.appId,
    customerId: customer.id,
    amountCents: body.amountCents,
    currency: body.currency,
    successUrl,
    cancelUrl,
  });
  return { url };
}

/** GET /wallet/deposits/verify?session_id=: credits a paid deposit of this app (once) and says whether it is in. */
export async function verifyWalletDeposit(deps: Deps, actor: AppActor, raw: unknown): Promise<VerifyDepositResponse> {
  const query = parseInput(VerifyDepositQuery, raw);
  return verifyDepositSession(deps, actor, actor.appId, query.session_id);
}

/**
 * POST /customers/{externalUserId}/wallet/debits. Under the wallet's row lock: a key recorded already answers
 * with its first result (or 409 when the parameters differ), a balance short of the amount is 402, and
 * otherwise one DEBIT entry. Concurrent debits queue on the lock, so the balance never goes below zero.
 */
export async function debitWallet(deps: Deps, actor: AppActor, externalUserId: string, raw: unknown): Promise<DebitResponse> {
  const body = parseInput(CreateDebitBody, raw);
  const customer = await getAppCustomerOrThrow(deps, actor, externalUserId);
  const replay = async (): Promise<DebitResponse | null> => {
    const found = await wallets.findByIdempotencyKey(deps.db.kysely, actor.appId, body.idempotencyKey);
    if (!found) return null;
    const same =
      found.kind === 'DEBIT' &&
      found.customerId === customer.id &&
      found.currency === body.currency &&
      found.amount === -body.amountCents &&
      found.description === body.description;
    if (!same)
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        `idempotencyKey "${body.idempotencyKey}" was used already with other parameters; use a new key for a new debit`,
      );
    return { entry: toEntryView(found, found.currency), balanceCents: found.balanceAfter };
  };
  const first = await replay();
  if (first) return first;
  try {
    return await deps.db.transaction(async (tx) => {
      const wallet = await wallets.lockOrCreate(tx, actor.appId, customer.id, body.currency);
      if (wallet.balance < body.amountCents) throw insufficientFunds(wallet.balance, body.amountCents, body.currency);
      const entry = await wallets.append(tx, wallet, {
        kind: 'DEBIT',
        amount: -body.amountCents,
        description: body.description,
        idempotencyKey: body.idempotencyKey,
      });
      return { entry: toEntryView(entry, body.currency), balanceCents: entry.balanceAfter };
    });
  } catch (error) {
    // The same key raced in on another request (of this wallet, or another): answer as its replay.
    if (isUniqueViolation(error)) {
      const again = await replay();
      if (again) return again;
    }
    throw error;
  }
}

/** GET /customers/{externalUserId}/wallet: balances per currency and a page of the history. */
export async function getWallet(deps: Deps, actor: AppActor, externalUserId: string, raw: unknown): Promise<WalletView> {
  const query = parseInput(WalletQuery, raw);
  const customer = await getAppCustomerOrThrow(deps, actor, externalUserId);
  return readWallet(deps.db.kysely, customer.id, query);
}

/** The subscriber's own wallet (billing pages). */
export async function getOwnWallet(deps: Deps, actor: SubscriberActor, raw: unknown): Promise<WalletView> {
  const input = parseInput(SubscriberWalletInput, raw);
  return readWallet(deps.db.kysely, actor.customerId, { ...input, limit: 20 });
}

/** "Add funds" on the billing pages: Checkout comes back to the wallet page, which verifies the deposit. */
export async function startOwnDeposit(deps: Deps, actor: SubscriberActor, raw: unknown): Promise<CreateDepositResponse> {
  const input = parseInput(SubscriberDepositInput, raw);
  const page = `${deps.config.publicUrl}/billing/wallet`;
  const url = await createDepositSession(deps, actor, {
    appId: actor.appId,
    customerId: actor.customerId,
    amountCents: input.amountCents,
    currency: input.currency,
    successUrl: `${page}?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: page,
  });
  return { url };
}

export async function verifyOwnDeposit(deps: Deps, actor: SubscriberActor, raw: unknown): Promise<VerifyDepositResponse> {
  const input = parseInput(SubscriberVerifyDepositInput, raw);
  return verifyDepositSession(deps, actor, actor.appId, input.sessionId, actor.customerId);
}
