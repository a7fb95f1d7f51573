import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { advanceClock } from './billing/renewals.ts';
import { EventBus } from './billing/events.ts';
import { buildWebhookEndpoint } from './builders/checkout.ts';
import { VirtualClock } from './core/clock.ts';
import type { Ctx, DunningSettings } from './core/context.ts';
import { deleteSnapshot, readSnapshot, restoreSnapshot, takeSnapshot, writeSnapshot } from './core/snapshot.ts';
import { Store } from './core/store.ts';
import { controlRoutes } from './control/control-routes.ts';
import { ApiFaults } from './http/api-faults.ts';
import { ApiRoutes, unknownRoute, type DeclaredRoute } from './http/api-routes.ts';
import { IdempotencyStore } from './http/idempotency.ts';
import { checkoutPageRoutes } from './pages/checkout-page.ts';
import { invoicePageRoutes } from './pages/invoice-page.ts';
import { paymentPageRoutes } from './pages/payment-page.ts';
import { portalPageRoutes } from './pages/portal-page.ts';
import { registerCatalogRoutes } from './routes/catalog.ts';
import { registerCheckoutRoutes } from './routes/checkout.ts';
import { registerCustomerRoutes } from './routes/customers.ts';
import { registerInvoiceRoutes } from './routes/invoices.ts';
import { registerPaymentRoutes } from './routes/payments.ts';
import { registerEventRoutes, registerPortalRoutes } from './routes/portal-and-events.ts';
import { registerSubscriptionRoutes } from './routes/subscriptions.ts';
import { registerTestClockRoutes } from './routes/test-clocks.ts';
import { WebhookDispatcher } from './webhooks/dispatcher.ts';
import { ACCOUNT_PAGES_PREFIX, Accounts } from './control/accounts.ts';
import { registerAccountRoutes } from './routes/account.ts';

/**
 * Fixed dev signing secret, used when STRIPE_WEBHOOK_SECRET / webhookSecret is not given. The same value
 * as .env.example's, so `pnpm stripe:emulator` alone signs what an API started from that `.env` accepts.
 */
export const DEFAULT_WEBHOOK_SECRET = 'whsec_aquoris_dev_emulator_secret';
export const DEFAULT_ENDPOINT_ID = 'we_emulator_default';
export const DEFAULT_ACCOUNT_ID = 'acct_emulator_default';

export interface StripeEmulatorOptions {
  /** 0 picks a free port. Default 12111. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Base URL put into hosted page URLs, if the emulator is reached through another name. */
  publicUrl?: string;
  /** The default webhook endpoint (receives every event). Omit for none. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** First retry delay; each later retry doubles it. Default 1000 ms. */
  webhookRetryBaseMs?: number;
  /** Attempts per delivery, first one included. Default 8. */
  webhookMaxAttempts?: number;
  /** Per-attempt timeout. Default 10 000 ms. */
  webhookTimeoutMs?: number;
  /** Retry schedule and final action for failed renewals. Default every 3 days, 4 attempts, then cancel. */
  dunning?: Partial<DunningSettings>;
  /** One line per request and unexpected errors; default silent. */
  log?: (line: string) => void;
  /** With `log`: false logs only errors and state problems, no line per request. Default true. */
  logRequests?: boolean;
  /**
   * Keep the state in `<dataDir>/state.json`: loaded at start, saved atomically after every request that
   * may change it, after a reset and at close. Omit to keep everything in memory (tests).
   */
  dataDir?: string;
  /** With `dataDir`: delete the saved state and start empty. */
  reset?: boolean;
}

export interface StripeEmulator {
  url: string;
  port: number;
  webhookSecret: string;
  /** Domain state, for in-process tests that want to look beyond the API. */
  ctx: Ctx;
  /** The accounts made by POST /__emulator/accounts (besides the default one, whose state is `ctx`). */
  accounts: Accounts;
  webhooks: WebhookDispatcher;
  /** Every /v1 route with the parameters it accepts. */
  routes: readonly DeclaredRoute[];
  close(): Promise<void>;
  /** Same as POST /__emulator/reset. */
  reset(): void;
  /** Same as POST /__emulator/clock/advance. */
  advanceClock(seconds: number): { now: number; processed: number };
  /** Same as POST /__emulator/webhooks/flush: true once nothing is pending. */
  flushWebhooks(timeoutMs?: number): Promise<boolean>;
}

export interface Core {
  ctx: Ctx;
  webhooks: WebhookDispatcher;
  apiFaults: ApiFaults;
  idempotency: IdempotencyStore;
  reset: () => void;
  /** Saves the state when a data directory is configured; a no-op otherwise. */
  persist: () => void;
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const log = options.log ?? (() => {});
  const webhookSecret = options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
  const core = createCore(options, webhookSecret, log);
  const accounts = new Accounts(options, log, () => core.ctx.settings.baseUrl);
  // A reset (the API's or the control route's) also forgets the accounts made since start.
  const resetDefault = core.reset;
  core.reset = () => {
    accounts.clear();
    resetDefault();
  };
  const { app, routes } = createApp(core, log, options.logRequests ?? true, accounts);
  const server = await listen(app, options.port ?? 12111, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;
  core.ctx.settings.baseUrl = options.publicUrl?.replace(/\/$/, '') ?? url;
  return {
    url,
    port,
    webhookSecret,
    ctx: core.ctx,
    webhooks: core.webhooks,
    routes,
    reset: () => core.reset(),
    accounts,
    advanceClock: (seconds) => advanceClock(core.ctx, seconds),
    flushWebhooks: (timeoutMs = 30_000) => core.webhooks.flush(timeoutMs),
    close: async () => {
      core.persist();
      core.webhooks.reset();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

export function createCore(
  options: StripeEmulatorOptions,
  webhookSecret: string,
  log: (line: string) => void,
  accountId = DEFAULT_ACCOUNT_ID,
  livemode = false,
): Core {
  const store = new Store();
  if (livemode) store.setLivemode();
  const clock = new VirtualClock();
  const webhooks = new WebhookDispatcher({
    store,
    retryBaseMs: options.webhookRetryBaseMs ?? 1000,
    maxAttempts: options.webhookMaxAttempts ?? 8,
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
  });
  const ctx: Ctx = {
    store,
    clock,
    events: new EventBus(store, clock, webhooks),
    settings: { baseUrl: '', accountId, dunning: { retryIntervalSeconds: 3 * 86_400, maxAttempts: 4, finalAction: 'cancel', ...options.dunning } },
  };
  const apiFaults = new ApiFaults();
  const idempotency = new IdempotencyStore();
  // The configured endpoint is a real webhook endpoint object, listed by the API and restored by reset.
  const addDefaultEndpoint = () => {
    if (!options.webhookUrl) return;
    const endpoint = buildWebhookEndpoint({
      id: DEFAULT_ENDPOINT_ID,
      now: clock.now(),
      url: options.webhookUrl,
      enabledEvents: ['*'],
      description: 'Default endpoint from the emulator configuration',
      metadata: {},
    });
    store.webhookEndpoints.set(endpoint);
    store.endpointSecrets.set(endpoint.id, webhookSecret);
  };
  const dataDir = options.dataDir;
  const persist = () => {
    if (!dataDir) return;
    try {
      writeSnapshot(dataDir, takeSnapshot({ store, clock, idempotency }));
    } catch (error) {
      log(`could not save the state to ${dataDir}: ${(error as Error).stack ?? String(error)}`);
    }
  };
  if (dataDir && options.reset) deleteSnapshot(dataDir);
  const saved = dataDir ? readSnapshot(dataDir) : null;
  if (saved) restoreSnapshot({ store, clock, idempotency }, saved);
  // After a restore too: the configured endpoint (URL, secret) wins over the saved one.
  addDefaultEndpoint();
  const reset = () => {
    store.reset();
    clock.reset();
    webhooks.reset();
    apiFaults.clear();
    idempotency.clear();
    addDefaultEndpoint();
    persist();
  };
  return { ctx, webhooks, apiFaults, idempotency, reset, persist };
}

export interface CoreRouters {
  /** /v1 of this account and mode, with Stripe's 404 for unknown paths. */
  api: express.Router;
  control: express.Router;
  pages: express.Router[];
  routes: readonly DeclaredRoute[];
}

/** The API, control API and hosted pages of one account's mode (the default account's, or one made by POST /__emulator/accounts). */
export function createCoreRouters(core: Core, log: (line: string) => void, authenticate?: (req: Request) => string): CoreRouters {
  const { ctx, webhooks, apiFaults, idempotency, reset } = core;
  const api = new ApiRoutes({
    store: ctx.store,
    faults: apiFaults,
    idempotency,
    onError: (error) => log(`unexpected error: ${(error as Error).stack ?? String(error)}`),
    ...(authenticate ? { authenticate } : {}),
  });
  for (const register of [
    registerCatalogRoutes,
    registerCustomerRoutes,
    registerCheckoutRoutes,
    registerSubscriptionRoutes,
    registerInvoiceRoutes,
    registerPaymentRoutes,
    registerPortalRoutes,
    registerEventRoutes,
  ]) {
    register(api, ctx);
  }
  registerTestClockRoutes(api, ctx, (error) => log(`test clock advance failed: ${(error as Error).stack ?? String(error)}`));
  registerAccountRoutes(api, ctx);
  const apiRouter = express.Router();
  apiRouter.use(api.router);
  apiRouter.use('/v1', unknownRoute);
  return {
    api: apiRouter,
    control: controlRoutes({ ctx, apiFaults, webhooks, reset }),
    pages: [checkoutPageRoutes(ctx), portalPageRoutes(ctx), invoicePageRoutes(ctx), paymentPageRoutes(ctx)],
    routes: api.declared,
  };
}

function createApp(
  core: Core,
  log: (line: string) => void,
  logRequests: boolean,
  accounts: Accounts,
): { app: express.Express; routes: readonly DeclaredRoute[] } {
  const { persist } = core;
  const routers = createCoreRouters(core, log);
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const started = Date.now();
    if (logRequests) res.on('finish', () => log(`${req.method} ${req.originalUrl} ${res.statusCode} ${Date.now() - started}ms`));
    // Reads change nothing; anything else (the API, hosted pages' forms, control routes) may have. The state
    // is on disk before the client sees the answer, as Stripe's is before it answers.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const end = res.end.bind(res) as (...args: unknown[]) => Response;
      res.end = ((...args: unknown[]) => {
        persist();
        return end(...args);
      }) as Response['end'];
    }
    next();
  });
  // A key of an account made by POST /__emulator/accounts goes to that account's state; any other to the default account's.
  app.use('/v1', accounts.apiDispatcher());
  app.use(routers.api);
  app.use('/__emulator/accounts', accounts.controlRoutes());
  app.use('/__emulator', routers.control);
  app.use(ACCOUNT_PAGES_PREFIX, accounts.pageDispatcher());
  app.use(...routers.pages);
  // Malformed control bodies and bugs in page handlers: answer in Stripe's envelope, log the detail.
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status < 500 ? error.status : 500;
    if (status === 500) log(`unexpected error: ${error.stack ?? String(error)}`);
    res
      .status(status)
      .json({ error: { type: status === 500 ? 'api_error' : 'invalid_request_error', message: status === 500 ? 'An unknown error occurred' : error.message } });
  });
  return { app, routes: routers.routes };
}

function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.once('error', reject);
  });
}
