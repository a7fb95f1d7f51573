import { listFailedStripeEvents, retryStripeEvent } from '@aquoris/core';
import type { Command } from './commands.ts';
import { bool, page, pageOptions, s, str } from './flags.ts';

/** The Stripe inbox's dead letters: events that used up their attempts, or were signed but malformed (docs/operations.md). */
export const WEBHOOK_COMMANDS: Record<string, Command> = {
  'webhooks:failed': {
    usage: '[--all] [--limit N] [--cursor CURSOR]',
    summary:
      'Dead-lettered Stripe events (used up their attempts, or malformed), newest first, with the last error; --all adds failed events still being retried',
    options: { all: bool, ...pageOptions },
    required: [],
    run: (deps, _actor, v) => listFailedStripeEvents(deps, { all: v.all === true, ...page(v) }),
  },
  'webhooks:retry': {
    usage: '--event EVENT_ID',
    summary: 'Retry a failed Stripe event: its attempts back, queued again (audited); the worker reads the object from Stripe afresh',
    options: { event: str },
    required: ['event'],
    run: async (deps, actor, v) => {
      const retried = await retryStripeEvent(deps, actor, { eventId: s(v.event)! });
      // Not queued (Redis away) is fine: the event is RECEIVED again, and the sweeper queues it.
      const queued = await deps.queue.enqueueStripeObject(retried.object).then(
        () => true,
        () => false,
      );
      return { ...retried, status: 'RECEIVED', queued };
    },
  },
};
