/**
 * Return-URL rules: a session's returnUrl must point at the app's registered
 * host or one of its subdomains, over http(s), with no userinfo. Comparison is
 * on the parsed (WHATWG) hostname, so "vega.aquoris.ai.evil.com",
 * "evilvega.aquoris.ai" and "https://vega.aquoris.ai@evil.com" all fail.
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

export type ReturnUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

export function checkReturnUrl(candidate: string, registeredReturnUrl: string): ReturnUrlCheck {
  const url = parseHttpUrl(candidate);
  if (!url) return { ok: false, reason: 'returnUrl must be an absolute http or https URL' };
  if (url.username || url.password) return { ok: false, reason: 'returnUrl must not contain credentials' };
  const registered = parseHttpUrl(registeredReturnUrl);
  if (!registered) return { ok: false, reason: 'The app has no valid registered return URL' };
  if (registered.protocol === 'https:' && url.protocol !== 'https:') {
    return { ok: false, reason: "returnUrl must use https, like the app's registered URL" };
  }
  const host = normalizeHost(url.hostname);
  const allowed = normalizeHost(registered.hostname);
  if (hasEmptyLabel(host)) return { ok: false, reason: 'returnUrl host must not have an empty label (e.g. a leading dot or "..")' };
  if (host !== allowed && !host.endsWith(`.${allowed}`)) {
    return { ok: false, reason: `returnUrl must be on ${allowed} or one of its subdomains` };
  }
  return { ok: true, url: url.toString() };
}
