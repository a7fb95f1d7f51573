import {
  AppError,
  cancelSubscriptionAtPeriodEnd,
  createAdmin,
  extendSubscription,
  getCustomerDetail,
  issueInvoice,
  listAuditEntries,
  listCustomerInvoices,
  listSubscriptions,
  recordManualPayment,
  resolveCustomerId,
  resumeSubscription,
  searchCustomers,
  changeAllowedOrigins,
  createApp,
  createPlan,
  createPlanWithStripePrice,
  grantManualSubscription,
  listAllPlans,
  listApps,
  revealApiKey,
  refundInvoice,
  reencryptApiKeys,
  rebuildMetrics,
  type RebuildAppProgress,
  rotateApiKey,
  syncAllPlansToStripe,
  syncPlanToStripe,
  type CliActor,
} from '@aquoris/core';
import type { ApiDeps } from '../context.ts';
import { EnvError, parseSecret, readSecretFromEnv } from '../env.ts';
import { bool, num, page, pageOptions, s, str, type OptionSpec, type Values } from './flags.ts';
import { TOKEN_COMMANDS } from './token-commands.ts';
import { PLAN_COMMANDS } from './plan-commands.ts';
import { OTHER_PRICE_USAGE, otherPriceFromFlags, otherPriceOptions } from './plan-flags.ts';
import { STRIPE_CONFIG_COMMANDS } from './stripe-commands.ts';
import { WEBHOOK_COMMANDS } from './webhook-commands.ts';

export interface Command {
  usage: string;
  summary: string;
  options: OptionSpec;
  required: string[];
  run(deps: ApiDeps, actor: CliActor, values: Values): Promise<unknown>;
}

function planView(p: Awaited<ReturnType<typeof listAllPlans>>[number]) {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    priceAmount: p.priceAmount,
    currency: p.currency,
    interval: p.interval,
    trialDays: p.trialDays,
    stripePriceId: p.stripePriceId,
    active: p.active,
    displayOrder: p.displayOrder,
  };
}

/** --customer ID, or --app SLUG --user EXTERNAL_ID. */
const customerRef = (deps: ApiDeps, v: Values) => resolveCustomerId(deps, { customerId: s(v.customer), appSlug: s(v.app), externalUserId: s(v.user) });
const upper = (v: string | boolean | undefined) => (typeof v === 'string' ? v.toUpperCase() : undefined);

/** Looking at things: customers, subscriptions, invoices and the audit log, as the admin console shows them. */
const VIEW_COMMANDS: Record<string, Command> = {
  'customers:list': {
    usage: '[--search PREFIX] [--app SLUG] [--limit N] [--cursor CURSOR]',
    summary: 'Customers, newest first; --search matches the start of the external user id, email or name (any case). Pass nextCursor as --cursor',
    options: { search: str, app: str, ...pageOptions },
    required: [],
    run: (deps, _actor, v) =>
      searchCustomers(deps, { ...(v.search !== undefined ? { query: s(v.search) } : {}), ...(v.app !== undefined ? { appSlug: s(v.app) } : {}), ...page(v) }),
  },
  'customers:show': {
    usage: '--customer ID | --app SLUG --user EXTERNAL_ID',
    summary: "A customer's profile, subscriptions, invoices with refunds, and audit entries",
    options: { customer: str, app: str, user: str },
    required: [],
    run: async (deps, _actor, v) => getCustomerDetail(deps, { customerId: await customerRef(deps, v) }),
  },
  'subscriptions:list': {
    usage: '[--status ACTIVE|TRIALING|PAST_DUE|CANCELED|...] [--app SLUG] [--plan SLUG] [--limit N] [--cursor CURSOR]',
    summary: 'Subscriptions, newest first, with the exact total for the filter',
    options: { status: str, app: str, plan: str, ...pageOptions },
    required: [],
    run: (deps, _actor, v) =>
      listSubscriptions(deps, {
        ...(v.status !== undefined ? { status: upper(v.status) as 'ACTIVE' } : {}),
        ...(v.app !== undefined ? { appSlug: s(v.app) } : {}),
        ...(v.plan !== undefined ? { planSlug: s(v.plan) } : {}),
        ...page(v),
      }),
  },
  'invoices:list': {
    usage: '--customer ID | --app SLUG --user EXTERNAL_ID',
    summary: "A customer's invoices, newest first, with their refunds and what is left to refund",
    options: { customer: str, app: str, user: str },
    required: [],
    run: async (deps, _actor, v) => listCustomerInvoices(deps, { customerId: await customerRef(deps, v) }),
  },
  'invoices:issue': {
    usage: '(--customer ID | --app SLUG --user EXTERNAL_ID) --amount MAJOR_UNITS --currency thb|usd --description TEXT --due YYYY-MM-DD',
    summary: 'Issue an invoice to a customer: OPEN until paid by card through a payment intent ("Pay now")',
    options: { customer: str, app: str, user: str, amount: str, currency: str, description: str, due: str },
    required: ['amount', 'currency', 'description', 'due'],
    run: async (deps, actor, v) =>
      issueInvoice(deps, actor, {
        customerId: await customerRef(deps, v),
        amount: s(v.amount)!,
        currency: s(v.currency) as 'thb',
        description: s(v.description)!,
        dueDate: s(v.due)!,
      }),
  },
  'audit:list': {
    usage: '[--actor-type ADMIN|APP|SUBSCRIBER|SYSTEM|STRIPE|CLI] [--action ACTION] [--limit N] [--cursor CURSOR]',
    summary: 'Audit entries, newest first: time, actor, action, target, details',
    options: { 'actor-type': str, action: str, ...pageOptions },
    required: [],
    run: (deps, _actor, v) =>
      listAuditEntries(deps, {
        ...(v['actor-type'] !== undefined ? { actorType: upper(v['actor-type']) as 'ADMIN' } : {}),
        ...(v.action !== undefined ? { action: s(v.action) } : {}),
        ...page(v),
      }),
  },
  'subscriptions:cancel': {
    usage: '--subscription ID',
    summary: 'Cancel a subscription at its period end (Stripe ones through Stripe)',
    options: { subscription: str },
    required: ['subscription'],
    run: (deps, actor, v) => cancelSubscriptionAtPeriodEnd(deps, actor, { subscriptionId: s(v.subscription)! }),
  },
  'subscriptions:resume': {
    usage: '--subscription ID',
    summary: 'Undo a cancellation while the period still runs',
    options: { subscription: str },
    required: ['subscription'],
    run: (deps, actor, v) => resumeSubscription(deps, actor, { subscriptionId: s(v.subscription)! }),
  },
  'subscriptions:extend': {
    usage: '--subscription ID --days N --reason TEXT',
    summary: "Add days to the current period (a Stripe subscription's next billing date moves through Stripe)",
    options: { subscription: str, days: str, reason: str },
    required: ['subscription', 'days', 'reason'],
    run: (deps, actor, v) => extendSubscription(deps, actor, { subscriptionId: s(v.subscription)!, days: num(v.days)!, reason: s(v.reason)! }),
  },
  'payments:record': {
    usage:
      '--customer ID --amount MAJOR_UNITS --currency thb|usd --method bank_transfer|wire|cash|other --reference REF --plan SLUG --days N --idempotency-key KEY',
    summary: 'Record a payment received outside Stripe: a PAID manual invoice and a manual subscription (the same key twice records one payment)',
    options: { customer: str, amount: str, currency: str, method: str, reference: str, plan: str, days: str, 'idempotency-key': str },
    required: ['customer', 'amount', 'currency', 'method', 'reference', 'plan', 'days', 'idempotency-key'],
    run: (deps, actor, v) =>
      recordManualPayment(deps, actor, {
        customerId: s(v.customer)!,
        amount: s(v.amount)!,
        currency: s(v.currency) as 'thb',
        paymentMethod: s(v.method) as 'cash',
        reference: s(v.reference)!,
        planSlug: s(v.plan)!,
        days: num(v.days)!,
        idempotencyKey: s(v['idempotency-key'])!,
      }),
  },
};

export const COMMANDS: Record<string, Command> = {
  'apps:create': {
    usage: '--slug SLUG --name NAME --return-url URL [--rate-limit N]',
    summary: 'Create an app; prints its API key once',
    options: { slug: str, name: str, 'return-url': str, 'rate-limit': str },
    required: ['slug', 'name', 'return-url'],
    run: async (deps, actor, v) => {
      const { app, apiKey } = await createApp(deps, actor, {
        slug: s(v.slug)!,
        name: s(v.name)!,
        returnUrl: s(v['return-url'])!,
        ...(v['rate-limit'] !== undefined ? { rateLimitPerMinute: num(v['rate-limit']) } : {}),
      });
      return { ...app, apiKey };
    },
  },
  'apps:rotate-key': {
    usage: '--slug SLUG',
    summary: 'Replace the app API key; the old key stops working',
    options: { slug: str },
    required: ['slug'],
    run: async (deps, actor, v) => {
      const { app, apiKey } = await rotateApiKey(deps, actor, s(v.slug)!);
      return { ...app, apiKey };
    },
  },
  'apps:reveal-key': {
    usage: '--slug SLUG',
    summary: 'Show the current API key of an app (audited)',
    options: { slug: str },
    required: ['slug'],
    run: (deps, actor, v) => revealApiKey(deps, actor, s(v.slug)!),
  },
  'apps:origins': {
    usage: '--app SLUG [--add ORIGIN[,ORIGIN...]] [--remove ORIGIN[,ORIGIN...]]',
    summary: "Add or remove the app's allowed redirect origins (https://app.example.com, https://*.example.com); audited. Prints the list",
    options: { app: str, add: str, remove: str },
    required: ['app'],
    run: async (deps, actor, v) => {
      const list = (value: string | boolean | undefined) => (s(value) ?? '').split(',').filter(Boolean);
      const app = await changeAllowedOrigins(deps, actor, { slug: s(v.app)!, add: list(v.add), remove: list(v.remove) });
      return { slug: app.slug, allowedOrigins: app.allowedOrigins };
    },
  },
  'apps:list': {
    usage: '',
    summary: 'List apps (keys are never listed)',
    options: {},
    required: [],
    run: async (deps) => ({ apps: await listApps(deps) }),
  },
  'plans:create': {
    usage: `--slug SLUG --name NAME --price-amount MINOR_UNITS --currency thb|usd --interval month|year [--trial-days N] ${OTHER_PRICE_USAGE} [--stripe-price-id ID | --create-stripe-price] [--inactive]`,
    summary:
      'Create a plan (with an existing Stripe price, or have the product and price created in Stripe), optionally with a second price at the other interval (--yearly-price in major units)',
    options: {
      slug: str,
      name: str,
      'price-amount': str,
      currency: str,
      interval: str,
      'trial-days': str,
      'stripe-price-id': str,
      'create-stripe-price': bool,
      inactive: bool,
      ...otherPriceOptions,
    },
    required: ['slug', 'name', 'price-amount', 'currency', 'interval'],
    run: async (deps, actor, v) => {
      const other = otherPriceFromFlags(v, s(v.interval) === 'year' ? 'year' : 'month', s(v.currency) === 'usd' ? 'usd' : 'thb');
      return planView(
        await (v['create-stripe-price'] === true ? createPlanWithStripePrice : createPlan)(deps, actor, {
          slug: s(v.slug)!,
          name: s(v.name)!,
          priceAmount: num(v['price-amount'])!,
          currency: s(v.currency) as 'thb',
          interval: s(v.interval) as 'month',
          ...(v['trial-days'] !== undefined ? { trialDays: num(v['trial-days']) } : {}),
          ...(v['stripe-price-id'] !== undefined ? { stripePriceId: s(v['stripe-price-id']) } : {}),
          ...(other ? { otherPrice: other } : {}),
          active: v.inactive !== true,
        }),
      );
    },
  },
  'plans:sync-stripe': {
    usage: '[--slug SLUG]',
    summary: 'Give a paid plan (without --slug: every paid plan) its Stripe product and price, or check the ones it has (idempotent)',
    options: { slug: str },
    required: [],
    run: async (deps, actor, v) => {
      if (v.slug !== undefined) return planView(await syncPlanToStripe(deps, actor, s(v.slug)!));
      const report = await syncAllPlansToStripe(deps, actor);
      if (report.failed.length) {
        const list = report.failed.map((f) => `${f.slug}: ${f.code} ${f.message}`).join('; ');
        throw new AppError(report.failed[0]!.code, `${report.failed.length} plan(s) not synced: ${list}`);
      }
      return { plans: report.synced.map(planView) };
    },
  },
  'refunds:create': {
    usage: '--invoice INVOICE_ID|in_... [--amount MINOR_UNITS] [--reason TEXT] [--cancel-subscription]',
    summary: 'Refund an invoice in full or in part (Stripe or manual); optionally cancel its subscription now',
    options: { invoice: str, amount: str, reason: str, 'cancel-subscription': bool },
    required: ['invoice'],
    run: (deps, actor, v) =>
      refundInvoice(deps, actor, {
        invoiceId: s(v.invoice)!,
        ...(v.amount !== undefined ? { amount: num(v.amount) } : {}),
        ...(v.reason !== undefined ? { reason: s(v.reason) } : {}),
        cancelSubscription: v['cancel-subscription'] === true,
      }),
  },
  'plans:list': {
    usage: '',
    summary: 'List all plans, active and inactive',
    options: {},
    required: [],
    run: async (deps) => ({ plans: (await listAllPlans(deps)).map(planView) }),
  },
  'admins:create': {
    usage: '--email EMAIL --password PASSWORD --name NAME',
    summary: 'Create an admin account',
    options: { email: str, password: str, name: str },
    required: ['email', 'password', 'name'],
    run: (deps, actor, v) => createAdmin(deps, actor, { email: s(v.email)!, password: s(v.password)!, name: s(v.name)! }),
  },
  'subscriptions:grant': {
    usage: '--app SLUG --user EXTERNAL_ID --plan SLUG --days N [--reason TEXT]',
    summary: 'Grant a MANUAL subscription for N days',
    options: { app: str, user: str, plan: str, days: str, reason: str },
    required: ['app', 'user', 'plan', 'days'],
    run: (deps, actor, v) =>
      grantManualSubscription(deps, actor, {
        appSlug: s(v.app)!,
        externalUserId: s(v.user)!,
        planSlug: s(v.plan)!,
        days: num(v.days)!,
        ...(v.reason !== undefined ? { reason: s(v.reason) } : {}),
      }),
  },
  'keys:reencrypt': {
    usage: '--from-secret-env VAR | --from-stdin',
    summary:
      'After rotating API_KEY_ENCRYPTION_SECRET: re-encrypt every stored API key under the current secret, reading the previous one from the named variable or stdin (one transaction, idempotent, audited)',
    options: { 'from-secret-env': str, 'from-stdin': bool },
    required: [],
    run: async (deps, actor, v) => reencryptApiKeys(deps, actor, { previousSecret: await previousSecret(v) }),
  },
  'metrics:rebuild': {
    usage: '',
    summary:
      'Recompute every Dashboard rollup from the base tables (after a restore, a bulk import or a change of definition): set-based, one app at a time under its lock, a progress line per app on stderr, safe while the service runs, idempotent, audited',
    options: {},
    required: [],
    run: (deps, actor) => rebuildMetrics(deps, actor, { onProgress: printProgress }),
  },
  ...VIEW_COMMANDS,
  ...WEBHOOK_COMMANDS,
  ...TOKEN_COMMANDS,
  ...PLAN_COMMANDS,
  ...STRIPE_CONFIG_COMMANDS,
};

/** The rebuild's progress, for the operator watching it (stdout keeps the one JSON result). */
function printProgress(p: RebuildAppProgress): void {
  process.stderr.write(
    `metrics:rebuild app ${p.apps}/${p.of} ${p.appId}: ${p.customers} customers, ${p.changedCustomers} changed, ${p.revenueEntries} revenue entries, ${p.dailyRows} daily rows, ${p.ms} ms\n`,
  );
}

/** The previous encryption secret, from the variable it names or from stdin: never from the command line (shell history). */
async function previousSecret(v: Values): Promise<string> {
  const fromEnv = s(v['from-secret-env']);
  if ((fromEnv === undefined) === (v['from-stdin'] !== true)) {
    throw new AppError('VALIDATION_ERROR', 'Give exactly one of --from-secret-env VAR or --from-stdin');
  }
  try {
    if (fromEnv !== undefined) return readSecretFromEnv(fromEnv);
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
    return parseSecret(
      'The secret on stdin',
      Buffer.concat(chunks)
        .toString('utf8')
        .replace(/\r?\n$/, ''),
    );
  } catch (error) {
    if (error instanceof EnvError) throw new AppError('VALIDATION_ERROR', error.problems.join('; '));
    throw error;
  }
}

export interface CommandHelp {
  name: string;
  usage: string;
  description: string;
}

/** What `pnpm aqb help` prints: the commands as data, like every other output of the CLI. */
export function helpDocument(names: readonly string[] = Object.keys(COMMANDS)): { commands: CommandHelp[] } {
  return {
    commands: names.map((name) => ({ name, usage: `pnpm aqb ${name} ${COMMANDS[name]!.usage}`, description: COMMANDS[name]!.summary })),
  };
}

/** The same, as text for a human on stderr. */
export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name} ${c.usage}\n      ${c.summary}`);
  return `Usage: pnpm aqb <command> [flags]\n\nCommands:\n${lines.join('\n')}`;
}
