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
