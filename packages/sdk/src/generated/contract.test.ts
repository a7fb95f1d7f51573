/**
 * The generated contract types must be what the API's OpenAPI document
 * describes (the file is current), and what the zod schemas in
 * @aquoris/core/schemas accept and return (compile-time checks, enforced by
 * `tsc -p packages/sdk/tsconfig.json`).
 */
import { readFileSync } from 'node:fs';
import type { ERROR_HTTP_STATUS } from '@aquoris/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type * as S from '@aquoris/core/schemas';
import { OUTPUT_FILE, renderContractTypes } from '../../scripts/generate-types.ts';
import type { ErrorCode } from '../errors.ts';
import type * as T from '../types.ts';
import type { components } from './openapi.ts';

/** Strict type identity (not just mutual assignability). */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
type Expect<V extends true> = V;

export type Checks = [
  Expect<Equal<T.Currency, z.infer<typeof S.CurrencySchema>>>,
  Expect<Equal<T.Interval, z.infer<typeof S.IntervalSchema>>>,
  Expect<Equal<T.SubscriptionStatus, z.infer<typeof S.SubscriptionStatusSchema>>>,
  Expect<Equal<T.SubscriptionSource, z.infer<typeof S.SubscriptionSourceSchema>>>,
  Expect<Equal<T.SessionIntent, z.infer<typeof S.SessionIntent>>>,
  // The contract's enum is exactly core's table of codes (ERROR_HTTP_STATUS), and ErrorCode carries it.
  Expect<Equal<components['schemas']['ErrorCode'], keyof typeof ERROR_HTTP_STATUS>>,
  Expect<Equal<Extract<ErrorCode, components['schemas']['ErrorCode']>, components['schemas']['ErrorCode']>>,
];

describe('generated contract types', () => {
  it('are current: regenerate with `pnpm --filter @aquoris/billing-sdk run generate`', async () => {
    expect(readFileSync(OUTPUT_FILE, 'utf8')).toBe(await renderContractTypes());
  });

  it('match the schemas (z.infer for responses)', () => {
    expectTypeOf<T.Plan>().toEqualTypeOf<z.infer<typeof S.PublicPlan>>();
    expectTypeOf<T.PlanList>().toEqualTypeOf<z.infer<typeof S.ListPlansResponse>>();
    expectTypeOf<T.EligibilitySubscription>().toEqualTypeOf<z.infer<typeof S.EligibilitySubscription>>();
    expectTypeOf<T.Eligibility>().toEqualTypeOf<z.infer<typeof S.EligibilityResponse>>();
    expectTypeOf<T.Customer>().toEqualTypeOf<z.infer<typeof S.CustomerView>>();
    expectTypeOf<T.Session>().toEqualTypeOf<z.infer<typeof S.CreateSessionResponse>>();
    expectTypeOf<T.Health>().toEqualTypeOf<z.infer<typeof S.HealthResponse>>();
    expectTypeOf<T.ErrorBody>().toEqualTypeOf<z.infer<typeof S.ErrorResponse>>();
  });

  it('derive the method parameters from the request bodies (z.input: a field with a default is optional)', () => {
    expectTypeOf<T.SessionCreateParams>().toEqualTypeOf<Omit<z.input<typeof S.CreateSessionBody>, 'appSlug'>>();
    expectTypeOf<{ externalUserId: string }>().toExtend<T.SessionCreateParams>();
    expectTypeOf<{ email: string }>().toExtend<T.CustomerUpsertParams>();
    expectTypeOf<{ name: string }>().toExtend<T.CustomerUpsertParams>();
    expectTypeOf<{ email: string; name: string }>().toExtend<T.CustomerUpsertParams>();
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the empty params object is the case under test
    expectTypeOf<{}>().not.toExtend<T.CustomerUpsertParams>();
    expectTypeOf<{ email: undefined }>().not.toExtend<T.CustomerUpsertParams>();
  });
});
