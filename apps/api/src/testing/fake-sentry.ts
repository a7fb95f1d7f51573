import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import { waitFor } from './wait.ts';

/** A local stand-in for Sentry's ingest: records every envelope posted to `/api/<project>/envelope/`, as text. */
export interface FakeSentry {
  /** A DSN whose ingest is this server. */
  dsn: string;
  /** Every envelope received so far, decompressed (newline-separated JSON: header, item headers and items). */
  envelopes(): string[];
  /** The first envelope that contains `text`, once it has arrived. */
  waitForEnvelope(text: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

function decode(body: Buffer, encoding: string | undefined): string {
  if (encoding === 'gzip') return gunzipSync(body).toString();
  if (encoding === 'deflate') return inflateSync(body).toString();
  if (encoding === 'br') return brotliDecompressSync(body).toString();
  return body.toString();
}

export async function startFakeSentry(): Promise<FakeSentry> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    // The browser SDK posts cross-origin (the page is the API's): answer as Sentry does.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && /^\/api\/\d+\/envelope\/?/.test(req.url ?? '')) {
        received.push(decode(Buffer.concat(chunks), req.headers['content-encoding']));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${port}/42`,
    envelopes: () => [...received],
    waitForEnvelope: (text, timeoutMs = 30_000) =>
      waitFor(() => received.find((envelope) => envelope.includes(text)), { timeoutMs, what: `an envelope with "${text}"` }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What the browser drill needs of a playwright Page (apps/api does not depend on playwright). */
interface PageLike {
  evaluate<A>(fn: (arg: A) => void, arg: A): Promise<void>;
}

/**
 * Throws an uncaught error in the page (`message`) until an envelope with `lookFor` (the message as it
 * arrives, scrubbed) has come: the SDK is loaded lazily after the page starts, so the first throws may
 * come before it listens. Returns the envelope.
 */
export async function throwInPageUntilReported(page: PageLike, sentry: FakeSentry, message: string, lookFor: string, timeoutMs = 45_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.evaluate((text) => {
      setTimeout(() => {
        throw new Error(text);
      });
    }, message);
    try {
      return await sentry.waitForEnvelope(lookFor, 2_000);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}
