import express, { type Request, type Response } from 'express';
import type Stripe from 'stripe';
import qs from 'qs';
import { API_VERSION } from '../billing/events.ts';
import { snapshot } from '../core/clone.ts';
import { applyExpand } from '../core/expand.ts';
import { StripeApiError, apiError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { Params, rejectUnknownParams, type RouteParams } from '../core/params.ts';
import { requestContext } from '../core/request-context.ts';
import type { Store } from '../core/store.ts';
import type { ApiFaults } from './api-faults.ts';
import { authenticate } from './auth.ts';
import type { IdempotencyStore } from './idempotency.ts';

export interface ApiRequest {
  params: Params;
  path: Record<string, string>;
}

/**
 * Everything a /v1 handler may answer: the stripe package's own types, so a shape that drifts
 * from the pinned API version (or an ad-hoc object) fails to compile.
 */
export type ApiObject =
  | Stripe.Customer
  | Stripe.DeletedCustomer
  | Stripe.Product
  | Stripe.Price
  | Stripe.PaymentMethod
  | Stripe.Checkout.Session
  | Stripe.LineItem
  | Stripe.Subscription
  | Stripe.SubscriptionItem
  | Stripe.Invoice
  | Stripe.InvoiceLineItem
  | Stripe.InvoicePayment
  | Stripe.PaymentIntent
  | Stripe.Charge
  | Stripe.Refund
  | Stripe.BillingPortal.Session
  | Stripe.Event
  | Stripe.WebhookEndpoint
  | Stripe.DeletedWebhookEndpoint
  | Stripe.TestHelpers.TestClock
  | Stripe.TestHelpers.DeletedTestClock
  | Stripe.Account;

export type ApiResponse = ApiObject | Stripe.ApiList<ApiObject>;

export type ApiHandler = (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

/** One registered /v1 route and what it accepts. */
export interface DeclaredRoute {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  spec: RouteParams;
}

export interface ApiDeps {
  store: Store;
  faults: ApiFaults;
  idempotency: IdempotencyStore;
  onError: (error: unknown) => void;
  /** The key check; default: any test-mode key (the default account). An account's routes accept only its own key. */
  authenticate?: (req: Request) => string;
}

const QS_OPTIONS = { depth: 10, arrayLimit: 1000, parameterLimit: 10_000 } as const;

/**
 * Registers /v1 routes behind the same pipeline Stripe's API has: auth, injected faults,
 * form-encoded params checked against the route's declaration, idempotency keys, the handler,
 * expand[], and the error envelope.
 */
export class ApiRoutes {
  readonly router = express.Router();
  /** Every route with its parameter declaration, in registration order (the contract test reads it). */
  readonly declared: DeclaredRoute[] = [];
  private readonly deps: ApiDeps;

  constructor(deps: ApiDeps) {
    this.deps = deps;
    this.router.use('/v1', express.text({ type: () => true, limit: '2mb' }));
  }

  get(path: string, spec: RouteParams, handler: ApiHandler): void {
    this.declared.push({ method: 'GET', path, spec });
    this.router.get(path, (req, res) => this.handle(req, res, spec, handler));
  }

  post(path: string, spec: RouteParams, handler: ApiHandler): void {
    this.declared.push({ method: 'POST', path, spec });
    this.router.post(path, (req, res) => this.handle(req, res, spec, handler));
  }

  delete(path: string, spec: RouteParams, handler: ApiHandler): void {
    this.declared.push({ method: 'DELETE', path, spec });
    this.router.delete(path, (req, res) => this.handle(req, res, spec, handler));
  }

  private async handle(req: Request, res: Response, spec: RouteParams, handler: ApiHandler): Promise<void> {
    const requestId = newId('req');
    res.set({ 'Request-Id': requestId, 'Stripe-Version': API_VERSION, 'Cache-Control': 'no-cache, no-store' });
    let apiKey = '';
    let idempotency: { key: string; fingerprint: string } | null = null;
    try {
      apiKey = (this.deps.authenticate ?? authenticate)(req);
      await this.deps.faults.apply(req.method, req.path);
      const raw = parseParams(req);
      // Like Stripe: a request with a parameter it does not know fails validation before it runs,
      // so nothing is stored under its idempotency key.
      rejectUnknownParams(raw, spec.params);
      const key = req.get('idempotency-key');
      if (key && (req.method === 'POST' || req.method === 'DELETE')) {
        const fingerprint = JSON.stringify([req.method, req.path, raw]);
        const saved = this.deps.idempotency.begin(apiKey, key, fingerprint);
        if (saved) {
          res.set({ 'Idempotent-Replayed': 'true', 'Original-Request': requestId });
          res.status(saved.status).json(saved.body);
          return;
        }
        idempotency = { key, fingerprint };
      }
      const params = new Params(raw);
      const result = await requestContext.run({ requestId, idempotencyKey: idempotency?.key ?? null }, () =>
        handler({ params, path: req.params as Record<string, string> }),
      );
      const body = applyExpand(this.deps.store, snapshot(result), params.strings('expand'));
      this.respond(res, 200, body, apiKey, idempotency);
    } catch (error) {
      const failure = error instanceof StripeApiError ? error : this.unexpected(error);
      res.set(failure.headers);
      this.respond(res, failure.status, failure.toJSON(), apiKey, idempotency);
    }
  }

  private respond(res: Response, status: number, body: unknown, apiKey: string, idempotency: { key: string; fingerprint: string } | null): void {
    if (idempotency) this.deps.idempotency.finish(apiKey, idempotency.key, idempotency.fingerprint, status, body);
    res.status(status).json(body);
  }

  private unexpected(error: unknown): StripeApiError {
    this.deps.onError(error);
    return apiError();
  }
}

/** Query string and form body both use Stripe's bracket notation; body values win on conflict. */
function parseParams(req: Request): Record<string, unknown> {
  const at = req.originalUrl.indexOf('?');
  const query = at >= 0 ? qs.parse(req.originalUrl.slice(at + 1), QS_OPTIONS) : {};
  const body = typeof req.body === 'string' && req.body.length > 0 ? qs.parse(req.body, QS_OPTIONS) : {};
  return { ...query, ...body };
}

/** 404 for any /v1 path no route claimed, in Stripe's words. */
export function unknownRoute(req: Request, res: Response): void {
  res.status(404).json({
    error: {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${req.method}: ${req.originalUrl.split('?')[0]}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    },
  });
}
