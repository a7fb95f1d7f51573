import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { assertAllowedRedirect, checkNewAllowedOrigin, originOf, parseAllowedOrigin } from './return-url.ts';

const dev = { config: { publicUrl: 'https://pay.aquoris.ai', allowLocalhostRedirects: true } } as const;
const prod = { config: { publicUrl: 'https://pay.aquoris.ai', allowLocalhostRedirects: false } } as const;
const app = { allowedOrigins: ['https://app.example.com', 'https://*.shop.example', 'https://ports.example.com:8443', 'https://xn--bcher-kva.example'] };

function refusal(url: string, deps: typeof dev | typeof prod = dev, field = 'returnUrl'): AppError {
  try {
    assertAllowedRedirect(deps as never, app, url, field);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`${url} was allowed`);
}

describe('assertAllowedRedirect', () => {
  it.each([
    ['https://app.example.com/settings?tab=billing#x', 'https://app.example.com/settings?tab=billing#x'],
    ['https://APP.Example.com/upper', 'https://app.example.com/upper'],
    ['https://app.example.com./trailing-dot', 'https://app.example.com./trailing-dot'],
    ['https://app.example.com:443/default-port', 'https://app.example.com/default-port'],
    ['https://a.shop.example/x', 'https://a.shop.example/x'],
    ['https://a.b.shop.example/x', 'https://a.b.shop.example/x'],
    ['https://ports.example.com:8443/x', 'https://ports.example.com:8443/x'],
    ['https://bücher.example/x', 'https://xn--bcher-kva.example/x'],
    ['https://BÜCHER.example/x', 'https://xn--bcher-kva.example/x'],
    ['https://pay.aquoris.ai/billing', 'https://pay.aquoris.ai/billing'],
  ])('allows %s', (url, normalised) => {
    expect(assertAllowedRedirect(dev as never, app, url, 'returnUrl')).toBe(normalised);
  });

  it.each([
    ['https://app.example.com.evil.com/', 'not one of the app'],
    ['https://app.example.com@evil.com/', 'credentials'],
    ['https://user:pass@app.example.com/', 'credentials'],
    ['//evil.com', 'absolute http or https URL'],
    ['//app.example.com/x', 'absolute http or https URL'],
    ['javascript:alert(1)//app.example.com', 'absolute http or https URL'],
    ['data:text/html,app.example.com', 'absolute http or https URL'],
    ['ftp://app.example.com/', 'absolute http or https URL'],
    ['/relative', 'absolute http or https URL'],
    ['http://app.example.com/', 'not one of the app'],
    ['https://evilapp.example.com/', 'not one of the app'],
    ['https://example.com/', 'not one of the app'],
    ['https://shop.example/', 'not one of the app'],
    ['https://evil.com\\@app.example.com/', 'not one of the app'],
    ['https://evil.com#@app.example.com', 'not one of the app'],
    ['https://evil.com?.app.example.com', 'not one of the app'],
    ['https://app.example.com:8443/', 'not one of the app'],
    ['https://ports.example.com/', 'not one of the app'],
    ['https://bucher.example/', 'not one of the app'],
    ['https://аpp.example.com/', 'not one of the app'], // Cyrillic "а"
    ['https://a..shop.example/', 'empty label'],
    ['https://.app.example.com/', 'empty label'],
    [`https://app.example.com/${'a'.repeat(2100)}`, 'absolute http or https URL'],
  ])('refuses %s with a message naming the field', (url, reason) => {
    const error = refusal(url);
    expect(error.code).toBe('REDIRECT_NOT_ALLOWED');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^returnUrl: /);
    expect(error.message).toContain(reason);
  });

  it('names the field it was given', () => {
    expect(refusal('https://evil.com/', dev, 'successUrl').message).toBe(
      "successUrl: https://evil.com is not one of the app's allowed origins; an operator adds it on the app's page in the admin console",
    );
  });

  it('allows http://localhost:<port> outside production only, listed or not', () => {
    expect(assertAllowedRedirect(dev as never, app, 'http://localhost:5173/x', 'returnUrl')).toBe('http://localhost:5173/x');
    expect(assertAllowedRedirect(dev as never, app, 'http://127.0.0.1:3000/', 'returnUrl')).toBe('http://127.0.0.1:3000/');
    const listed = { allowedOrigins: ['http://localhost:5173'] };
    expect(() => assertAllowedRedirect(prod as never, listed, 'http://localhost:5173/x', 'cancelUrl')).toThrow(
      'cancelUrl: http://localhost:5173 is a localhost URL, which is allowed only outside production',
    );
    expect(refusal('http://127.0.0.1:3000/', prod).message).toContain('only outside production');
  });
});

describe('allowlist entries', () => {
  it.each([
    ['https://app.example.com', 'https://app.example.com'],
    ['https://App.Example.COM/', 'https://app.example.com'],
    ['https://app.example.com.', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
    ['https://app.example.com:8443', 'https://app.example.com:8443'],
    ['https://*.example.com', 'https://*.example.com'],
    ['https://*.BÜCHER.example', 'https://*.xn--bcher-kva.example'],
    ['http://localhost:5173', 'http://localhost:5173'],
  ])('accepts %s as %s', (entry, canonical) => {
    expect(checkNewAllowedOrigin(entry)).toEqual({ ok: true, origin: canonical });
  });

  it.each([
    ['https://app.example.com/path', 'no path'],
    ['https://app.example.com?x=1', 'no path'],
    ['https://app.example.com#x', 'no path'],
    ['app.example.com', 'must be an origin'],
    ['ftp://app.example.com', 'https'],
    ['javascript://app.example.com', 'https'],
    ['http://app.example.com', 'only http://localhost'],
    ['http://*.example.com', 'only http://localhost'],
    ['https://user@app.example.com', 'credentials'],
    ['*', 'must be an origin'],
    ['https://*', 'wildcard'],
    ['https://*.com', 'at least two labels'],
    ['https://*.127.0.0.1', 'must be an origin'],
    ['https://a.*.example.com', 'leftmost label'],
    ['https://*example.com', 'leftmost label'],
    ['https://*.*.example.com', 'leftmost label'],
    ['https://app..example.com', 'empty label'],
    [' https://app.example.com', 'must be an origin'],
  ])('refuses %s', (entry, reason) => {
    const check = checkNewAllowedOrigin(entry);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain(reason);
  });

  it('reads an http entry backfilled from an older returnUrl, which still matches', () => {
    expect(parseAllowedOrigin('http://legacy.example.com').ok).toBe(true);
    expect(assertAllowedRedirect(prod as never, { allowedOrigins: ['http://legacy.example.com'] }, 'http://legacy.example.com/x', 'returnUrl')).toBe(
      'http://legacy.example.com/x',
    );
  });

  it("starts a new app's list with its returnUrl's origin", () => {
    expect(originOf('https://Vega.aquoris.ai:443/settings?x=1')).toBe('https://vega.aquoris.ai');
    expect(originOf('http://localhost:3001/')).toBe('http://localhost:3001');
  });
});
