import { ERROR_TRACKING_DATA_COLLECTION, scrubErrorEvent } from '@aquoris/core/error-tracking';
import type { Logger } from 'pino';
import type { SentryConfig } from './env.ts';

/** Where errors go besides the log: Sentry when a DSN is set, nowhere otherwise. */
export interface ErrorTracker {
  readonly enabled: boolean;
  /** Reports one error with its context (request id, route, job); never throws. */
  capture(error: unknown, context: Record<string, string | number | undefined>): void;
  /** Sends what is queued, within `timeoutMs` (before the process exits). */
  flush(timeoutMs: number): Promise<void>;
}

export const noErrorTracking: ErrorTracker = { enabled: false, capture: () => {}, flush: async () => {} };

/**
 * Sentry for the API or the worker (`component`), on only when a DSN is set: without one, @sentry/node is
 * not even loaded. Every event passes through core's scrubber: request bodies, cookies, credential headers
 * and anything shaped like an API key or token never leave.
 */
export async function startErrorTracking(config: SentryConfig, component: 'api' | 'worker', log: Logger): Promise<ErrorTracker> {
  if (!config.dsn) return noErrorTracking;
  const Sentry = await import('@sentry/node');
  Sentry.init({
    dsn: config.dsn,
    environment: config.environment,
    ...(config.release ? { release: config.release } : {}),
    dataCollection: ERROR_TRACKING_DATA_COLLECTION,
    defaultIntegrations: false,
    // No tracing; and an unhandled rejection still ends the process, as Node does without Sentry ('strict').
    integrations: [
      ...Sentry.getDefaultIntegrationsWithoutPerformance().filter((integration) => integration.name !== 'OnUnhandledRejection'),
      Sentry.onUnhandledRejectionIntegration({ mode: 'strict' }),
    ],
    initialScope: { tags: { component } },
    beforeSend: (event) => scrubErrorEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubErrorEvent(breadcrumb),
  });
  log.info({ environment: config.environment, component }, 'error tracking on (Sentry)');
  return {
    enabled: true,
    capture(error, context) {
      try {
        Sentry.captureException(error, { tags: { component }, extra: context });
      } catch (err) {
        log.warn({ err }, 'error tracking: capture failed');
      }
    },
    async flush(timeoutMs) {
      await Sentry.flush(timeoutMs).catch(() => false);
    },
  };
}
