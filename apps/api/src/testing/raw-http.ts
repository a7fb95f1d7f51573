import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

export interface RawOptions {
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The bearer key to send, if any. */
  apiKey?: string;
}

/** node:http directly: fetch would normalise the path, refuse some methods (TRACE) or the headers a test needs to send. */
export function rawRequest(baseUrl: string, method: string, path: string, options: RawOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The REST envelope with this status and code (and, if given, a message containing or matching `message`). */
export function expectError(res: RawResponse, status: number, code: string, message?: string | RegExp): void {
  expect(res.status, res.text.slice(0, 300)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const { error } = res.json();
  expect(error.code).toBe(code);
  if (typeof message === 'string') expect(error.message).toContain(message);
  else if (message) expect(error.message).toMatch(message);
}
