import { z } from 'zod';

export const StripeModeSchema = z.enum(['test', 'live']);
export type StripeMode = z.infer<typeof StripeModeSchema>;

const Secret = z.string().trim().min(12, 'is too short to be a Stripe key').max(255);

/** The three values of one mode, checked for their prefixes by the service (a 400 naming the field). */
export const StripeModeKeysInput = z
  .strictObject({
    secretKey: Secret.describe('Secret key (sk_test_/sk_live_) or restricted key (rk_test_/rk_live_) of this mode'),
    publishableKey: Secret.describe('Publishable key (pk_test_/pk_live_) of this mode'),
    webhookSigningSecret: Secret.describe("Signing secret (whsec_) of the webhook endpoint at this mode's URL (GET /stripe/webhook-urls)"),
  })
  .meta({ id: 'StripeModeKeysInput' });
export type StripeModeKeysInput = z.infer<typeof StripeModeKeysInput>;

export const PutStripeConfigInput = z
  .strictObject({
    testMode: z.boolean().default(true).describe('true (the default): the app uses its test keys; false: its live keys'),
    test: StripeModeKeysInput.optional(),
    live: StripeModeKeysInput.optional(),
  })
  .describe("The app's own Stripe account. Each mode given replaces that mode's keys; a mode left out keeps its keys.")
  .meta({ id: 'PutStripeConfigInput' });
export type PutStripeConfigInput = z.input<typeof PutStripeConfigInput>;

export const StripeModeKeysView = z
  .strictObject({
    secretKeyLast4: z.string(),
    publishableKey: z.string(),
    webhookSigningSecretLast4: z.string(),
    setAt: z.iso.datetime(),
  })
  .meta({ id: 'StripeModeKeysView' });

export const StripeConfigView = z
  .strictObject({
    account: z.enum(['platform', 'own']).describe("platform: the service's own Stripe account (the default); own: the keys below"),
    testMode: z.boolean(),
    test: StripeModeKeysView.nullable(),
    live: StripeModeKeysView.nullable(),
  })
  .meta({ id: 'StripeConfigView' });
export type StripeConfigView = z.infer<typeof StripeConfigView>;

export const ValidateStripeConfigInput = z
  .strictObject({
    mode: StripeModeSchema,
    secretKey: Secret.optional().describe("The key to try; omitted: the app's saved key of this mode"),
  })
  .meta({ id: 'ValidateStripeConfigInput' });
export type ValidateStripeConfigInput = z.infer<typeof ValidateStripeConfigInput>;

export const ValidateStripeConfigView = z
  .strictObject({
    valid: z.literal(true),
    accountId: z.string(),
    mode: StripeModeSchema,
  })
  .meta({ id: 'ValidateStripeConfigView' });
export type ValidateStripeConfigView = z.infer<typeof ValidateStripeConfigView>;

export const StripeWebhookUrlsView = z
  .strictObject({
    test: z.url(),
    live: z.url(),
  })
  .meta({ id: 'StripeWebhookUrlsView' });
export type StripeWebhookUrlsView = z.infer<typeof StripeWebhookUrlsView>;

export const SetPlanStripePriceInput = z
  .strictObject({
    planSlug: z.string().min(1).max(128),
    mode: StripeModeSchema,
    interval: z.enum(['month', 'year']).optional().describe("The billing interval the price is for; default the plan's"),
    stripePriceId: z
      .string()
      .trim()
      .regex(/^price_\w+$/, 'must be a Stripe price id (price_...)'),
  })
  .meta({ id: 'SetPlanStripePriceInput' });
export type SetPlanStripePriceInput = z.infer<typeof SetPlanStripePriceInput>;

export const PlanStripePriceView = z
  .strictObject({
    planSlug: z.string(),
    mode: StripeModeSchema,
    interval: z.enum(['month', 'year']),
    stripePriceId: z.string(),
  })
  .meta({ id: 'PlanStripePriceView' });
export type PlanStripePriceView = z.infer<typeof PlanStripePriceView>;

export const ListPlanStripePricesView = z.strictObject({ data: z.array(PlanStripePriceView) }).meta({ id: 'ListPlanStripePricesView' });
