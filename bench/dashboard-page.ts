import { chromium } from 'playwright-core';

/** The four cards by their titles: the "all numbers" on the Dashboard page. */
const CARDS = ['MRR', 'Active subscriptions', 'Churn rate', 'Revenue'];

interface PageElement {
  textContent: string | null;
  classList: { contains(name: string): boolean };
  querySelector(selector: string): PageElement | null;
}
interface PageDocument {
  querySelectorAll(selector: string): Iterable<PageElement>;
}

export interface PageLoad {
  /** Milliseconds from navigation start (the browser's clock) to all four cards showing numbers. */
  ms: number;
}

/**
 * Opens the admin console's Dashboard in Chromium (a fresh browser context each time: no HTTP cache, no
 * client cache) with the admin session cookie, and times it from navigation start to the moment each of the
 * four cards shows a number (not its loading state, not "--"). Throws when a card fails or 10 s pass.
 */
export async function timeDashboardPage(baseUrl: string, cookieValue: string, runs: number): Promise<PageLoad[]> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const loads: PageLoad[] = [];
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addCookies([{ name: 'aqb_admin', value: cookieValue, url: baseUrl }]);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/admin/`, { waitUntil: 'commit' });
      const ms = await page
        .waitForFunction(
          (titles) => {
            // Runs in the page: the DOM, typed as far as used here (the bench compiles without the DOM library).
            const document = (globalThis as unknown as { document: PageDocument }).document;
            const ready = titles.every((title) => {
              const section = [...document.querySelectorAll('section.stat-card')].find((s) => s.querySelector('h2 > span')?.textContent?.trim() === title);
              const value = section?.querySelector('.stat-value');
              if (!section || !value || value.classList.contains('loading')) return false;
              if (value.textContent?.trim() === '--') throw new Error(`${title} shows --`);
              return /\d/.test(value.textContent ?? '');
            });
            return ready ? performance.now() : false;
          },
          CARDS,
          { polling: 'raf', timeout: 10_000 },
        )
        .then((handle) => handle.jsonValue() as Promise<number>);
      loads.push({ ms: Math.round(ms) });
      await context.close();
    }
    return loads;
  } finally {
    await browser.close();
  }
}
