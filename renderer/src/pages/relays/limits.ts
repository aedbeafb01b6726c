import type { RelayLimits, RelayQuota } from '../../../../shared/contract/relays';

/** "500 a day · 3 connections" */
export function describeLimits(l: RelayLimits): string {
  const parts = [
    l.perSecond && `${l.perSecond.toLocaleString()} a second`,
    l.perMinute && `${l.perMinute.toLocaleString()} a minute`,
    l.perHour && `${l.perHour.toLocaleString()} an hour`,
    l.perDay && `${l.perDay.toLocaleString()} a day`,
  ].filter(Boolean);
  return `${parts.length ? parts.join(', ') : 'no rate limit'} · ${l.connections} connection${l.connections === 1 ? '' : 's'}`;
}

/** "420 of 500 left today", or "no daily limit". */
export function describeQuota(q: RelayQuota): string {
  if (q.dailyLimit === null) return `${q.usedToday.toLocaleString()} sent in the last 24 hours, no daily limit`;
  const left = Math.max(0, q.dailyLimit - q.usedToday);
  if (left === 0 && q.nextFreeAt) return `daily limit reached, more from ${new Date(q.nextFreeAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
  return `${left.toLocaleString()} of ${q.dailyLimit.toLocaleString()} left today`;
}
