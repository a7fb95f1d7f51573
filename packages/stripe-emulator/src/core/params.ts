import { invalidRequest, missingParam } from './errors.ts';

// Typed readers over a qs-parsed, form-encoded body. Each reader knows the full bracket name of
// the value it reads (`line_items[0][price]`) so validation errors name the same `param` Stripe would.

type Raw = Record<string, unknown>;

export class Params {
  readonly raw: Raw;
  private readonly prefix: string;

  constructor(raw: Raw, prefix = '') {
    this.raw = raw;
    this.prefix = prefix;
  }

  /** The bracket path of this object itself, e.g. `items[0]`. */
  get path(): string {
    return this.prefix;
  }

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  /** Strings pass through; '' is returned as '' so callers can treat it as "unset". */
  string(key: string): string | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${this.name(key)}`, this.name(key));
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === '') throw missingParam(this.name(key));
    return value;
  }

  /** Stripe nulls a nullable string when it is sent as ''. */
  nullableString(key: string): string | null | undefined {
    const value = this.string(key);
    return value === '' ? null : value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      throw invalidRequest(`Invalid ${this.name(key)}: must be one of ${allowed.join(', ')}`, this.name(key));
    }
    return value as T;
  }

  int(key: string): number | undefined {
    const value = this.string(key);
    if (value === undefined || value === '') return undefined;
    if (!/^-?\d+$/.test(value)) {
      throw invalidRequest(`Invalid integer: ${value}`, this.name(key), 'parameter_invalid_integer');
    }
    return Number(value);
  }

  requiredInt(key: string): number {
    const value = this.int(key);
    if (value === undefined) throw missingParam(this.name(key));
    return value;
  }

  bool(key: string): boolean | undefined {
    const value = this.string(key);
    if (value === undefined || value === '') return undefined;
    if (value !== 'true' && value !== 'false') {
      throw invalidRequest(`Invalid boolean: ${value}`, this.name(key));
    }
    return value === 'true';
  }

  object(key: string): Params | undefined {
    const value = this.raw[key];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalidRequest(`Invalid object`, this.name(key));
    }
    return new Params(value as Raw, this.name(key));
  }

  /** `items[0][price]=...` arrives either as an array or (past qs's array limit) as an index-keyed object. */
  objects(key: string): Params[] {
    const value = this.raw[key];
    if (value === undefined || value === '') return [];
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Raw);
    return entries.map(([index, entry]) => {
      if (typeof entry !== 'object' || entry === null) throw invalidRequest('Invalid array', `${this.name(key)}[${index}]`);
      return new Params(entry as Raw, `${this.name(key)}[${index}]`);
    });
  }

  strings(key: string): string[] {
    const value = this.raw[key];
    if (value === undefined || value === '') return [];
    const list = Array.isArray(value) ? value : typeof value === 'object' && value ? Object.values(value) : [value];
    return list.map((entry) => {
      if (typeof entry !== 'string') throw invalidRequest('Invalid array', this.name(key));
      return entry;
    });
  }

  /** Merges `metadata[...]` into existing metadata the way Stripe does: '' deletes a key, metadata='' clears all. */
  metadata(existing: Record<string, string> = {}, key = 'metadata'): Record<string, string> {
    const value = this.raw[key];
    if (value === undefined) return existing;
    if (value === '') return {};
    if (typeof value !== 'object' || value === null) throw invalidRequest('Invalid metadata', this.name(key));
    const merged = { ...existing };
    for (const [k, v] of Object.entries(value as Raw)) {
      if (typeof v !== 'string') throw invalidRequest(`Invalid metadata value for ${k}`, `${this.name(key)}[${k}]`);
      if (v === '') delete merged[k];
      else merged[k] = v;
    }
    return merged;
  }
}

/**
 * What a route accepts, declared once beside it: `value` is a scalar (or a list of scalars such as
 * `expand[]`), `free` a free-form hash (metadata), a nested shape an object, and `[shape]` a list
 * of objects. Anything else is refused before the handler runs, the way Stripe refuses it.
 * `unsupported` marks a parameter Stripe knows that the emulator does not emulate: it is refused
 * too, but with a message that says so rather than calling it unknown.
 */
export type ParamField = 'value' | 'free' | 'unsupported' | ParamShape | readonly [ParamShape];
export interface ParamShape {
  readonly [key: string]: ParamField;
}

/**
 * A route's parameters and the stripe package's `*Params` interface they belong to (named as it is
 * under the `Stripe` namespace, e.g. `Checkout.SessionCreateParams`), which a test compares them with.
 */
export interface RouteParams {
  readonly stripe: string;
  readonly params: ParamShape;
}

const PARAMETER_UNKNOWN_DOC = 'https://docs.stripe.com/error-codes/parameter-unknown';

/** Throws Stripe's 400 `parameter_unknown` for the first parameter the shape does not declare. */
export function rejectUnknownParams(raw: Raw, shape: ParamShape, prefix = ''): void {
  const found = findUnknown(raw, shape, prefix);
  if (found === null) return;
  if (found.unsupported) throw invalidRequest(`${found.name} is not supported by the Stripe emulator.`, found.name);
  const error = invalidRequest(`Received unknown parameter: ${found.name}`, found.name, 'parameter_unknown');
  error.body.doc_url = PARAMETER_UNKNOWN_DOC;
  throw error;
}

interface Refused {
  name: string;
  unsupported: boolean;
}

function findUnknown(raw: Raw, shape: ParamShape, prefix: string): Refused | null {
  for (const [key, value] of Object.entries(raw)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (field === undefined) return { name, unsupported: false };
    if (field === 'unsupported') return { name, unsupported: true };
    const nested = findUnknownIn(value, field, name);
    if (nested !== null) return nested;
  }
  return null;
}

function findUnknownIn(value: unknown, field: ParamField, name: string): Refused | null {
  if (field === 'value' || field === 'free' || typeof value !== 'object' || value === null) return null;
  if (Array.isArray(field)) {
    // A list arrives as an array, or (past qs's array limit, or with sparse indexes) as an index-keyed object.
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Raw);
    for (const [index, entry] of entries) {
      if (typeof entry !== 'object' || entry === null) continue;
      const nested = findUnknown(entry as Raw, field[0] as ParamShape, `${name}[${index}]`);
      if (nested !== null) return nested;
    }
    return null;
  }
  if (Array.isArray(value)) return null;
  return findUnknown(value as Raw, field as ParamShape, name);
}

/** The parameters every list endpoint takes. */
export const LIST_PARAMS = { limit: 'value', starting_after: 'value', ending_before: 'value', expand: 'value' } as const satisfies ParamShape;
/** `created=<ts>` or `created[gte|gt|lte|lt]=<ts>`. */
export const CREATED_PARAM = { created: { gt: 'value', gte: 'value', lt: 'value', lte: 'value' } } as const satisfies ParamShape;
/** What a retrieve (or a call with no parameters of its own) takes. */
export const EXPAND_ONLY = { expand: 'value' } as const satisfies ParamShape;
