import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';

/**
 * Redirect rules. Every URL an app hands us to send a user back to (a session's returnUrl, a portal
 * session's returnUrl, a deposit's successUrl/cancelUrl) must be on one of the app's allowed origins:
 * an exact origin (`https://app.example.com`, `https://app.example.com:8443`) or a wildcard of
 * subdomains (`https://*.example.com`, which does not match `example.com` itself). Loopback hosts
 * (`http://localhost:<port>`) pass only outside production. Comparison is on the WHATWG-parsed URL, so
 * "app.example.com.evil.com", "app.example.com@evil.com", "//evil.com" and "javascript:" all fail.
 */
export const MAX_URL_LENGTH = 2048;

export function parseHttpUrl(value: string): URL | null {
  if (value.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  return url;
}

/**
 * The WHATWG parser has already normalised the hostname: lowercased, IDNA
 * mapped and punycode-encoded ("BÜCHER.example" → "xn--bcher-kva.example",
 * "。" → "."), so Unicode and punycode spellings of one host compare equal.
 * One trailing dot (the DNS root) is dropped.
 */
function normalizeHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

/** "https://.vega.aquoris.ai" and "a..vega.aquoris.ai" parse, but no DNS name has an empty label. */
function hasEmptyLabel(host: string): boolean {
  return host.split('.').includes('');
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const isLoopback = (host: string) => LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost');

/** A parsed allowlist entry: `host` is the exact host, or the suffix a wildcard's subdomains end with. */
interface OriginPattern {
  scheme: 'http:' | 'https:';
  host: string;
  port: string;
  wildcard: boolean;
}

const WILDCARD_LABEL = 'aqb-wildcard-label';

export type OriginEntryCheck = { ok: true; origin: string; pattern: OriginPattern } | { ok: false; reason: string };

/**
 * Reads one allowlist entry: `scheme://host[:port]`, nothing after the host but an optional "/", and a
 * wildcard only as the whole leftmost label. Answers its canonical spelling (lowercase, punycode, no
 * default port, no trailing dot), which is what is stored.
 */
export function parseAllowedOrigin(entry: string): OriginEntryCheck {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)\/?$/.exec(entry);
  if (!match) return { ok: false, reason: 'must be an origin such as https://app.example.com, with no path, query or fragment' };
  const [, rawScheme = '', authority = ''] = match;
  const scheme = `${rawScheme.toLowerCase()}:`;
  if (scheme !== 'http:' && scheme !== 'https:') return { ok: false, reason: 'must use https (or http for localhost)' };
  if (authority.includes('@')) return { ok: false, reason: 'must not contain credentials' };
  const wildcard = authority.startsWith('*.');
  const rest = wildcard ? authority.slice(2) : authority;
  if (rest.includes('*') || authority === '*') return { ok: false, reason: 'a wildcard may only be the whole leftmost label, as in https://*.example.com' };
  const url = parseHttpUrl(`${scheme}//${wildcard ? `${WILDCARD_LABEL}.` : ''}${rest}/`);
  if (!url || url.pathname !== '/') return { ok: false, reason: 'must be an origin such as https://app.example.com' };
  const fullHost = normalizeHost(url.hostname);
  if (hasEmptyLabel(fullHost)) return { ok: false, reason: 'host must not have an empty label (e.g. a leading dot or "..")' };
  const host = wildcard ? fullHost.slice(WILDCARD_LABEL.length + 1) : fullHost;
  if (wildcard && (host.split('.').length < 2 || /^[\d.]+$/.test(host) || host.startsWith('['))) {
    return { ok: false, reason: 'a wildcard needs a domain of at least two labels after it, as in https://*.example.com' };
  }
  const pattern: OriginPattern = { scheme, host, port: url.port, wildcard };
  return { ok: true, origin: `${scheme}//${wildcard ? '*.' : ''}${host}${url.port ? `:${url.port}` : ''}`, pattern };
}

/**
 * An entry as an operator may add it today: `parseAllowedOrigin`, and https unless the host is a
 * loopback one (a wildcard is https only). Entries backfilled from an older http returnUrl still match.
 */
export function checkNewAllowedOrigin(entry: string): { ok: true; origin: string } | { ok: false; reason: string } {
  const parsed = parseAllowedOrigin(entry);
  if (!parsed.ok) return parsed;
  if (parsed.pattern.scheme === 'http:' && (parsed.pattern.wildcard || !isLoopback(parsed.pattern.host))) {
    return { ok: false, reason: 'must use https; only http://localhost origins may use http' };
  }
  return { ok: true, origin: parsed.origin };
}

function matches(pattern: OriginPattern, url: URL, host: string): boolean {
  if (pattern.scheme !== url.protocol || pattern.port !== url.port) return false;
  return pattern.wildcard ? host.endsWith(`.${pattern.host}`) : host === pattern.host;
}

/** What a redirect check needs of an app. */
export interface RedirectOwner {
  allowedOrigins: readonly string[];
}

/**
 * THE redirect check: every success, cancel and return URL an app supplies goes through it. Answers the
 * normalised URL to hand on (to Stripe, into a token); throws REDIRECT_NOT_ALLOWED (400) naming `field`.
 * The service's own origin (its billing pages) is always allowed.
 */
export function assertAllowedRedirect(deps: Pick<Deps, 'config'>, app: RedirectOwner, candidate: string, field: string): string {
  const refuse = (reason: string) => new AppError('REDIRECT_NOT_ALLOWED', `${field}: ${reason}`, { details: { fields: { [field]: reason } } });
  const url = parseHttpUrl(candidate);
  if (!url) throw refuse(`must be an absolute http or https URL of at most ${MAX_URL_LENGTH} characters`);
  if (url.username || url.password) throw refuse('must not contain credentials');
  const host = normalizeHost(url.hostname);
  if (hasEmptyLabel(host)) throw refuse('host must not have an empty label (e.g. a leading dot or "..")');
  const origin = `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`;
  if (isLoopback(host)) {
    if (deps.config.allowLocalhostRedirects) return url.toString();
    throw refuse(`${origin} is a localhost URL, which is allowed only outside production`);
  }
  const own = parseHttpUrl(deps.config.publicUrl);
  if (own && own.protocol === url.protocol && own.port === url.port && normalizeHost(own.hostname) === host) return url.toString();
  for (const entry of app.allowedOrigins) {
    const parsed = parseAllowedOrigin(entry);
    if (parsed.ok && matches(parsed.pattern, url, host)) return url.toString();
  }
  throw refuse(`${origin} is not one of the app's allowed origins; an operator adds it on the app's page in the admin console`);
}

/** The allowlist a new app starts with: its returnUrl's origin. */
export function originOf(returnUrl: string): string | null {
  const url = parseHttpUrl(returnUrl);
  if (!url) return null;
  const parsed = parseAllowedOrigin(`${url.protocol}//${url.host}`);
  return parsed.ok ? parsed.origin : null;
}
