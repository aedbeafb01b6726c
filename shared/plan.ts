/**
 * The arithmetic of a send, in words a person reads before pressing the button: how long at the relay's limits,
 * how many go today under the daily quota and when the rest goes. Pure functions, so they are easy to check.
 * The one place for quota wording and durations: the core's review (electron/core/outbox/review.ts) plans with
 * it, and the window words the plan and a campaign's progress with it.
 */
import type { RelayLimits, RelayQuota } from './contract/relays';

export interface SendPlan {
  /** Messages per second the relay's limits allow (the tightest of them), or null when it sets none. */
  rate: number | null;
  /** How many go before the daily quota stops them (all of them without a quota). */
  today: number;
  /** How many wait for quota to free up. */
  later: number;
  /** When the quota lets the first of `later` go (ms since epoch), or null. */
  laterFrom: number | null;
  /** Extra days needed beyond the first for `later` (1 = tomorrow). */
  extraDays: number;
  /** Seconds to send `today` at `rate` (null when the rate is unknown). */
  todaySeconds: number | null;
}

/** A plan laid out by calendar day (the local day of the machine running the core), and when the last one goes. */
export interface DailyPlan {
  perDay: Array<{ date: string; messages: number }>;
  /** When the last message is expected to go (ms since epoch); null when nothing goes or the relay sets no rate. */
  finishesAt: number | null;
}

export const DAY = 24 * 3600 * 1000;

export function tightestRate(limits: RelayLimits): number | null {
  const rates = [limits.perSecond, limits.perMinute && limits.perMinute / 60, limits.perHour && limits.perHour / 3600].filter((r): r is number => typeof r === 'number' && r > 0);
  return rates.length ? Math.min(...rates) : null;
}

export function planSend(count: number, limits: RelayLimits, quota: RelayQuota, now: number): SendPlan {
  const rate = tightestRate(limits);
  const daily = quota.dailyLimit ?? limits.perDay;
  const left = daily === null ? Infinity : Math.max(0, daily - quota.usedToday);
  const today = Math.min(count, left);
  const later = count - today;
  // The quota is a rolling 24 hours: slots free up a day after they were used. When the relay is already at its
  // limit the core knows the first free slot; otherwise the messages sent now free theirs a day from now.
  const laterFrom = later > 0 ? (left === 0 && quota.nextFreeAt ? quota.nextFreeAt : now + DAY) : null;
  const extraDays = later > 0 && daily ? Math.ceil(later / daily) : 0;
  return { rate, today, later, laterFrom, extraDays, todaySeconds: rate ? today / rate : null };
}

/** `YYYY-MM-DD` of a time, in the local time zone. */
export function localDate(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The plan by day: `today` on the day sending starts, then a daily quota's worth a day from `laterFrom`.
 * `daily` is the relay's daily limit (null: none).
 */
export function planByDay(plan: SendPlan, start: number, daily: number | null): DailyPlan {
  const perDay: DailyPlan['perDay'] = [];
  const add = (at: number, messages: number) => {
    const date = localDate(at);
    const last = perDay.at(-1);
    if (last?.date === date) last.messages += messages;
    else perDay.push({ date, messages });
  };
  let finishesAt: number | null = null;
  if (plan.today > 0) {
    add(start, plan.today);
    finishesAt = plan.todaySeconds === null ? null : start + Math.round(plan.todaySeconds * 1000);
  }
  if (plan.later > 0 && plan.laterFrom !== null) {
    const perDayLimit = Math.max(1, daily ?? plan.later);
    let left = plan.later;
    let at = plan.laterFrom;
    for (;;) {
      const n = Math.min(left, perDayLimit);
      add(at, n);
      left -= n;
      if (left === 0) {
        finishesAt = plan.rate ? at + Math.round((n / plan.rate) * 1000) : null;
        break;
      }
      at += DAY;
    }
  }
  return { perDay, finishesAt };
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} second${Math.round(seconds) === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} hour${hours === 1 ? '' : 's'}${rest ? ` ${rest} minute${rest === 1 ? '' : 's'}` : ''}`;
}

/** "today 14:05", "tomorrow 09:14", "Tue 3 Dec 09:14". */
export function formatWhen(at: number, now = Date.now()): string {
  const d = new Date(at);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const startOf = (t: number) => new Date(new Date(t).toDateString()).getTime();
  const days = Math.round((startOf(at) - startOf(now)) / DAY);
  if (days === 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  return `${d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1) return `${perSecond.toLocaleString(undefined, { maximumFractionDigits: 1 })} a second`;
  if (perSecond * 60 >= 1) return `${(perSecond * 60).toLocaleString(undefined, { maximumFractionDigits: 1 })} a minute`;
  return `${(perSecond * 3600).toLocaleString(undefined, { maximumFractionDigits: 1 })} an hour`;
}

/** The sentence under the estimate: "About 2 minutes at 10 a second." / "… 748 go tomorrow from 09:14." */
export function describePlan(plan: SendPlan, now = Date.now()): string {
  const parts: string[] = [];
  if (plan.today > 0) {
    parts.push(
      plan.todaySeconds === null
        ? `${plan.today.toLocaleString()} go as fast as the relay accepts them (it sets no rate limit).`
        : `${plan.later > 0 ? `${plan.today.toLocaleString()} go now, ` : ''}about ${formatDuration(plan.todaySeconds)} at ${formatRate(plan.rate!)}.`,
    );
  } else if (plan.later > 0) {
    parts.push("Today's quota is used up.");
  }
  if (plan.later > 0 && plan.laterFrom !== null) {
    parts.push(
      `${plan.later.toLocaleString()} ${plan.later === 1 ? 'goes' : 'go'} ${formatWhen(plan.laterFrom, now)} onwards when the daily quota frees up${plan.extraDays > 1 ? `, over about ${plan.extraDays} days` : ''}.`,
    );
  }
  return parts.join(' ');
}

/** "1 person" / "1,248 people". */
export function people(n: number): string {
  return `${n.toLocaleString()} ${n === 1 ? 'person' : 'people'}`;
}
