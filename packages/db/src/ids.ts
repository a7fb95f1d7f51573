import { randomFillSync } from 'node:crypto';

// The id of every row this service mints: the shape of schema.prisma's `@default(cuid(2))`, 24 lowercase
// characters, a letter then 23 letters or digits, so ids minted here and by Prisma look alike. The characters are
// drawn from the operating system's CSPRNG (about 119 bits), like cuid2's, but without its SHA-3 and BigInt
// arithmetic per id, which was the largest single CPU cost of applying a webhook event (docs/performance.md).

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const POOL_BYTES = 4_096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

function randomByte(): number {
  if (offset === POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++]!;
}

/** A uniform random index below `n` (rejection sampling: no modulo bias). */
function randomIndex(n: number): number {
  const limit = 256 - (256 % n);
  for (;;) {
    const byte = randomByte();
    if (byte < limit) return byte % n;
  }
}

export const ID_LENGTH = 24;

export function newId(): string {
  let id = ALPHABET[randomIndex(26)]!;
  for (let i = 1; i < ID_LENGTH; i++) id += ALPHABET[randomIndex(36)]!;
  return id;
}
