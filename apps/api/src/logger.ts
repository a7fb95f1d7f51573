import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * For a person at a terminal (development): one readable line per entry, a request as
 * "GET /api/v1/plans 200 3.2 ms". Production keeps JSON lines for the log store.
 */
export function prettyDestination(stream: NodeJS.WritableStream = process.stdout): pino.DestinationStream {
  return pretty({
    destination: stream,
    sync: true,
    colorize: 'isTTY' in stream && stream.isTTY === true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,method,path,status,ms',
    messageFormat: (log, messageKey) =>
      log[messageKey] === 'request' && typeof log.method === 'string'
        ? `${log.method} ${String(log.path)} ${String(log.status)} ${String(log.ms)} ms`
        : String(log[messageKey] ?? ''),
  });
}

/** Structured JSON logs (readable lines with `pretty`, for development). Anything that could carry a secret is redacted at the source. */
export function createLogger(level: string, destination?: pino.DestinationStream, options: { pretty?: boolean } = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'aquoris-billing' },
      timestamp: isoTimeOncePerMs,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["stripe-signature"]',
          'res.headers["set-cookie"]',
          '*.apiKey',
          '*.password',
          '*.token',
          'apiKey',
          'password',
          'token',
        ],
        censor: '[redacted]',
      },
      serializers: { err: pino.stdSerializers.err },
    },
    // Asynchronous stdout, written in blocks of at least LOG_BLOCK_BYTES or every LOG_FLUSH_MS, whichever
    // comes first: under load a write per line (or per few lines) is the hot path's largest cost after the
    // socket's own. Flushed on shutdown and, by pino, on exit. In development, pino-pretty instead.
    destination ?? (options.pretty ? prettyDestination() : pino.destination({ dest: 1, sync: false, minLength: LOG_BLOCK_BYTES, periodicFlush: LOG_FLUSH_MS })),
  );
}

/** Smallest write to stdout while lines arrive faster than LOG_FLUSH_MS apart. */
export const LOG_BLOCK_BYTES = 4096;
/** Longest a line waits in the buffer. */
export const LOG_FLUSH_MS = 100;

let lastMs = -1;
let lastTime = '';
/** pino's isoTime, formatted once per millisecond: the lines of one millisecond share it. */
function isoTimeOncePerMs(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

/** The path as logged: session tokens in URLs are credentials too. */
export function redactPath(path: string): string {
  return path.replace(/^\/session\/[^/?]+/, '/session/[redacted]');
}
