import express, { type Request, type Response, type Router } from 'express';
import { completeCheckoutSession } from '../billing/checkout.ts';
import { advanceClock } from '../billing/renewals.ts';
import type { Ctx } from '../core/context.ts';
import { StripeApiError, invalidRequest } from '../core/errors.ts';
import type { ApiFaults } from '../http/api-faults.ts';
import type { WebhookDispatcher } from '../webhooks/dispatcher.ts';
import { applyFaultRequest } from '../webhooks/faults.ts';

export interface ControlDeps {
  ctx: Ctx;
  apiFaults: ApiFaults;
  webhooks: WebhookDispatcher;
  reset: () => void;
}

type Body = Record<string, unknown>;

/** The test-only control API under /__emulator (JSON in, JSON out, no auth). */
export function controlRoutes(deps: ControlDeps): Router {
  const { ctx, apiFaults, webhooks } = deps;
  const router = express.Router();
  router.use(express.json());
  const route = (method: 'get' | 'post' | 'delete', path: string, handler: (body: Body, req: Request) => unknown) =>
    router[method](path, async (req: Request, res: Response) => {
      try {
        res.json(await handler((req.body ?? {}) as Body, req));
      } catch (error) {
        if (!(error instanceof StripeApiError)) throw error;
        res.status(error.status).json(error.toJSON());
      }
    });

  const clockView = () => ({ now: ctx.clock.now(), iso: new Date(ctx.clock.now() * 1000).toISOString() });
  route('get', '/health', () => ({ ok: true, ...clockView() }));
  route('get', '/clock', clockView);
  route('post', '/clock/advance', (body) => {
    const seconds = Number(body.seconds ?? 0) + Number(body.days ?? 0) * 86_400;
    if (!Number.isFinite(seconds) || seconds < 0) throw invalidRequest('seconds must be a non-negative number', 'seconds');
    const { processed } = advanceClock(ctx, Math.floor(seconds));
    return { ...clockView(), processed };
  });

  route('post', '/checkout_sessions/:id/pay', (body, req) =>
    completeCheckoutSession(ctx, String(req.params.id), {
      cardNumber: String(body.card ?? ''),
      email: typeof body.email === 'string' ? body.email : undefined,
      name: typeof body.name === 'string' ? body.name : undefined,
    }),
  );
  route('post', '/customers/:id/fail_next_charge', (body, req) => {
    const customer = ctx.store.customers.getOrThrow(String(req.params.id));
    const times = Number(body.times ?? 1);
    const pending = (ctx.store.failNextCharges.get(customer.id) ?? 0) + Math.max(1, Math.floor(times));
    ctx.store.failNextCharges.set(customer.id, pending);
    return { customer: customer.id, failNextCharges: pending };
  });

  route('get', '/faults', () => ({ data: apiFaults.list() }));
  route('post', '/faults', (body) => apiFaults.add(body));
  route('delete', '/faults', () => {
    apiFaults.clear();
    return { cleared: true };
  });

  route('get', '/webhooks/faults', () => webhooks.faults);
  route('post', '/webhooks/faults', (body) => (webhooks.faults = applyFaultRequest(webhooks.faults, body)));
  route('delete', '/webhooks/faults', () => (webhooks.faults = {}));
  route('post', '/webhooks/flush', async (body) => {
    const settled = await webhooks.flush(Number(body.timeoutMs ?? 30_000));
    return { settled, pending: webhooks.pendingCount() };
  });
  route('post', '/webhooks/replay', () => ({ replayed: webhooks.replay() }));
  route('get', '/webhooks/deliveries', (_body, req) => {
    const { eventId, type } = req.query as Record<string, string | undefined>;
    return { data: webhooks.deliveries.filter((d) => (!eventId || d.eventId === eventId) && (!type || d.type === type)) };
  });

  route('post', '/reset', () => {
    deps.reset();
    return { reset: true, ...clockView() };
  });
  return router;
}
