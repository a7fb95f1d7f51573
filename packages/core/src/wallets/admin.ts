import { customers, isUniqueViolation, wallets, type CustomerRow, type WalletEntryRow } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { formatMoney } from '../money.ts';
import { callStripe } from '../stripe/gateway.ts';
import { parseInput } from '../validation.ts';
import { insufficientFunds, readWallet, toEntryView } from './ledger.ts';
import {
  AdjustWalletFormInput,
  AdjustWalletInput,
  AdminWalletInput,
  parseSignedMajorUnits,
  RefundDepositInput,
  type RefundDepositResult,
  type WalletChangeResult,
  type WalletView,
} from './schemas.ts';
import { stripeFor } from '../stripe-accounts/accounts.ts';

const createdBy = (actor: OperatorActor) => (actor.type === 'admin' ? actor.adminId : actor.type === 'cli' ? `cli:${actor.user}` : `system:${actor.name}`);

async function getCustomerOrThrow(deps: Pick<Deps, 'db'>, customerId: string): Promise<CustomerRow> {
  const customer = await customers.findById(deps.db.kysely, customerId);
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');
  return customer;
}

/** The customer page's wallets: balances and a page of the ledger. */
export async function getCustomerWallet(deps: Deps, _actor: OperatorActor, raw: unknown): Promise<WalletView> {
  const input = parseInput(AdminWalletInput, raw);
  const customer = await getCustomerOrThrow(deps, input.customerId);
  return readWallet(deps.db.kysely, customer.id, { ...input, limit: 20 });
}

/**
 * "Adjust wallet": one ADJUSTMENT entry (positive credits, negative takes out) with the operator's reason,
 * and one audit entry, both under the form's idempotency key. Taking out more than the balance is refused.
 */
export async function adjustWallet(deps: Deps, actor: OperatorActor, raw: unknown): Promise<WalletChangeResult> {
  const input = parseInput(AdjustWalletInput, raw);
  const customer = await getCustomerOrThrow(deps, input.customerId);
  const replay = async (): Promise<WalletChangeResult | null> => {
    const found = await wallets.findByIdempotencyKey(deps.db.kysely, customer.appId, input.idempotencyKey);
    if (!found) return null;
    if (found.kind !== 'ADJUSTMENT' || found.customerId !== customer.id || found.amount !== input.amountCents || found.currency !== input.currency) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This form was submitted already with other values; reload it to make a new adjustment');
    }
    return { entry: toEntryView(found, found.currency), balanceCents: found.balanceAfter };
  };
  const first = await replay();
  if (first) return first;
  try {
    return await deps.db.transaction(async (tx) => {
      const wallet = await wallets.lockOrCreate(tx, customer.appId, customer.id, input.currency);
      if (wallet.balance + input.amountCents < 0) throw insufficientFunds(wallet.balance, -input.amountCents, input.currency);
      const entry = await wallets.append(tx, wallet, {
        kind: 'ADJUSTMENT',
        amount: input.amountCents,
        description: input.reason,
        idempotencyKey: input.idempotencyKey,
        createdById: createdBy(actor),
      });
      await recordAudit(tx, actor, {
        action: 'wallet.adjusted',
        targetType: 'customer',
        targetId: customer.id,
        details: { entryId: entry.id, amountCents: input.amountCents, currency: input.currency, reason: input.reason, balanceCents: entry.balanceAfter },
      });
      return { entry: toEntryView(entry, input.currency), balanceCents: entry.balanceAfter };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const again = await replay();
      if (again) return again;
    }
    throw error;
  }
}

/** The admin form's "Adjust wallet": the signed major-units amount in minor units, then `adjustWallet`. */
export async function adjustWalletFromForm(deps: Deps, actor: OperatorActor, raw: unknown): Promise<WalletChangeResult> {
  const form = parseInput(AdjustWalletFormInput, raw);
  const parsed = parseSignedMajorUnits(form.amount, form.currency);
  if (!parsed.ok) throw new AppError('VALIDATION_ERROR', `amount: ${parsed.message}`);
  return adjustWallet(deps, actor, {
    customerId: form.customerId,
    amountCents: parsed.minor,
    currency: form.currency,
    reason: form.reason,
    idempotencyKey: form.idempotencyKey,
  });
}

/**
 * "Refund deposit": takes the deposit back out of the wallet, then refunds its payment through Stripe. The
 * REFUND entry is written first, under the wallet's lock (a deposit whose funds were spent is refused unless
 * the operator confirms a balance below zero), so a debit can never spend money already on its way back; the
 * Stripe refund then runs with no transaction open, under a key of that entry, so a retry after a Stripe
 * failure refunds once.
 */
export async function refundDeposit(deps: Deps, actor: OperatorActor, raw: unknown): Promise<RefundDepositResult> {
  const input = parseInput(RefundDepositInput, raw);
  const deposit = await wallets.findEntryInApp(deps.db.kysely, null, input.entryId);
  if (!deposit || deposit.kind !== 'DEPOSIT') throw new AppError('NOT_FOUND', 'No wallet deposit has this id');
  const sdeps = await stripeFor(deps, deposit.appId);
  if (!deposit.stripePaymentIntentId) throw new AppError('NO_CAPTURED_PAYMENT', 'This deposit has no Stripe payment to refund');
  const refund = (await wallets.findRefundOf(deps.db.kysely, deposit.id)) ?? (await takeBack(deps, actor, deposit, input.confirmNegativeBalance));
  const stripeRefund = await callStripe(deps, 'wallet deposit refund', () =>
    sdeps.stripe.refunds.create(
      { payment_intent: deposit.stripePaymentIntentId!, metadata: { walletEntryId: refund.id } },
      { idempotencyKey: `aqb-wallet-refund-${refund.id}` },
    ),
  );
  return { entry: toEntryView(refund, deposit.currency), balanceCents: refund.balanceAfter, stripeRefundId: stripeRefund.id };
}

async function takeBack(
  deps: Deps,
  actor: OperatorActor,
  deposit: WalletEntryRow & { customerId: string; currency: 'thb' | 'usd' },
  confirmNegative: boolean,
): Promise<WalletEntryRow> {
  try {
    return await deps.db.transaction(async (tx) => {
      const wallet = await wallets.lockOrCreate(tx, deposit.appId, deposit.customerId, deposit.currency);
      if (await wallets.findRefundOf(tx, deposit.id)) throw new AppError('DEPOSIT_ALREADY_REFUNDED', 'This deposit was refunded already');
      if (wallet.balance < deposit.amount && !confirmNegative) {
        const error = insufficientFunds(wallet.balance, deposit.amount, deposit.currency);
        throw new AppError(
          'INSUFFICIENT_FUNDS',
          `${error.message}: part of this deposit was spent. Refunding it anyway leaves the wallet at ${formatMoney(wallet.balance - deposit.amount, deposit.currency)}; confirm the negative balance to go ahead`,
          { details: error.details },
        );
      }
      const entry = await wallets.append(tx, wallet, {
        kind: 'REFUND',
        amount: -deposit.amount,
        description: 'Deposit refunded to the card',
        refundOfEntryId: deposit.id,
        stripePaymentIntentId: deposit.stripePaymentIntentId,
        createdById: createdBy(actor),
      });
      await recordAudit(tx, actor, {
        action: 'wallet.deposit_refunded',
        targetType: 'customer',
        targetId: deposit.customerId,
        details: {
          depositEntryId: deposit.id,
          entryId: entry.id,
          amountCents: deposit.amount,
          currency: deposit.currency,
          balanceCents: entry.balanceAfter,
          confirmedNegative: entry.balanceAfter < 0,
        },
      });
      return entry;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('DEPOSIT_ALREADY_REFUNDED', 'This deposit was refunded already');
    throw error;
  }
}
