import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

/** Samples a process's resident set (VmRSS in /proc) every 100 ms and keeps the peak, across restarts (one pid at a time). */
export class RssSampler {
  private peakKb = 0;
  private windowPeakKb = 0;
  private pid: number | undefined;
  private readonly timer = setInterval(() => this.sample(), 100);

  watch(pid: number | undefined): void {
    this.pid = pid;
    this.sample();
  }

  sample(): number {
    if (!this.pid) return 0;
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'))?.[1] ?? 0);
      this.peakKb = Math.max(this.peakKb, kb);
      this.windowPeakKb = Math.max(this.windowPeakKb, kb);
      return kb;
    } catch {
      return 0; // exited
    }
  }

  /** The peak since the sampler started. */
  peakMb(): number {
    return Math.round(this.peakKb / 1024);
  }

  /** The peak since the last `startWindow()`. */
  windowPeakMb(): number {
    return Math.round(this.windowPeakKb / 1024);
  }

  startWindow(): void {
    this.windowPeakKb = 0;
    this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface ExportFigure {
  file: string;
  rows: number;
  expectedRows: number;
  megabytes: number;
  seconds: number;
  /** The API's peak RSS while this export streamed. */
  apiPeakRssMb: number;
}

/** Downloads one export, counting its lines as they arrive (the bench holds no more than a chunk either). */
async function countRows(url: string, cookie: string): Promise<{ rows: number; bytes: number }> {
  const res = await fetch(url, { headers: { cookie } });
  if (!res.ok || !res.body) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  let newlines = 0;
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) newlines++;
  }
  return { rows: newlines - 1, bytes };
}

/** The CSV exports at the seeded size: every subscription, and the last 12 months of invoices; rows checked against the database. */
export async function downloadExports(baseUrl: string, cookie: string, databaseUrl: string, rss: RssSampler): Promise<ExportFigure[]> {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const count = async (text: string, values: unknown[] = []) => Number((await client.query<{ n: string }>(text, values)).rows[0]!.n);
    const cases = [
      { file: 'subscriptions.csv', path: '/admin/exports/subscriptions.csv', expected: () => count('SELECT count(*) n FROM subscriptions') },
      {
        file: 'invoices.csv (12 months)',
        path: `/admin/exports/invoices.csv?from=${from}&to=${to}`,
        expected: () => count(`SELECT count(*) n FROM invoices WHERE "createdAt" >= $1::date AND "createdAt" < $2::date + 1`, [from, to]),
      },
    ];
    const figures: ExportFigure[] = [];
    for (const c of cases) {
      rss.startWindow();
      const start = performance.now();
      const { rows, bytes } = await countRows(`${baseUrl}${c.path}`, cookie);
      figures.push({
        file: c.file,
        rows,
        expectedRows: await c.expected(),
        megabytes: Math.round(bytes / 1024 / 1024),
        seconds: Math.round((performance.now() - start) / 100) / 10,
        apiPeakRssMb: rss.windowPeakMb(),
      });
    }
    return figures;
  } finally {
    await client.end();
  }
}
