/**
 * A send's plan in words a person reads before pressing the button, in the window's language: how long at the
 * relay's limits, how many go today under the daily quota and when the rest goes.
 */
import type { Eta } from '../../../../shared/contract/sending';
import { t } from '../../i18n';
import { formatDuration, formatRate, formatWhen } from '../../i18n/format';

// The arithmetic is the core's (shared/plan.ts, which the review plans with); this module words it in the window's
// language.
import { DAY, planSend, tightestRate, type SendPlan } from '../../../../shared/plan';
export { planSend, tightestRate, type SendPlan };


// How durations, times and rates read lives with the other formatters (in the window's language).
export { formatDuration, formatWhen, formatRate };

/** The sentence under the estimate: "About 2 minutes at 10 a second." / "… 748 go tomorrow from 09:14." */
export function describePlan(plan: SendPlan, now = Date.now()): string {
  const parts: string[] = [];
  if (plan.today > 0) {
    parts.push(
      plan.todaySeconds === null
        ? t('plan.noRate', { count: plan.today })
        : plan.later > 0 ? t('plan.nowAbout', { count: plan.today, duration: formatDuration(plan.todaySeconds), rate: formatRate(plan.rate!) }) : t('plan.about', { duration: formatDuration(plan.todaySeconds), rate: formatRate(plan.rate!) }),
    );
  } else if (plan.later > 0) {
    parts.push(t('plan.quotaUsedUp'));
  }
  if (plan.later > 0 && plan.laterFrom !== null) {
    parts.push(
      plan.extraDays > 1 ? t('plan.laterDays', { count: plan.later, when: formatWhen(plan.laterFrom, now), days: plan.extraDays }) : t('plan.later', { count: plan.later, when: formatWhen(plan.laterFrom, now) }),
    );
  }
  return parts.join(' ');
}

/** "1 person" / "1,248 people". */
export function people(n: number): string {
  return t('plan.people', { count: n });
}

/**
 * The core's ETA in the window's words, from its numbers (the core decides when; this only says it): how many
 * are left and when they will have gone, or when the daily quota lets the rest go.
 */
export function describeEta(s: { eta: Eta; total: number; queued: number; sending: number; deferred: number }, now = Date.now()): string {
  const left = s.queued + s.sending + s.deferred;
  const { eta } = s;
  if (left === 0) return s.total ? t('eta.nothingLeft') : t('eta.notStarted');
  if (eta.resumesAt !== null && eta.leftToday !== null) {
    const days = eta.finishAt !== null ? Math.round((eta.finishAt - eta.resumesAt) / DAY) + 1 : 1;
    return days > 1 && eta.dailyLimit !== null
      ? t('eta.quotaDays', { today: eta.leftToday, left, when: formatWhen(eta.resumesAt, now), days, limit: eta.dailyLimit })
      : t('eta.quota', { today: eta.leftToday, left, when: formatWhen(eta.resumesAt, now) });
  }
  if (eta.finishAt === null) return t('eta.left', { count: left });
  const mins = Math.round((eta.finishAt - now) / 60_000);
  return mins < 1 ? t('eta.doneSoon', { count: left }) : t('eta.doneIn', { count: left, duration: formatDuration(mins * 60) });
}
