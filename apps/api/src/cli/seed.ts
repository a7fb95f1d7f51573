import { createApp, ensureAdmin, revealApiKey, syncAllPlansToStripe, type CliActor } from '@aquoris/core';
import { apps, planPrices, plans } from '@aquoris/db';
import { EnvError, loadDotEnv, loadEnv, loadSeedEnv } from '../env.ts';
import { createLogger } from '../logger.ts';
import { closeDeps, createDeps } from '../deps.ts';

/**
 * `pnpm db:seed`: idempotent (upserts; never resets an admin password or a
 * changed plan). Creates the default admin from SEED_ADMIN_*, a demo app
 * (printing its API key), and the free and pro plans, pro monthly and
 * yearly (its yearly price added unless it has one, or an operator made it a
 * yearly plan). It lives beside the CLI
 * rather than in packages/db because minting the app key uses core's crypto.
 */
const DEMO_PLANS = [
  { slug: 'free', name: 'Aquoris Free', priceAmount: 0, currency: 'thb', interval: 'month', trialDays: 0, displayOrder: 0 },
  { slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month', trialDays: 0, displayOrder: 1 },
] as const;
/** Pro's yearly price: THB 2,990.00, 17% less than twelve months of THB 299.00, so the billing page's switch shows a saving. */
const PRO_YEARLY = { interval: 'year', amount: 299000, currency: 'thb', stripePriceId: null } as const;

async function main(): Promise<number> {
  loadDotEnv();
  let env, seed;
  try {
    env = loadEnv();
    seed = loadSeedEnv(env.NODE_ENV, env.publicUrl);
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const deps = createDeps(env, { logger: createLogger('warn', process.stderr) });
  const actor: CliActor = { type: 'cli', user: 'seed' };
  try {
    const admin = seed.admin ? await ensureAdmin(deps, actor, seed.admin) : null;
    if (!admin) process.stderr.write('SEED_ADMIN_EMAIL / SEED_ADMIN_PASSWORD not set: no admin created\n');

    for (const plan of DEMO_PLANS) {
      await plans.insertIfMissing(deps.db.kysely, plan);
    }
    const pro = await plans.findBySlug(deps.db.kysely, 'pro');
    if (pro?.interval === 'month') await planPrices.insertIfMissing(deps.db.kysely, pro.id, PRO_YEARLY);
    const stripePrice = await seedStripePrice(deps, actor);

    const slug = seed.appSlug;
    const existing = await apps.findBySlug(deps.db.kysely, slug);
    const demoApp = existing
      ? { slug, created: false, apiKey: (await revealApiKey(deps, actor, slug)).apiKey }
      : {
          slug,
          created: true,
          apiKey: (
            await createApp(deps, actor, {
              slug,
              name: 'Demo App',
              returnUrl: seed.appReturnUrl,
            })
          ).apiKey,
        };
    process.stdout.write(`${JSON.stringify({ admin, app: demoApp, plans: DEMO_PLANS.map((p) => p.slug), stripePrice })}\n`);
    return 0;
  } finally {
    await closeDeps(deps);
  }
}

/**
 * With Stripe configured (the emulator in development), every paid plan (the demo's and any an operator
 * added) gets its product and price checked, and created where missing; idempotent. Problems are reported
 * on stderr by plan, never silently.
 */
async function seedStripePrice(deps: ReturnType<typeof createDeps>, actor: CliActor): Promise<string | null> {
  if (!deps.stripe) return null;
  try {
    const report = await syncAllPlansToStripe(deps, actor);
    for (const failure of report.failed) process.stderr.write(`Plan "${failure.slug}" has no usable Stripe price: ${failure.code} ${failure.message}\n`);
    return report.synced.find((plan) => plan.slug === 'pro')?.stripePriceId ?? null;
  } catch (error) {
    process.stderr.write(`The paid plans have no Stripe prices yet (is Stripe or the emulator reachable?): ${(error as Error).message}\n`);
    return null;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`seed failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
