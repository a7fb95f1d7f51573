/**
 * Error tracking's shared rules, for the server and the browser alike: what is redacted before an event
 * leaves, and how a web app finds its DSN. No dependency, so the web apps bundle it too
 * (`@aquoris/core/error-tracking`); the Sentry SDKs themselves are loaded by the apps, only when a DSN is set.
 */

const REDACTED = '[redacted]';

/** Secrets by shape: API keys, bearer and basic credentials, JWTs (session tokens), billing-session links. */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\baqb_[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\/session\/[^/?#\s"']+/g, `/session/${REDACTED}`],
  [/\b(sk|rk)_(test|live)_[A-Za-z0-9]+/g, REDACTED],
  [/\bwhsec_[A-Za-z0-9_]+/g, REDACTED],
];

/** Fields whose value is a secret whatever it looks like (headers, cookies, credentials). */
const SECRET_KEYS =
  /^(authorization|proxy-authorization|cookie|cookies|set-cookie|x-api-key|stripe-signature|password|passwd|token|access_token|refresh_token|apikey|api_key|secret|session)$/i;
/** Inside a request, its body too (`data` in a Sentry event). */
const REQUEST_BODY_KEYS = /^(data|body)$/i;

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Deep copy with every secret field replaced and every string passed through redactSecrets. */
function scrub(value: unknown, inRequest: boolean, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object' || depth > 12) return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, inRequest, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const secret = SECRET_KEYS.test(key) || (inRequest && REQUEST_BODY_KEYS.test(key));
    out[key] = secret ? REDACTED : scrub(item, inRequest || key === 'request', depth + 1);
  }
  return out;
}

/**
 * Sentry's beforeSend (and beforeBreadcrumb): a request's body, cookies and credentials never leave, and
 * neither does an API key, token or signed link wherever it appears (a message, a URL, a breadcrumb).
 */
export function scrubErrorEvent<T extends object>(event: T): T {
  return scrub(event, false) as T;
}

/**
 * What the Sentry SDKs may collect themselves (their `dataCollection` option): no user, cookies, bodies,
 * query strings or response headers; request headers but the credential ones. scrubErrorEvent checks again.
 */
export const ERROR_TRACKING_DATA_COLLECTION = {
  userInfo: false,
  cookies: false,
  httpBodies: [] as never[],
  urlQueryParams: false,
  httpHeaders: { request: { deny: ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'stripe-signature'] }, response: false },
};

/** The meta tags the API writes into the web apps' index.html when NEXT_PUBLIC_SENTRY_DSN is set. */
export const ERROR_TRACKING_META = { dsn: 'aqb-sentry-dsn', environment: 'aqb-sentry-environment', release: 'aqb-sentry-release' } as const;

export interface BrowserErrorTracking {
  dsn: string;
  environment: string;
  /** SENTRY_RELEASE (the image's git sha): what the uploaded source maps are filed under. */
  release?: string | undefined;
}

interface MetaSource {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
}

/** The DSN and environment from the served page (or from the build's NEXT_PUBLIC_SENTRY_* under Vite); null: off. */
export function readBrowserErrorTracking(
  doc: MetaSource,
  built: { dsn?: string | undefined; environment?: string | undefined } = {},
): BrowserErrorTracking | null {
  const meta = (name: string) => doc.querySelector(`meta[name="${name}"]`)?.getAttribute('content') || undefined;
  const dsn = meta(ERROR_TRACKING_META.dsn) ?? built.dsn;
  if (!dsn) return null;
  return { dsn, environment: meta(ERROR_TRACKING_META.environment) ?? built.environment ?? 'production', release: meta(ERROR_TRACKING_META.release) };
}

/** Sentry's browser options for one web app: no PII, every event and breadcrumb scrubbed. */
export function browserErrorTrackingOptions(config: BrowserErrorTracking, component: 'billing-web' | 'admin-web') {
  return {
    dsn: config.dsn,
    environment: config.environment,
    ...(config.release ? { release: config.release } : {}),
    dataCollection: ERROR_TRACKING_DATA_COLLECTION,
    initialScope: { tags: { component } },
    beforeSend: <E extends object>(event: E) => scrubErrorEvent(event),
    beforeBreadcrumb: <B extends object>(breadcrumb: B) => scrubErrorEvent(breadcrumb),
  };
}
