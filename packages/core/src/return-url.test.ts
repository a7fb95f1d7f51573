import { describe, expect, it } from 'vitest';
import { checkReturnUrl } from './return-url.ts';

const registered = 'https://vega.aquoris.ai/settings';

describe('checkReturnUrl', () => {
  it.each([
    'https://vega.aquoris.ai/settings/billing',
    'https://vega.aquoris.ai',
    'https://app.vega.aquoris.ai/settings',
    'https://a.b.vega.aquoris.ai/x?y=1#z',
    'https://VEGA.aquoris.ai/upper',
    'https://vega.aquoris.ai./trailing-dot',
    'https://vega.aquoris.ai:8443/port',
  ])('accepts %s', (url) => {
    expect(checkReturnUrl(url, registered).ok).toBe(true);
  });

  it.each([
    ['https://evil.com', 'subdomains'],
    ['https://evilvega.aquoris.ai/', 'subdomains'],
    ['https://vega.aquoris.ai.evil.com/', 'subdomains'],
    ['https://aquoris.ai/', 'subdomains'],
    ['https://vega.aquoris.ai@evil.com/', 'credentials'],
    ['https://user:pass@vega.aquoris.ai/', 'credentials'],
    ['https://evil.com\\@vega.aquoris.ai/', 'subdomains'],
    ['https://evil.com#@vega.aquoris.ai', 'subdomains'],
    ['https://evil.com?.vega.aquoris.ai', 'subdomains'],
    ['javascript:alert(1)//vega.aquoris.ai', 'http or https'],
    ['ftp://vega.aquoris.ai/', 'http or https'],
    ['data:text/html,vega.aquoris.ai', 'http or https'],
    ['//vega.aquoris.ai/', 'http or https'],
    ['/relative', 'http or https'],
    ['http://vega.aquoris.ai/', 'https'],
    [`https://vega.aquoris.ai/${'a'.repeat(2100)}`, 'http or https'],
  ])('rejects %s', (url, reason) => {
    const result = checkReturnUrl(url, registered);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('allows http when the registered URL is http (local development)', () => {
    expect(checkReturnUrl('http://localhost:5173/x', 'http://localhost:3001').ok).toBe(true);
    expect(checkReturnUrl('https://localhost/x', 'http://localhost:3001').ok).toBe(true);
  });

  it('refuses hosts with an empty label', () => {
    for (const url of ['https://.vega.aquoris.ai/x', 'https://..vega.aquoris.ai/', 'https://a..vega.aquoris.ai/', 'https://vega.aquoris.ai../']) {
      const result = checkReturnUrl(url, registered);
      expect(result, url).toEqual({ ok: false, reason: expect.stringContaining('empty label') });
    }
  });

  it('compares punycode-normalised hosts: Unicode and punycode spellings of one host are the same host', () => {
    // Registered in Unicode, given in punycode (and the other way round), at the host and on a subdomain.
    expect(checkReturnUrl('https://xn--bcher-kva.example/x', 'https://bücher.example/').ok).toBe(true);
    expect(checkReturnUrl('https://shop.xn--bcher-kva.example/x', 'https://bücher.example/').ok).toBe(true);
    expect(checkReturnUrl('https://bücher.example/x', 'https://xn--bcher-kva.example/').ok).toBe(true);
    expect(checkReturnUrl('https://shop.BÜCHER.example/x', 'https://xn--bcher-kva.example/').ok).toBe(true);
    expect(checkReturnUrl('https://vega。aquoris。ai/x', registered).ok).toBe(true); // ideographic full stops
    // A different IDN, and a look-alike, stay different hosts.
    expect(checkReturnUrl('https://bucher.example/', 'https://bücher.example/').ok).toBe(false);
    expect(checkReturnUrl('https://vegа.aquoris.ai/', registered).ok).toBe(false); // Cyrillic "а"
  });
});
