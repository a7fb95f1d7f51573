import { AppError } from '@aquoris/core';

/**
 * Deepest nesting of objects and arrays a JSON body may have. Real bodies
 * here are two or three levels deep; a body thousands of levels deep parses,
 * but overflows the stack of whatever walks it next (the schemas), which
 * would be a 500 from unauthenticated input.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether the JSON text in `bytes` nests deeper than `max`: one pass over the
 * bytes, skipping strings (UTF-8 continuation bytes are all >= 0x80, so they
 * never look like brackets). Run before JSON.parse; says nothing of validity.
 */
export function jsonDeeperThan(bytes: Uint8Array, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return false;
}

/** The refusal of an over-deep body, the same on every transport. */
export function tooDeepError(): AppError {
  return new AppError('BAD_REQUEST', `JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
}

/** Marks what body-parser's `verify` throws, so the error mapping (errors.ts) knows it for the refusal above. */
export const TOO_DEEP_TYPE = 'entity.too.deep';

/** body-parser's `verify` hook: refuses an over-deep body before it is parsed. */
export function verifyJsonDepth(_req: unknown, _res: unknown, body: Buffer): void {
  if (jsonDeeperThan(body)) throw Object.assign(new Error('JSON body nested too deep'), { type: TOO_DEEP_TYPE });
}
