import type { UseFormRegisterReturn } from 'react-hook-form';
import { formatPrice } from '../../lib/format.ts';
import { trpc } from '../../trpc.ts';

/** The active plans as a select (its value is the plan's slug); says so while they load or if they cannot. */
export function PlanSelect({ id, register }: { id: string; register: UseFormRegisterReturn }) {
  const plans = trpc.admin.plans.list.useQuery();
  const active = plans.data?.filter((p) => p.active) ?? [];
  return (
    <select id={id} {...register} disabled={plans.isPending}>
      <option value="">{plans.isPending ? 'Loading plans…' : plans.error ? 'Plans could not be loaded' : 'Choose a plan'}</option>
      {active.map((p) => (
        <option key={p.slug} value={p.slug}>
          {p.name} ({p.slug}), {formatPrice(p.priceAmount, p.currency)} / {p.interval}
        </option>
      ))}
    </select>
  );
}
