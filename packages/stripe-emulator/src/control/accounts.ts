import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { buildWebhookEndpoint } from '../builders/checkout.ts';
import { StripeApiError, invalidRequest } from '../core/errors.ts';
import { newId, randomToken } from '../core/ids.ts';
import { createCore, createCoreRouters, type Core, type CoreRouters, type StripeEmulatorOptions } from '../emulator.ts';
import { expiredKey, invalidKey, keyFrom } from '../http/auth.ts';

export type Mode = 'test' | 'live';

/** Where an account's hosted pages (checkout, portal, invoices) are served: /__accounts/<id>/<mode>/... */
export const ACCOUNT_PAGES_PREFIX = '/__accounts';

interface ModeState {
  core: Core;
  routers: CoreRouters;
  secretKey: string;
  publishableKey: string;
  webhookSecret: string | null;
}

interface Account {
  id: string;
  modes: Record<Mode, ModeState>;
}

/** What POST /__emulator/accounts answers: the new account's keys and signing secrets, per mode. */
export interface AccountKeys {
  id: string;
  test: { secretKey: string; publishableKey: string; webhookSecret: string | null };
  live: { secretKey: string; publishableKey: string; webhookSecret: string | null };
}

const MODES: readonly Mode[] = ['test', 'live'];

/**
 * Stripe accounts besides the default one, made through the control API for tests that run several apps on
 * several accounts. Each account has, per mode, its own keys, objects, events, webhook endpoints and signing
 * secrets (its own emulator state): an object of one account or mode is a 404 to another's key, as in Stripe.
 * Live keys are accepted only here, for accounts made this way; the default account stays test-only. Kept in
 * memory (not in `dataDir`); a reset forgets them.
 */
export class Accounts {
  private readonly byId = new Map<string, Account>();
  private readonly byKey = new Map<string, { account: Account; mode: Mode }>();
  private readonly revoked = new Set<string>();
  private readonly options: StripeEmulatorOptions;
  private readonly log: (line: string) => void;
  private readonly baseUrl: () => string;

  constructor(options: StripeEmulatorOptions, log: (line: string) => void, baseUrl: () => string) {
    this.options = options;
    this.log = log;
    this.baseUrl = baseUrl;
  }

  create(webhookUrls: Partial<Record<Mode, string>>): AccountKeys {
    const id = `acct_${randomToken(16)}`;
    const modes = Object.fromEntries(MODES.map((mode) => [mode, this.createMode(id, mode, webhookUrls[mode])])) as Record<Mode, ModeState>;
    const account: Account = { id, modes };
    this.byId.set(id, account);
    for (const mode of MODES) this.byKey.set(modes[mode].secretKey, { account, mode });
    return { id, test: keysOf(modes.test), live: keysOf(modes.live) };
  }

  /** Rolls the mode's secret key: the old one is refused from now on (api_key_expired), a new one is returned. */
  revoke(id: string, mode: Mode): { revoked: string; secretKey: string } {
    const account = this.accountOrThrow(id);
    const state = account.modes[mode];
    const old = state.secretKey;
    this.revoked.add(old);
    this.byKey.delete(old);
    state.secretKey = secretKeyFor(mode);
    this.byKey.set(state.secretKey, { account, mode });
    return { revoked: old, secretKey: state.secretKey };
  }

  /** The state of one account's mode, for in-process tests. */
  core(id: string, mode: Mode): Core {
    return this.accountOrThrow(id).modes[mode].core;
  }

  clear(): void {
    for (const account of this.byId.values()) for (const mode of MODES) account.modes[mode].core.webhooks.reset();
    this.byId.clear();
    this.byKey.clear();
    this.revoked.clear();
  }

  /** On /v1: a key of one of these accounts is served by that account's mode; any other key goes on to the default account. */
  apiDispatcher(): express.RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const header = req.get('authorization');
      const key = header ? keyFrom(header) : null;
      if (!key) return next();
      if (this.revoked.has(key)) {
        const error = expiredKey(key);
        res.status(error.status).json(error.toJSON());
        return;
      }
      const hit = this.byKey.get(key);
      if (!hit) return next();
      // Mounted at /v1: the account's routers expect the full path.
      req.url = req.originalUrl;
      hit.account.modes[hit.mode].routers.api(req, res, next);
    };
  }

  /** Hosted pages of an account's mode, under ACCOUNT_PAGES_PREFIX/<id>/<mode>. */
  pageDispatcher(): Router {
    const router = express.Router();
    router.use('/:id/:mode', (req, res, next) => {
      const state = this.byId.get(String(req.params.id))?.modes[req.params.mode as Mode];
      if (!state) return next();
      const [first, ...rest] = state.routers.pages;
      const chain = [first!, ...rest];
      const run = (i: number): void => {
        const page = chain[i];
        if (!page) return next();
        page(req, res, () => run(i + 1));
      };
      run(0);
    });
    return router;
  }

  /** POST / (create), POST /:id/:mode/revoke_key, and each mode's own control API under /:id/:mode. */
  controlRoutes(): Router {
    const router = express.Router();
    router.post('/', express.json(), (req, res) => {
      const body = (req.body ?? {}) as { webhookUrls?: Partial<Record<Mode, unknown>> };
      const urls: Partial<Record<Mode, string>> = {};
      for (const mode of MODES) {
        const url = body.webhookUrls?.[mode];
        if (url === undefined) continue;
        if (typeof url !== 'string' || !/^https?:\/\//.test(url))
          return sendError(res, invalidRequest(`webhookUrls.${mode} must be an http(s) URL`, `webhookUrls[${mode}]`));
        urls[mode] = url;
      }
      res.json(this.create(urls));
    });
    router.post('/:id/:mode/revoke_key', (req, res) => {
      try {
        res.json(this.revoke(String(req.params.id), modeOrThrow(String(req.params.mode))));
      } catch (error) {
        if (!(error instanceof StripeApiError)) throw error;
        sendError(res, error);
      }
    });
    router.use('/:id/:mode', (req, res, next) => {
      const state = this.byId.get(String(req.params.id))?.modes[req.params.mode as Mode];
      if (!state)
        return sendError(res, new StripeApiError(404, { type: 'invalid_request_error', message: `No such account mode: ${req.params.id}/${req.params.mode}` }));
      state.routers.control(req, res, next);
    });
    return router;
  }

  private createMode(id: string, mode: Mode, webhookUrl: string | undefined): ModeState {
    const webhookSecret = webhookUrl ? newId('whsec') : null;
    const core = createCore({ ...this.options, dataDir: undefined, webhookUrl: undefined }, webhookSecret ?? '', this.log, id, mode === 'live');
    core.ctx.settings.baseUrl = `${this.baseUrl()}${ACCOUNT_PAGES_PREFIX}/${id}/${mode}`;
    if (webhookUrl && webhookSecret) {
      const endpoint = buildWebhookEndpoint({
        id: newId('we'),
        now: core.ctx.clock.now(),
        url: webhookUrl,
        enabledEvents: ['*'],
        description: `${mode} endpoint of ${id}`,
        metadata: {},
      });
      core.ctx.store.webhookEndpoints.set(endpoint);
      core.ctx.store.endpointSecrets.set(endpoint.id, webhookSecret);
    }
    const state: ModeState = {
      core,
      routers: undefined as unknown as CoreRouters,
      secretKey: secretKeyFor(mode),
      publishableKey: `pk_${mode}_${randomToken(24)}`,
      webhookSecret,
    };
    // Only this mode's current key: the other mode's key, and keys of other accounts, are unknown here.
    state.routers = createCoreRouters(core, this.log, (req) => {
      const header = req.get('authorization');
      const key = header ? keyFrom(header) : null;
      if (!key || key !== state.secretKey) throw invalidKey(key ?? '');
      return key;
    });
    return state;
  }

  private accountOrThrow(id: string): Account {
    const account = this.byId.get(id);
    if (!account) throw new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such account: '${id}'` });
    return account;
  }
}

const secretKeyFor = (mode: Mode) => `sk_${mode}_${randomToken(32)}`;

const keysOf = (state: ModeState) => ({ secretKey: state.secretKey, publishableKey: state.publishableKey, webhookSecret: state.webhookSecret });

function modeOrThrow(mode: string): Mode {
  if (mode !== 'test' && mode !== 'live') throw invalidRequest('mode must be test or live', 'mode');
  return mode;
}

function sendError(res: Response, error: StripeApiError): void {
  res.status(error.status).json(error.toJSON());
}
