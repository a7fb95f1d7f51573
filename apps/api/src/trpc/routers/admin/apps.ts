import {
  AppView,
  ChangeAllowedOriginsInput,
  changeAllowedOrigins,
  CreateAppInput,
  createApp,
  listApps,
  revealApiKey,
  rotateApiKey,
  Slug,
  UpdateAppInput,
  updateApp,
} from '@aquoris/core';
import { z } from 'zod';
import { router } from '../../init.ts';
import { adminMutation, adminProcedure } from './procedures.ts';

const SlugInput = z.strictObject({ slug: Slug });
const WithKey = z.object({ app: AppView, apiKey: z.string() });

export const adminAppsRouter = router({
  list: adminProcedure.output(z.array(AppView)).query(({ ctx }) => listApps(ctx.deps)),
  /** The full key is in this answer only (and through revealKey, audited). */
  create: adminMutation
    .input(CreateAppInput)
    .output(WithKey)
    .mutation(({ ctx, input }) => createApp(ctx.deps, ctx.actor, input)),
  update: adminMutation
    .input(UpdateAppInput)
    .output(AppView)
    .mutation(({ ctx, input }) => updateApp(ctx.deps, ctx.actor, input)),
  /** Adds and removes redirect allowlist entries; one audit entry. */
  changeAllowedOrigins: adminMutation
    .input(ChangeAllowedOriginsInput)
    .output(AppView)
    .mutation(({ ctx, input }) => changeAllowedOrigins(ctx.deps, ctx.actor, input)),
  /** A mutation although it changes nothing: it is audited, and a GET could be replayed from another site's <img>. */
  revealKey: adminMutation
    .input(SlugInput)
    .output(z.object({ apiKey: z.string() }))
    .mutation(({ ctx, input }) => revealApiKey(ctx.deps, ctx.actor, input.slug)),
  /** The old key stops working at once. */
  regenerateKey: adminMutation
    .input(SlugInput)
    .output(WithKey)
    .mutation(({ ctx, input }) => rotateApiKey(ctx.deps, ctx.actor, input.slug)),
});
