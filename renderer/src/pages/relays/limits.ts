import type { RelayLimits, RelayQuota } from '../../../../shared/contract/relays';
import { t } from '../../i18n';
import { formatTime } from '../../i18n/format';

/** "500 a day · 3 connections" */
export function describeLimits(l: RelayLimits): string {
  const parts = [
    l.perSecond && t('limits.perSecond', { n: l.perSecond }),
    l.perMinute && t('limits.perMinute', { n: l.perMinute }),
    l.perHour && t('limits.perHour', { n: l.perHour }),
    l.perDay && t('limits.perDay', { n: l.perDay }),
  ].filter((p): p is string => !!p);
  return `${parts.length ? parts.join(', ') : t('limits.noRate')} · ${t('limits.connections', { count: l.connections })}`;
}

/** "420 of 500 left today", or "no daily limit". */
export function describeQuota(q: RelayQuota): string {
  if (q.dailyLimit === null) return t('limits.noDaily', { n: q.usedToday });
  const left = Math.max(0, q.dailyLimit - q.usedToday);
  if (left === 0 && q.nextFreeAt) return t('limits.reached', { time: formatTime(q.nextFreeAt) });
  return t('limits.leftToday', { left, limit: q.dailyLimit });
}
