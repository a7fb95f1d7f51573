import { AppError } from '@aquoris/core';
import express, { type RequestHandler } from 'express';
import { verifyJsonDepth } from '../http/json-depth.ts';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Content-Encodings a body may use: a fixed list, so what is accepted does not depend on the Node version (zstd). */
export const BODY_ENCODINGS = ['identity', 'gzip', 'deflate', 'br'];

/** Bodies must be JSON, plain or compressed with a listed encoding; anything else is refused before parsing. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.get('content-length') !== '0' && (req.get('content-length') !== undefined || req.get('transfer-encoding') !== undefined);
  if (!hasBody) return next();
  if (!req.is(JSON_TYPES)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (!BODY_ENCODINGS.includes(encoding)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Unsupported Content-Encoding "${encoding.slice(0, 64)}"; use gzip, deflate, br or none`);
  }
  next();
};

/** JSON parsing for every JSON body (REST and tRPC): at most `maxBytes` after decompression, nested at most MAX_JSON_DEPTH deep. */
export function parseJson(maxBytes: number | string): RequestHandler {
  return express.json({ limit: maxBytes, strict: true, type: JSON_TYPES, verify: verifyJsonDepth });
}

/** The body pipeline of the JSON routes: refuse what is not JSON, then parse it (parseJson). */
export function jsonBody(maxBytes: number): RequestHandler[] {
  return [requireJsonBody, parseJson(maxBytes)];
}
