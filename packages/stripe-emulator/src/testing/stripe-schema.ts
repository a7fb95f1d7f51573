import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import * as TJS from 'typescript-json-schema';

/**
 * JSON Schemas of the stripe package's own object types, generated from its TypeScript declarations
 * at test time (so they cannot go stale), and validators for them: required properties present,
 * types right, and no property the type does not declare (`additionalProperties: false` everywhere).
 */
export class StripeSchemas {
  private readonly ajv: Ajv;
  /** Each type's schema reference, inside its group's schema. */
  private readonly where: Map<string, string>;

  private constructor(ajv: Ajv, where: Map<string, string>) {
    this.ajv = ajv;
    this.where = where;
  }

  /**
   * `groups` of type names as they are written under the Stripe namespace (`Customer`,
   * `Checkout.Session`, `CustomerCreatedEvent`). Each group becomes one schema whose definitions are
   * keyed by their name inside a module, so two types of one name from two modules (Checkout's and
   * BillingPortal's `Session`) must go in different groups.
   */
  static load(groups: ReadonlyArray<readonly string[]>): StripeSchemas {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-schema-'));
    try {
      const file = join(dir, 'roots.ts');
      const stripe = createRequire(import.meta.url).resolve('stripe');
      const roots = groups.map((names, i) => `export interface Group${i} {\n${names.map((n) => `  '${n}': Stripe.${n};`).join('\n')}\n}`);
      writeFileSync(file, [`import type Stripe from ${JSON.stringify(stripe)};`, ...roots].join('\n'));
      const program = TJS.getProgramFromFiles([file], { strict: true, skipLibCheck: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022' });
      const settings: TJS.PartialArgs = { required: true, noExtraProps: true, strictNullChecks: true, ignoreErrors: true };
      const ajv = new Ajv({ strict: false, allErrors: true });
      const where = new Map<string, string>();
      groups.forEach((names, i) => {
        const generator = TJS.buildGenerator(program, settings);
        if (!generator) throw new Error('typescript-json-schema could not read the stripe types');
        const schema = wireSchema(generator.getSchemaForSymbol(`Group${i}`));
        ajv.addSchema({ ...schema, $id: `stripe-group-${i}` });
        for (const name of names) where.set(name, `stripe-group-${i}#/properties/${encodeURIComponent(name)}`);
      });
      return new StripeSchemas(ajv, where);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The validation errors of `value` against `Stripe.<name>`, as readable lines; [] when it conforms. */
  errors(name: string, value: unknown): string[] {
    const ref = this.where.get(name);
    const validate = ref ? this.ajv.getSchema(ref) : undefined;
    if (!validate) throw new Error(`Stripe.${name} was not loaded`);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}

/** On the wire a `Decimal` (which stripe-node parses into its own class) is a decimal string. */
const DECIMAL_ON_THE_WIRE = { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$' };

/**
 * Two fixes from the TypeScript view to the JSON one: the types mark `deleted?: void` on live
 * objects, which the generator writes as an empty anyOf (read: never present), and `Decimal`
 * fields are strings in the JSON the API sends.
 */
function wireSchema<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(wireSchema) as T;
  if (typeof schema !== 'object' || schema === null) return schema;
  if ((schema as { $ref?: unknown }).$ref === '#/definitions/Decimal') return DECIMAL_ON_THE_WIRE as T;
  const entries = Object.entries(schema).map(([key, value]) =>
    key === 'anyOf' && Array.isArray(value) && value.length === 0 ? ['not', {}] : [key, wireSchema(value)],
  );
  return Object.fromEntries(entries) as T;
}
