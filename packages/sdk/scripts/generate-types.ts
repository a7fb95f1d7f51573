/**
 * Generates src/generated/contract.ts: plain TypeScript types for the REST v1
 * contract, derived from the zod schemas in @aquoris/core/schemas.
 *
 * Why generate instead of `z.infer` in the SDK source: the published package
 * must not depend on zod or on the workspace, and a bundled `z.infer<typeof X>`
 * keeps `import ... from 'zod'` in the .d.ts. The schemas stay the single
 * source: this script reads them, and src/generated/contract.test.ts fails when
 * the file is stale or when a generated type differs from `z.infer`/`z.input`.
 *
 *   pnpm --filter @aquoris/billing-sdk run generate
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import * as S from '@aquoris/core/schemas';

type Io = 'input' | 'output';
type AnySchema = z.core.$ZodType;

interface Named {
  name: string;
  schema: AnySchema;
  io: Io;
  doc?: string;
}

/** The contract types the SDK exposes, in output order. Enums are the same in both directions. */
export const NAMED: readonly Named[] = [
  { name: 'Currency', schema: S.CurrencySchema, io: 'output' },
  { name: 'Interval', schema: S.IntervalSchema, io: 'output', doc: 'Billing interval of a plan.' },
  { name: 'SubscriptionStatus', schema: S.SubscriptionStatusSchema, io: 'output', doc: 'Status of a subscription.' },
  { name: 'SubscriptionSource', schema: S.SubscriptionSourceSchema, io: 'output' },
  { name: 'SessionIntent', schema: S.SessionIntent, io: 'output' },
  { name: 'Plan', schema: S.PublicPlan, io: 'output', doc: 'An active plan, as listed by `GET /api/v1/plans`.' },
  { name: 'PlanList', schema: S.ListPlansResponse, io: 'output', doc: 'Response of `GET /api/v1/plans`.' },
  { name: 'EligibilitySubscription', schema: S.EligibilitySubscription, io: 'output', doc: 'A subscription as the eligibility endpoint reports it.' },
  { name: 'Eligibility', schema: S.EligibilityResponse, io: 'output', doc: 'Response of `GET /api/v1/customers/:externalUserId/subscription` (always 200).' },
  { name: 'Customer', schema: S.CustomerView, io: 'output', doc: 'Response of `PUT /api/v1/customers/:externalUserId`.' },
  {
    name: 'UpsertCustomerBody',
    schema: S.UpsertCustomerBody,
    io: 'input',
    doc: 'Body of `PUT /api/v1/customers/:externalUserId`; at least one field is required.',
  },
  { name: 'CreateSessionBody', schema: S.CreateSessionBody, io: 'input', doc: 'Body of `POST /api/v1/sessions`.' },
  { name: 'Session', schema: S.CreateSessionResponse, io: 'output', doc: 'Response of `POST /api/v1/sessions`: redirect the user to `url`.' },
  { name: 'Health', schema: S.HealthResponse, io: 'output', doc: 'Response of `GET /api/health` (200 when ok, 503 when degraded).' },
  { name: 'ErrorBody', schema: S.ErrorResponse, io: 'output', doc: 'The body of every error response.' },
];

interface Meta {
  description?: string;
  example?: unknown;
}

/** A TypeScript literal, single-quoted like the rest of the codebase. */
function literal(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function defOf(schema: AnySchema): Record<string, unknown> & { type: string } {
  return schema._zod.def as unknown as Record<string, unknown> & { type: string };
}

function metaOf(schema: AnySchema): Meta {
  return (z.globalRegistry.get(schema) ?? {}) as Meta;
}

/** Description and example of a property, looking through optional/nullable/default wrappers. */
function propertyMeta(schema: AnySchema): Meta {
  const meta: Meta = {};
  let current: AnySchema | undefined = schema;
  while (current) {
    const own = metaOf(current);
    meta.description ??= own.description;
    if (meta.example === undefined) meta.example = own.example;
    const def = defOf(current);
    current = ['optional', 'nullable', 'default', 'readonly'].includes(def.type) ? (def.innerType as AnySchema) : undefined;
  }
  return meta;
}

const STRING_FORMATS: Record<string, string> = {
  email: 'An email address.',
  url: 'An absolute URL.',
  datetime: 'ISO 8601 date-time, UTC (e.g. `2026-05-06T00:00:00.000Z`).',
};

function docComment(lines: string[], indent: string): string {
  const clean = lines.filter((line) => line.length > 0);
  if (clean.length === 0) return '';
  if (clean.length === 1) return `${indent}/** ${clean[0]} */\n`;
  return `${indent}/**\n${clean.map((line) => `${indent} * ${line}`).join('\n')}\n${indent} */\n`;
}

function propertyDoc(schema: AnySchema): string[] {
  const { description, example } = propertyMeta(schema);
  const lines: string[] = [];
  if (description) lines.push(description.endsWith('.') ? description : `${description}.`);
  let inner: AnySchema = schema;
  while (['optional', 'nullable', 'default'].includes(defOf(inner).type)) inner = defOf(inner).innerType as AnySchema;
  const format = defOf(inner).format;
  if (typeof format === 'string' && STRING_FORMATS[format] && !description) lines.push(STRING_FORMATS[format]);
  const dflt = defOf(schema).type === 'default' ? defOf(schema).defaultValue : undefined;
  if (dflt !== undefined) lines.push(`@default ${JSON.stringify(dflt)}`);
  if (example !== undefined) lines.push(`@example ${JSON.stringify(example)}`);
  return lines;
}

class Renderer {
  private readonly byIdentity = new Map<AnySchema, Named>();

  constructor(named: readonly Named[]) {
    for (const entry of named) this.byIdentity.set(entry.schema, entry);
  }

  /** A reference to another named type, if `schema` is one with the same direction (enums have none). */
  private reference(schema: AnySchema, io: Io, root: AnySchema): string | undefined {
    if (schema === root) return undefined;
    const named = this.byIdentity.get(schema);
    if (!named) return undefined;
    const def = defOf(schema);
    return def.type === 'enum' || named.io === io ? named.name : undefined;
  }

  type(schema: AnySchema, io: Io, root: AnySchema, indent: string): string {
    const ref = this.reference(schema, io, root);
    if (ref) return ref;
    const def = defOf(schema);
    switch (def.type) {
      case 'string':
        return 'string';
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'enum':
        return Object.values(def.entries as Record<string, string | number>)
          .map(literal)
          .join(' | ');
      case 'literal':
        return (def.values as unknown[]).map(literal).join(' | ');
      case 'optional':
        return `${this.type(def.innerType as AnySchema, io, root, indent)} | undefined`;
      case 'nullable':
        return `${this.type(def.innerType as AnySchema, io, root, indent)} | null`;
      case 'default':
      case 'readonly':
        return this.type(def.innerType as AnySchema, io, root, indent);
      case 'array': {
        const element = this.type(def.element as AnySchema, io, root, indent);
        return /^[A-Za-z]+$/.test(element) ? `${element}[]` : `Array<${element}>`;
      }
      case 'object':
        return this.object(def.shape as Record<string, AnySchema>, io, root, indent);
      case 'pipe':
        return this.type((io === 'input' ? def.in : def.out) as AnySchema, io, root, indent);
      default:
        throw new Error(`generate-types: unsupported zod type "${def.type}"; extend the renderer`);
    }
  }

  private object(shape: Record<string, AnySchema>, io: Io, root: AnySchema, indent: string): string {
    const inner = `${indent}  `;
    const lines = Object.entries(shape).map(([key, property]) => {
      const optional = (io === 'input' ? property._zod.optin : property._zod.optout) !== undefined;
      let type = this.type(property, io, root, inner);
      // z.input/z.infer add `| undefined` to optional keys; keep exactOptionalPropertyTypes users happy too.
      if (optional && !type.endsWith('| undefined')) type = `${type} | undefined`;
      const safeKey = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
      return `${docComment(propertyDoc(property), inner)}${inner}${safeKey}${optional ? '?' : ''}: ${type};`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
  }

  declaration(entry: Named): string {
    const meta = metaOf(entry.schema);
    const doc = docComment([entry.doc ?? meta.description ?? ''].filter(Boolean), '');
    const body = this.type(entry.schema, entry.io, entry.schema, '');
    const isObject = defOf(entry.schema).type === 'object';
    return isObject ? `${doc}export interface ${entry.name} ${body}\n` : `${doc}export type ${entry.name} = ${body};\n`;
  }
}

export function renderContractTypes(named: readonly Named[] = NAMED): string {
  const renderer = new Renderer(named);
  const header = [
    '// GENERATED by packages/sdk/scripts/generate-types.ts from @aquoris/core/schemas. Do not edit.',
    '// Regenerate with `pnpm --filter @aquoris/billing-sdk run generate`; contract.test.ts checks it is current.',
    '',
  ].join('\n');
  return `${header}\n${named.map((entry) => renderer.declaration(entry)).join('\n')}`;
}

export const OUTPUT_FILE = fileURLToPath(new URL('../src/generated/contract.ts', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUTPUT_FILE, renderContractTypes());
  console.log(`wrote ${OUTPUT_FILE}`);
}
