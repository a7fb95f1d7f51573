/** The parsed flags of one command, and how a command declares them (node:util parseArgs). */
export type Values = Record<string, string | boolean | undefined>;
export type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

export const str = { type: 'string' } as const;
export const bool = { type: 'boolean' } as const;
export const pageOptions = { cursor: str, limit: str } as const;

/** A numeric flag as a number; anything else goes through as-is so validation names the field. */
export function num(value: string | boolean | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  return /^-?\d+$/.test(value.trim()) ? Number(value) : (value as unknown as number);
}

export const s = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

/** --cursor and --limit, for the lists that page. */
export const page = (v: Values) => ({
  ...(v.cursor !== undefined ? { cursor: s(v.cursor) } : {}),
  ...(v.limit !== undefined ? { limit: num(v.limit) } : {}),
});
