import type { UseFormReturn } from 'react-hook-form';
import { otherPriceLabel, type PlanFormOutput, type PlanFormValues } from '../../lib/plan-form.ts';
import { Field } from '../ui.tsx';

/**
 * The plan's second price: "Add yearly price" beside a monthly plan (monthly beside a yearly one), then its
 * amount in major units, currency and Stripe Price ID, each with the server's error beside it, and a way to remove it.
 */
export function OtherPriceFields({ form }: { form: UseFormReturn<PlanFormValues, unknown, PlanFormOutput> }) {
  const interval = form.watch('interval');
  const other = form.watch('otherPrice');
  const label = otherPriceLabel(interval);
  const errors = form.formState.errors.otherPrice;
  if (!other) {
    return (
      <button
        type="button"
        className="secondary"
        onClick={() => form.setValue('otherPrice', { priceAmount: '', currency: form.getValues('currency'), stripePriceId: null }, { shouldDirty: true })}
      >
        Add {label.toLowerCase()} price
      </button>
    );
  }
  return (
    <fieldset className="other-price">
      <legend>{label} price</legend>
      <Field label={`${label} price (${other.currency.toUpperCase()})`} id="plan-other-price" error={errors?.priceAmount}>
        <input id="plan-other-price" inputMode="decimal" placeholder="e.g. 2990.00" {...form.register('otherPrice.priceAmount')} />
      </Field>
      <Field label={`${label} currency`} id="plan-other-currency" error={errors?.currency}>
        <select id="plan-other-currency" {...form.register('otherPrice.currency')}>
          <option value="thb">THB</option>
          <option value="usd">USD</option>
        </select>
      </Field>
      <Field label={`${label} Stripe Price ID`} id="plan-other-stripe-price" error={errors?.stripePriceId}>
        <input
          id="plan-other-stripe-price"
          placeholder="price_…"
          {...form.register('otherPrice.stripePriceId', { setValueAs: (v: string | null) => (v ? v : null) })}
        />
      </Field>
      <button type="button" className="link" onClick={() => form.setValue('otherPrice', null, { shouldDirty: true })}>
        Remove {label.toLowerCase()} price
      </button>
    </fieldset>
  );
}
