import type { BillingSubscription, EndedSubscription } from './types.ts';
import { daysUntil, formatDate, formatPrice, intervalAdverb, pluralDays, formatMoney } from './format.ts';

export type Tone = 'success' | 'info' | 'warning' | 'danger' | 'neutral';

/** Everything the dashboard says about a subscription, in words a subscriber understands. */
export interface StatusView {
  /** Short badge text ("Active", "Payment failed"). */
  label: string;
  tone: Tone;
  /** One or two sentences: what is going on and, when something is wrong, what to do. */
  message: string;
  /** What the plan costs: "฿299.00" per "month", or "Free" (per null); null without a plan. */
  price: { amount: string; per: string | null } | null;
  /** The date that matters next, with its meaning ("Renews on", "Ends on", "Trial ends on"); null when none. */
  keyDate: { label: string; date: string } | null;
  /** Still has access to the app. */
  hasAccess: boolean;
  canChangePlan: boolean;
  canCancel: boolean;
  canResume: boolean;
  canUpdatePayment: boolean;
  /** Offer "Choose a plan" (nothing live to manage). */
  canSubscribe: boolean;
}

const NO_ACTIONS = { canChangePlan: false, canCancel: false, canResume: false, canUpdatePayment: false, canSubscribe: false };

/** What happened to the plan that ended last, for a subscriber who has none now. */
export function endedMessage(ended: EndedSubscription): string {
  const date = formatDate(ended.endedAt);
  if (ended.refundedAmount > 0) {
    const refund = formatMoney(ended.refundedAmount, ended.currency);
    return `Your ${ended.planName} plan was canceled on ${date} and ${refund} was refunded to your payment method (it can take 5–10 business days to show). Choose a plan to subscribe again.`;
  }
  const how = ended.status === 'CANCELED' ? 'was canceled' : 'ended';
  return `Your ${ended.planName} plan ${how} on ${date}. Choose a plan to subscribe again.`;
}

export function describeSubscription(sub: BillingSubscription | null, now: Date, appName: string, lastEnded: EndedSubscription | null = null): StatusView {
  if (!sub) {
    return {
      label: lastEnded ? 'Ended' : 'No plan',
      tone: 'neutral',
      message: lastEnded ? endedMessage(lastEnded) : `You don't have a ${appName} plan yet. Choose one to get started.`,
      price: null,
      keyDate: null,
      hasAccess: false,
      ...NO_ACTIONS,
      canSubscribe: true,
    };
  }
  return { price: planPrice(sub), ...describeStatus(sub, now, appName) };
}

/** The plan's price as the dashboard shows it: a free plan is "Free". */
export function planPrice(sub: BillingSubscription): NonNullable<StatusView['price']> {
  if (sub.free) return { amount: 'Free', per: null };
  return { amount: formatMoney(sub.plan.priceAmount, sub.plan.currency), per: sub.plan.interval };
}

function describeStatus(sub: BillingSubscription, now: Date, appName: string): Omit<StatusView, 'price'> {
  const end = formatDate(sub.currentPeriodEnd);
  const price = formatPrice(sub.plan.priceAmount, sub.plan.currency, sub.plan.interval);
  const m = sub.manageable;

  if (sub.free && sub.status === 'ACTIVE') {
    // Nothing to cancel; a paid plan bought through checkout replaces it. One the subscriber took is open-ended
    // (its period end is a placeholder); one granted by the app's team for some days ends, and says when.
    const replace = `choose a paid plan: it replaces the free one as soon as it starts.`;
    return {
      label: 'Active',
      tone: 'success',
      message: sub.openEnded
        ? `You're on the free plan. Whenever you need more from ${appName}, ${replace}`
        : `You're on the free plan until ${end}, as arranged with the ${appName} team. Whenever you need more, ${replace}`,
      keyDate: sub.openEnded ? null : { label: 'Runs until', date: end },
      hasAccess: true,
      ...NO_ACTIONS,
      canSubscribe: true,
    };
  }

  if (!m && (sub.status === 'ACTIVE' || sub.status === 'TRIALING')) {
    return {
      label: 'Active',
      tone: 'success',
      message: `Your plan was arranged with the ${appName} team and runs until ${end}. To change or extend it, contact them.`,
      keyDate: { label: 'Runs until', date: end },
      hasAccess: true,
      ...NO_ACTIONS,
    };
  }

  switch (sub.status) {
    case 'TRIALING': {
      const trialEnd = sub.trialEnd ?? sub.currentPeriodEnd;
      const left = pluralDays(daysUntil(trialEnd, now));
      const trialEndText = formatDate(trialEnd);
      if (sub.cancelAtPeriodEnd) {
        return {
          label: 'Trial ending',
          tone: 'warning',
          message: `Your free trial ends in ${left}, on ${trialEndText}, and your plan won't continue after it. You won't be charged.`,
          keyDate: { label: 'Trial ends on', date: trialEndText },
          hasAccess: true,
          ...NO_ACTIONS,
          canResume: m,
          canUpdatePayment: m,
        };
      }
      return {
        label: 'Free trial',
        tone: 'info',
        message: `Your free trial ends in ${left}, on ${trialEndText}. After that you'll be charged ${formatMoney(sub.plan.priceAmount, sub.plan.currency)} ${intervalAdverb(sub.plan.interval)}.`,
        keyDate: { label: 'Trial ends on', date: trialEndText },
        hasAccess: true,
        ...NO_ACTIONS,
        canChangePlan: m,
        canCancel: m,
        canUpdatePayment: m,
      };
    }
    case 'ACTIVE':
      if (sub.cancelAtPeriodEnd) {
        return {
          label: 'Ending',
          tone: 'warning',
          message: `Your plan ends on ${end}. You keep full access until then, and you won't be charged again. Changed your mind? Resume your plan.`,
          keyDate: { label: 'Ends on', date: end },
          hasAccess: true,
          ...NO_ACTIONS,
          canResume: true,
          canUpdatePayment: true,
        };
      }
      return {
        label: 'Active',
        tone: 'success',
        message: `Your plan renews automatically at ${price}. You can change or cancel it at any time.`,
        keyDate: { label: 'Renews on', date: end },
        hasAccess: true,
        ...NO_ACTIONS,
        canChangePlan: true,
        canCancel: true,
        canUpdatePayment: true,
      };
    case 'PAST_DUE':
      if (sub.cancelAtPeriodEnd) {
        return {
          label: 'Payment failed',
          tone: 'danger',
          message: `Your plan ends on ${end}. We couldn't take your last payment: update your payment method and we'll retry the charge automatically. Your access continues for now. Changed your mind? Resume your plan.`,
          keyDate: { label: 'Ends on', date: end },
          hasAccess: true,
          ...NO_ACTIONS,
          canResume: m,
          canUpdatePayment: m,
        };
      }
      return {
        label: 'Payment failed',
        tone: 'danger',
        message: `We couldn't take your last payment. Update your payment method and we'll retry the charge automatically. Your access continues for now.`,
        keyDate: { label: 'Payment was due on', date: formatDate(sub.currentPeriodStart) },
        hasAccess: true,
        ...NO_ACTIONS,
        canCancel: m,
        canUpdatePayment: m,
      };
    case 'UNPAID':
      return {
        label: 'Unpaid',
        tone: 'danger',
        message: `Your plan is on hold because payments failed. Update your payment method, then pay the open invoice below to restore access.`,
        keyDate: null,
        hasAccess: false,
        ...NO_ACTIONS,
        canUpdatePayment: m,
      };
    case 'INCOMPLETE':
      return {
        label: 'Payment needed',
        tone: 'danger',
        message: `Your first payment didn't go through, so your plan hasn't started. Update your payment method to start it.`,
        keyDate: null,
        hasAccess: false,
        ...NO_ACTIONS,
        canUpdatePayment: m,
      };
    case 'PAUSED':
      return {
        label: 'Paused',
        tone: 'neutral',
        message: `Your plan is paused. You won't be charged while it's paused.`,
        keyDate: null,
        hasAccess: false,
        ...NO_ACTIONS,
        canUpdatePayment: m,
      };
    case 'CANCELED':
    case 'EXPIRED': {
      const ended = formatDate(sub.status === 'CANCELED' && sub.canceledAt && sub.canceledAt > sub.currentPeriodEnd ? sub.canceledAt : sub.currentPeriodEnd);
      return {
        label: sub.status === 'CANCELED' ? 'Canceled' : 'Expired',
        tone: 'neutral',
        message: `Your plan ended on ${ended}. Choose a plan to subscribe again.`,
        keyDate: { label: 'Ended on', date: ended },
        hasAccess: false,
        ...NO_ACTIONS,
        canSubscribe: true,
      };
    }
  }
}

/** What the cancel confirmation says: when access ends. */
/** What the page says once a cancellation went through (on the dashboard and on the plans page alike). */
export function canceledNotice(updated: BillingSubscription): string {
  return `Your plan has been canceled. You keep access until ${formatDate(updated.currentPeriodEnd)}.`;
}

export function cancelConsequence(sub: BillingSubscription): string {
  const end = formatDate(sub.status === 'TRIALING' && sub.trialEnd ? sub.trialEnd : sub.currentPeriodEnd);
  return sub.status === 'TRIALING'
    ? `Your free trial continues until ${end}, then your plan ends and you won't be charged.`
    : `You keep full access until ${end}. After that your plan ends and you won't be charged again.`;
}
