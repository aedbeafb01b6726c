/**
 * Numbers, dates, times, durations and relative times in the window's language, all through Intl: the one
 * place that decides how "1248", "09:14" or "in 3 minutes" look ("1.248", "1 248", "demain à 09:14").
 * Components never call toLocaleString themselves.
 */
import { currentLocale, t } from './index';

const DAY = 24 * 3600 * 1000;
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.ListFormat>();
function cached<F>(kind: string, options: object, make: (locale: string) => F): F {
  const key = `${kind}|${currentLocale()}|${JSON.stringify(options)}`;
  let f = cache.get(key) as F | undefined;
  if (!f) cache.set(key, (f = make(currentLocale())) as never);
  return f;
}

/** 1248 → "1,248" / "1.248" / "1 248". */
export function formatNumber(n: number, options: Intl.NumberFormatOptions = {}): string {
  return cached('n', options, (l) => new Intl.NumberFormat(l, options)).format(n);
}

/** 12.5 → "12.5 %" the local way (the argument is a percentage, not a fraction). */
export function formatPercent(pct: number): string {
  return formatNumber(pct / 100, { style: 'percent', maximumFractionDigits: 1 });
}

/** A calendar date: "3 Dec 2026", "03.12.2026". */
export function formatDate(at: number | Date): string {
  return cached('d', {}, (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium' })).format(at);
}

/** Hours and minutes: "09:14", "9:14 AM". */
export function formatTime(at: number | Date): string {
  return cached('t', {}, (l) => new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit' })).format(at);
}

/** Hours, minutes and seconds, for a chart's time axis. */
export function formatClock(at: number | Date): string {
  return cached('c', {}, (l) => new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit', second: '2-digit' })).format(at);
}

/** A date and a time: "3 Dec 2026, 09:14". */
export function formatDateTime(at: number | Date): string {
  return cached('dt', {}, (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' })).format(at);
}

/** "today 14:05", "morgen 09:14", "mar. 3 déc. à 09:14": the day in words when it is near, else the date. */
export function formatWhen(at: number, now = Date.now()): string {
  const time = formatTime(at);
  const startOf = (x: number) => new Date(new Date(x).toDateString()).getTime();
  const days = Math.round((startOf(at) - startOf(now)) / DAY);
  if (days >= -1 && days <= 1) {
    const day = cached('r', {}, (l) => new Intl.RelativeTimeFormat(l, { numeric: 'auto' })).format(days, 'day');
    return t('format.dayAtTime', { day, time });
  }
  const date = cached('wd', {}, (l) => new Intl.DateTimeFormat(l, { weekday: 'short', day: 'numeric', month: 'short' })).format(at);
  return t('format.dateAtTime', { date, time });
}

/** "3 minutes ago", "vor 3 Minuten", "dans 2 heures": the nearest whole unit. */
export function formatRelative(at: number, now = Date.now()): string {
  const rtf = cached('ra', {}, (l) => new Intl.RelativeTimeFormat(l, { numeric: 'auto' }));
  const s = (at - now) / 1000;
  const abs = Math.abs(s);
  if (abs < 60) return rtf.format(Math.round(s), 'second');
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

function unit(n: number, u: 'second' | 'minute' | 'hour'): string {
  return formatNumber(n, { style: 'unit', unit: u, unitDisplay: 'long' });
}

/** "45 seconds", "2 Minuten", "1 heure et 5 minutes": rounded to what a person needs to plan. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return unit(Math.max(1, Math.round(seconds)), 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (!rest) return unit(hours, 'hour');
  return cached('l', {}, (l) => new Intl.ListFormat(l, { type: 'unit', style: 'long' })).format([unit(hours, 'hour'), unit(rest, 'minute')]);
}

/** "10 a second", "12 pro Minute": a sending rate in the largest unit that gives at least one. */
export function formatRate(perSecond: number): string {
  const n = (x: number) => formatNumber(x, { maximumFractionDigits: 1 });
  if (perSecond >= 1) return t('format.perSecond', { n: n(perSecond) });
  if (perSecond * 60 >= 1) return t('format.perMinute', { n: n(perSecond * 60) });
  return t('format.perHour', { n: n(perSecond * 3600) });
}

/** A file's size: "512 bytes", "12 KB", "1.3 MB" ("1,3 Mo" in French). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return t('format.bytes', { count: bytes });
  if (bytes < 1024 ** 2) return t('format.kb', { size: formatNumber(bytes / 1024, { maximumFractionDigits: 0 }) });
  return t('format.mb', { size: formatNumber(bytes / 1024 ** 2, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
}

/** "a, b and c" the local way ("a, b und c", "a, b et c"). */
export function formatList(items: string[]): string {
  return cached('la', {}, (l) => new Intl.ListFormat(l, { type: 'conjunction' })).format(items);
}
