import { AppError, recordStripeEvent, stripeWebhookSecretFor } from '@aquoris/core';
import express, { Router, type Request, type Response } from 'express';
import Stripe from 'stripe';
import type { ApiDeps } from '../context.ts';
import { MAX_WEBHOOK_BYTES } from '../rest/routes.ts';

export const STRIPE_WEBHOOK_PATH = '/api/v1/webhooks/stripe';

/** The signed body, parsed: its shape is core's to check (recordStripeEvent). */
function verify(raw: string, signature: string | undefined, secret: string): unknown {
  if (!signature) throw new AppError('INVALID_SIGNATURE', 'Missing Stripe-Signature header');
  try {
    return Stripe.webhooks.constructEvent(raw, signature, secret) as unknown;
  } catch (error) {
    throw new AppError('INVALID_SIGNATURE', 'Invalid or expired Stripe signature', { cause: error });
  }
}

/**
 * POST /api/v1/webhooks/stripe: raw body → verify the signature → store the
 * event in PostgreSQL under its unique id → queue it → 200. A bad or stale
 * signature is a 400 with nothing written; a signed event of the wrong shape
 * is recorded as failed and answered 200 (no retry can fix it); a database
 * failure is a 503 so Stripe retries; a queue failure is only logged (the
 * event is stored, and the sweeper queues it). Mount before the API-key router.
 */
export function createStripeWebhookRouter(deps: ApiDeps, secret: string | undefined): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES });
  router.post(STRIPE_WEBHOOK_PATH, raw, async (req, res) => {
    if (!secret) throw new AppError('SERVICE_UNAVAILABLE', 'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)');
    const body = bodyOf(req);
    await receive(deps, req, res, body, verify(body, req.get('stripe-signature'), secret));
  });
  // An app's own account: verified with that app's signing secret of that mode. An unknown app, a mode without
  // keys and a signature by another app's or mode's secret are all the same 400, and nothing is recorded.
  router.post(`${STRIPE_WEBHOOK_PATH}/:appId/:mode`, raw, async (req, res) => {
    const { appId, mode } = req.params as { appId: string; mode: string };
    if (mode !== 'test' && mode !== 'live') throw new AppError('NOT_FOUND', 'The mode is test or live');
    const secret = await stripeWebhookSecretFor(deps, appId, mode);
    if (!secret) throw new AppError('INVALID_SIGNATURE', 'No Stripe webhook signing secret is configured for this app and mode');
    const body = bodyOf(req);
    const event = verify(body, req.get('stripe-signature'), secret);
    if ((event as { livemode?: unknown }).livemode !== (mode === 'live')) {
      throw new AppError('INVALID_SIGNATURE', `A ${mode === 'live' ? 'test' : 'live'}-mode event was sent to the ${mode}-mode URL`);
    }
    await receive(deps, req, res, body, event, { appId, livemode: mode === 'live' });
  });
  return router;
}

/** Decoded once: the same text is verified, parsed and stored (stripe-node would decode a Buffer twice more). */
const bodyOf = (req: Request): string => (Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');

async function receive(
  deps: ApiDeps,
  req: Request,
  res: Response,
  body: string,
  event: unknown,
  account?: { appId: string; livemode: boolean },
): Promise<void> {
  const recorded = await recordStripeEvent(deps, event, body, account);
  if (recorded.action === 'enqueue') {
    await deps.queue.enqueueStripeObject(recorded.object).catch((err: unknown) => {
      req.ctx.log.warn({ err, object: recorded.object }, 'Stripe event stored but not queued; the sweeper will queue it');
    });
  }
  if (recorded.action === 'failed') {
    req.ctx.log.warn({ reason: recorded.reason }, 'malformed Stripe event recorded as failed (see webhooks:failed)');
    res.json({ received: true, action: 'failed', reason: recorded.reason });
    return;
  }
  res.json({ received: true, action: recorded.action });
}
