import {
  deactivateStripeConfig,
  getAppBySlugOrThrow,
  getStripeConfig,
  PutStripeConfigInput,
  putStripeConfig,
  Slug,
  StripeConfigView,
  StripeWebhookUrlsView,
  stripeWebhookUrls,
  ValidateStripeConfigInput,
  ValidateStripeConfigView,
  validateStripeConfig,
} from '@aquoris/core';
import { z } from 'zod';
import { router } from '../../init.ts';
import { adminMutation, adminProcedure } from './procedures.ts';

const AppInput = z.strictObject({ slug: Slug });
const SettingsView = z.object({ config: StripeConfigView, webhookUrls: StripeWebhookUrlsView });
const appIdOf = async (deps: Parameters<typeof getAppBySlugOrThrow>[0], slug: string) => (await getAppBySlugOrThrow(deps, slug)).id;

/** The app page's "Stripe settings": the same services as /api/v1/stripe/config, for the app an admin names. */
export const adminStripeConfigRouter = router({
  get: adminProcedure
    .input(AppInput)
    .output(SettingsView)
    .query(async ({ ctx, input }) => {
      const appId = await appIdOf(ctx.deps, input.slug);
      return { config: await getStripeConfig(ctx.deps, ctx.actor, appId), webhookUrls: stripeWebhookUrls(ctx.deps, appId) };
    }),
  set: adminMutation
    .input(AppInput.extend({ config: PutStripeConfigInput }))
    .output(StripeConfigView)
    .mutation(async ({ ctx, input }) => putStripeConfig(ctx.deps, ctx.actor, await appIdOf(ctx.deps, input.slug), input.config)),
  validate: adminMutation
    .input(AppInput.extend({ check: ValidateStripeConfigInput }))
    .output(ValidateStripeConfigView)
    .mutation(async ({ ctx, input }) => validateStripeConfig(ctx.deps, ctx.actor, await appIdOf(ctx.deps, input.slug), input.check)),
  deactivate: adminMutation
    .input(AppInput)
    .output(StripeConfigView)
    .mutation(async ({ ctx, input }) => deactivateStripeConfig(ctx.deps, ctx.actor, await appIdOf(ctx.deps, input.slug))),
});
