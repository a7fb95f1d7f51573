import { z } from 'zod';
import { CurrencySchema, ExternalUserId } from '../common/schemas.ts';
import { parseMajorUnits, type Currency } from '../money.ts';
import { Cursor } from '../pagination.ts';

/** Aquoris's deposit limits (the integration guide's $5.00 and $500.00), in minor units of any currency. */
export const MIN_DEPOSIT_CENTS = 500;
export const MAX_DEPOSIT_CENTS = 50_000;

const RedirectUrl = z.string().min(1).max(2048);
const IdempotencyKey = z.string().trim().min(1).max(255);
const Description = z.string().trim().min(1).max(1024);
/** One entry's amount: a positive number of minor units, below the largest the ledger column holds. */
const EntryCents = z.number().int().positive().max(1_000_000_000);

export const WalletParams = z.strictObject({ externalUserId: ExternalUserId });

export const CreateDepositBody = z
  .strictObject({
    amountCents: z
      .number()
      .int()
      .meta({ description: `Minor units, ${MIN_DEPOSIT_CENTS} to ${MAX_DEPOSIT_CENTS}` }),
    currency: CurrencySchema,
    successUrl: RedirectUrl.meta({ description: 'Where Checkout sends the customer after paying; {CHECKOUT_SESSION_ID} is replaced with the session id' }),
    cancelUrl: RedirectUrl,
  })
  .meta({ id: 'CreateWalletDepositBody' });
export type CreateDepositBody = z.input<typeof CreateDepositBody>;

export const CreateDepositResponse = z
  .object({ url: z.string().meta({ description: 'Stripe Checkout (payment mode): redirect the customer here' }) })
  .meta({ id: 'WalletDepositSession' });
export type CreateDepositResponse = z.infer<typeof CreateDepositResponse>;

export const VerifyDepositQuery = z.strictObject({
  session_id: z.string().min(1).max(255).meta({ description: 'The Checkout Session id Stripe put in successUrl', example: 'cs_test_a1b2c3' }),
});

export const VerifyDepositResponse = z
  .object({
    deposited: z.boolean().meta({ description: 'True once the deposit is in the wallet (exactly once, however often this is called)' }),
    amountCents: z.number().int(),
    currency: CurrencySchema,
  })
  .meta({ id: 'WalletDepositVerification' });
export type VerifyDepositResponse = z.infer<typeof VerifyDepositResponse>;

export const CreateDebitBody = z
  .strictObject({
    amountCents: EntryCents,
    currency: CurrencySchema,
    description: Description,
    idempotencyKey: IdempotencyKey.meta({ description: 'Unique per debit in your app: a replay answers with the first result' }),
  })
  .meta({ id: 'CreateWalletDebitBody' });
export type CreateDebitBody = z.input<typeof CreateDebitBody>;

export const WalletEntryView = z
  .object({
    id: z.string(),
    kind: z.enum(['DEPOSIT', 'DEBIT', 'REFUND', 'ADJUSTMENT']),
    /** Signed minor units: deposits and positive adjustments add, the rest take. */
    amountCents: z.number().int(),
    currency: CurrencySchema,
    balanceAfterCents: z.number().int(),
    description: z.string().nullable(),
    /** Deposits: whether a refund has given it back already. */
    refunded: z.boolean().optional(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WalletEntry' });
export type WalletEntryView = z.infer<typeof WalletEntryView>;

export const DebitResponse = z.object({ entry: WalletEntryView, balanceCents: z.number().int() }).meta({ id: 'WalletDebit' });
export type DebitResponse = z.infer<typeof DebitResponse>;

export const WalletQuery = z.strictObject({
  currency: CurrencySchema.optional().meta({ description: 'Only this currency (balances and history)' }),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'History entries per page (1-100, default 20)' }),
});

export const WalletBalance = z.object({ currency: CurrencySchema, balanceCents: z.number().int() }).meta({ id: 'WalletBalance' });

export const WalletView = z
  .object({
    balances: z.array(WalletBalance),
    history: z.array(WalletEntryView),
    nextCursor: z.string().nullable().meta({ description: 'Pass as cursor for the next (older) page; null on the last page' }),
  })
  .meta({ id: 'Wallet' });
export type WalletView = z.infer<typeof WalletView>;

/** Subscriber pages: the wallet of the signed-in customer. */
export const SubscriberWalletInput = z.strictObject({ currency: CurrencySchema.optional(), cursor: Cursor.optional() });
export const SubscriberDepositInput = z.strictObject({ amountCents: z.number().int(), currency: CurrencySchema });
export const SubscriberVerifyDepositInput = z.strictObject({ sessionId: z.string().min(1).max(255) });

/** Admin console. */
export const AdminWalletInput = z.strictObject({ customerId: z.string().min(1).max(255), currency: CurrencySchema.optional(), cursor: Cursor.optional() });

export const AdjustWalletInput = z.strictObject({
  customerId: z.string().min(1).max(255),
  /** Signed minor units: positive credits, negative takes out. */
  amountCents: z
    .number()
    .int()
    .min(-1_000_000_000)
    .max(1_000_000_000)
    .refine((n) => n !== 0, 'Amount must not be zero'),
  currency: CurrencySchema,
  reason: z.string().trim().min(1, 'A reason is required').max(1024),
  /** The form's key: submitting it twice records one adjustment. */
  idempotencyKey: IdempotencyKey,
});
export type AdjustWalletInput = z.input<typeof AdjustWalletInput>;

export const RefundDepositInput = z.strictObject({
  entryId: z.string().min(1).max(255),
  /** The deposit's funds were spent: take it back anyway, leaving the wallet below zero (a negative adjustment the operator confirmed). */
  confirmNegativeBalance: z.boolean().default(false),
});
export type RefundDepositInput = z.input<typeof RefundDepositInput>;

export const WalletChangeResult = z.object({ entry: WalletEntryView, balanceCents: z.number().int() });
export type WalletChangeResult = z.infer<typeof WalletChangeResult>;

export const RefundDepositResult = WalletChangeResult.extend({ stripeRefundId: z.string() });
export type RefundDepositResult = z.infer<typeof RefundDepositResult>;

/** "25.00" or "-10.00" (a leading + or - then an amount as a person types it) → signed minor units. */
export function parseSignedMajorUnits(text: string, currency: Currency): { ok: true; minor: number } | { ok: false; message: string } {
  const value = text.trim();
  const negative = value.startsWith('-');
  const parsed = parseMajorUnits(value.replace(/^[+-]/, ''), currency);
  if (!parsed.ok) return { ok: false, message: `${parsed.message}; a leading - takes money out` };
  return { ok: true, minor: negative ? -parsed.minor : parsed.minor };
}

/** "Adjust wallet" as the admin form sends it: a signed amount in major units ("-10.00" takes out), and a required reason. */
export const AdjustWalletFormInput = z
  .strictObject({
    customerId: z.string().min(1).max(255),
    amount: z.string().trim().min(1, 'enter the amount, e.g. 25.00 (or -10.00 to take out)').max(32),
    currency: CurrencySchema,
    reason: z.string().trim().min(1, 'a reason is required').max(1024),
    idempotencyKey: z.string().min(8).max(255),
  })
  .superRefine((input, ctx) => {
    const parsed = parseSignedMajorUnits(input.amount, input.currency);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['amount'], message: parsed.message });
  });
export type AdjustWalletFormInput = z.infer<typeof AdjustWalletFormInput>;
