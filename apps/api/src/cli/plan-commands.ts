import { getPlanBySlugOrThrow, listPlansForAdmin, syncPlanToStripe, updatePlanAsAdmin } from '@aquoris/core';
import type { Command } from './commands.ts';
import { bool, s, str } from './flags.ts';
import { OTHER_PRICE_USAGE, otherPriceFromFlags, otherPriceOptions } from './plan-flags.ts';

/** A plan's edit from the terminal, as the console's plan form: its name and its second price. */
export const PLAN_COMMANDS: Record<string, Command> = {
  'plans:update': {
    usage: `--slug SLUG [--name NAME] ${OTHER_PRICE_USAGE} [--remove-yearly-price] [--create-stripe-price]`,
    summary:
      "Change a plan's name or its second price (yearly beside monthly, or monthly beside yearly); a Stripe price given is checked against Stripe, --create-stripe-price creates the missing ones. Prints the plan with its prices",
    options: { slug: str, name: str, ...otherPriceOptions, 'create-stripe-price': bool },
    required: ['slug'],
    run: async (deps, actor, v) => {
      const plan = await getPlanBySlugOrThrow(deps, s(v.slug)!);
      const other = otherPriceFromFlags(v, plan.interval, plan.currency);
      const view = await updatePlanAsAdmin(deps, actor, {
        slug: plan.slug,
        name: s(v.name) ?? plan.name,
        priceAmount: plan.priceAmount,
        currency: plan.currency,
        interval: plan.interval,
        stripePriceId: plan.stripePriceId,
        ...(other !== undefined
          ? { otherPrice: other && { priceAmount: other.priceAmount, currency: plan.currency, stripePriceId: other.stripePriceId ?? null } }
          : {}),
      });
      if (v['create-stripe-price'] !== true) return view;
      await syncPlanToStripe(deps, actor, plan.slug);
      return (await listPlansForAdmin(deps)).find((p) => p.slug === plan.slug);
    },
  },
};
