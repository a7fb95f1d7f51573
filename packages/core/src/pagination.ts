import type { Keyset } from '@aquoris/db';
import { z } from 'zod';
import { AppError } from './errors.ts';

/** An opaque position in a newest-first list: base64url of the last row's createdAt and id. */
export const Cursor = z.string().min(1).max(512).meta({ description: 'nextCursor of the previous page' });

export const PageSize = z.number().int().min(1).max(200).default(50);

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Keyset | null {
  if (cursor === undefined) return null;
  const [iso, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || extra !== undefined || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) {
    throw new AppError('VALIDATION_ERROR', 'cursor: not a cursor this list gave out; start again without it');
  }
  return { createdAt, id };
}

/** Splits `limit + 1` fetched rows into the page and the cursor of the next one (null on the last page). */
export function toPage<R extends { createdAt: Date; id: string }>(rows: R[], limit: number): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null };
}
