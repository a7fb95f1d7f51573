/**
 * The generated contract types must be exactly what the zod schemas in
 * @aquoris/core/schemas describe: the file is current (runtime check), and each
 * type equals z.infer / z.input of its schema (compile-time check, enforced by
 * `tsc -p packages/sdk/tsconfig.json`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type * as S from '@aquoris/core/schemas';
import { OUTPUT_FILE, renderContractTypes } from '../../scripts/generate-types.ts';
import type * as C from './contract.ts';
import type { CustomerUpsertParams, SessionCreateParams } from '../types.ts';

/** Strict type identity (not just mutual assignability). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

export type Checks = [
  Expect<Equal<C.Currency, z.infer<typeof S.CurrencySchema>>>,
  Expect<Equal<C.Interval, z.infer<typeof S.IntervalSchema>>>,
  Expect<Equal<C.SubscriptionStatus, z.infer<typeof S.SubscriptionStatusSchema>>>,
  Expect<Equal<C.SubscriptionSource, z.infer<typeof S.SubscriptionSourceSchema>>>,
  Expect<Equal<C.SessionIntent, z.infer<typeof S.SessionIntent>>>,
];

describe('generated contract types', () => {
  it('are current: regenerate with `pnpm --filter @aquoris/billing-sdk run generate`', () => {
    expect(readFileSync(OUTPUT_FILE, 'utf8')).toBe(renderContractTypes());
  });

  it('match the schemas (z.infer for responses, z.input for request bodies)', () => {
    expectTypeOf<C.Plan>().toEqualTypeOf<z.infer<typeof S.PublicPlan>>();
    expectTypeOf<C.PlanList>().toEqualTypeOf<z.infer<typeof S.ListPlansResponse>>();
    expectTypeOf<C.EligibilitySubscription>().toEqualTypeOf<z.infer<typeof S.EligibilitySubscription>>();
    expectTypeOf<C.Eligibility>().toEqualTypeOf<z.infer<typeof S.EligibilityResponse>>();
    expectTypeOf<C.Customer>().toEqualTypeOf<z.infer<typeof S.CustomerView>>();
    expectTypeOf<C.UpsertCustomerBody>().toEqualTypeOf<z.input<typeof S.UpsertCustomerBody>>();
    expectTypeOf<C.CreateSessionBody>().toEqualTypeOf<z.input<typeof S.CreateSessionBody>>();
    expectTypeOf<C.Session>().toEqualTypeOf<z.infer<typeof S.CreateSessionResponse>>();
    expectTypeOf<C.Health>().toEqualTypeOf<z.infer<typeof S.HealthResponse>>();
    expectTypeOf<C.ErrorBody>().toEqualTypeOf<z.infer<typeof S.ErrorResponse>>();
  });

  it('derive the method parameters', () => {
    expectTypeOf<SessionCreateParams>().toEqualTypeOf<Omit<z.input<typeof S.CreateSessionBody>, 'appSlug'>>();
    expectTypeOf<{ email: string }>().toExtend<CustomerUpsertParams>();
    expectTypeOf<{ name: string }>().toExtend<CustomerUpsertParams>();
    expectTypeOf<{ email: string; name: string }>().toExtend<CustomerUpsertParams>();
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the empty params object is the case under test
    expectTypeOf<{}>().not.toExtend<CustomerUpsertParams>();
    expectTypeOf<{ email: undefined }>().not.toExtend<CustomerUpsertParams>();
  });
});
