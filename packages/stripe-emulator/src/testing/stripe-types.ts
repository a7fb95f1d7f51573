import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import type { ParamField, ParamShape } from '../core/params.ts';

/**
 * Reads the stripe package's own TypeScript declarations (the ones its `Stripe.*Params` types come
 * from) with the compiler, so tests can compare the emulator's declarations with them.
 */
export class StripeTypes {
  private readonly checker: ts.TypeChecker;
  private readonly aliases: Map<string, ts.Type>;

  private constructor(checker: ts.TypeChecker, aliases: Map<string, ts.Type>) {
    this.checker = checker;
    this.aliases = aliases;
  }

  /** `names` as they are written under the Stripe namespace: `ProductCreateParams`, `Checkout.SessionCreateParams`. */
  static load(names: readonly string[]): StripeTypes {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-types-'));
    try {
      const file = join(dir, 'probe.ts');
      const unique = [...new Set(names)];
      const stripeTypes = createRequire(import.meta.url).resolve('stripe');
      const source = [`import type Stripe from ${JSON.stringify(stripeTypes)};`, ...unique.map((name, i) => `export type T${i} = Stripe.${name};`)].join('\n');
      writeFileSync(file, source);
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        types: [],
      });
      const checker = program.getTypeChecker();
      const probe = program.getSourceFile(file);
      if (!probe) throw new Error('probe file not in the program');
      const problems = ts.getPreEmitDiagnostics(program, probe).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      if (problems.length > 0) throw new Error(`stripe types did not resolve:\n${problems.join('\n')}`);
      const aliases = new Map<string, ts.Type>();
      for (const statement of probe.statements) {
        if (!ts.isTypeAliasDeclaration(statement)) continue;
        const index = Number(statement.name.text.slice(1));
        aliases.set(unique[index] ?? '', checker.getTypeAtLocation(statement.name));
      }
      return new StripeTypes(checker, aliases);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The top-level property names of a `*Params` type. */
  propertyNames(name: string): string[] {
    return this.properties(this.typeOf(name)).map((p) => p.name);
  }

  /**
   * Every parameter the shape declares that the stripe type does not have, with its bracket path
   * (`line_items[0][foo]`), walking nested objects and lists of objects.
   */
  undeclaredByStripe(name: string, shape: ParamShape): string[] {
    return this.compare(this.typeOf(name), shape, '');
  }

  private typeOf(name: string): ts.Type {
    const type = this.aliases.get(name);
    if (!type) throw new Error(`Stripe.${name} was not loaded`);
    return type;
  }

  private compare(type: ts.Type, shape: ParamShape, prefix: string): string[] {
    const props = new Map(this.properties(type).map((p) => [p.name, p]));
    const missing: string[] = [];
    for (const [key, field] of Object.entries(shape) as Array<[string, ParamField]>) {
      const path = prefix ? `${prefix}[${key}]` : key;
      const prop = props.get(key);
      if (!prop) {
        missing.push(path);
        continue;
      }
      if (typeof field === 'string') continue;
      const propType = this.checker.getTypeOfSymbol(prop);
      if (Array.isArray(field)) missing.push(...this.compare(this.elementType(propType), field[0] as ParamShape, `${path}[0]`));
      else missing.push(...this.compare(propType, field as ParamShape, path));
    }
    return missing;
  }

  /** Object members of a union (`Emptyable<X>`, `X | null`, `number | RangeQueryParam`), merged. */
  private properties(type: ts.Type): ts.Symbol[] {
    const members = type.isUnion() ? type.types : [type];
    const seen = new Map<string, ts.Symbol>();
    for (const member of members) {
      if (!(member.flags & ts.TypeFlags.Object)) continue;
      if (this.checker.isArrayType(member)) continue;
      for (const prop of this.checker.getPropertiesOfType(member)) if (!seen.has(prop.name)) seen.set(prop.name, prop);
    }
    return [...seen.values()];
  }

  private elementType(type: ts.Type): ts.Type {
    const members = type.isUnion() ? type.types : [type];
    for (const member of members) {
      if (this.checker.isArrayType(member)) {
        const [element] = this.checker.getTypeArguments(member as ts.TypeReference);
        if (element) return element;
      }
    }
    return type;
  }
}
