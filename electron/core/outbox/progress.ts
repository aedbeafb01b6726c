/**
 * How far a campaign has got: counts per state, the current rate, and an ETA that is honest about the relays'
 * daily quotas ("1,200 of 5,000 today; the rest from tomorrow 09:14"). Also the throttle that keeps
 * `campaign:progress` events to at most 10 a second.
 */
import type { Db } from '../store/db';
import type { CampaignStatus, Eta, StateCounts } from '../../../shared/contract/sending';
import { countsOf, pauseNoteOf, type CampaignRow } from './campaigns';
import { feedbackCounts } from '../mailbox/store';

/** The quota picture of the campaign's relay today, when it has a daily limit. */
export interface DailyQuota {
  dailyLimit: number;
  leftToday: number;
  /** When the quota makes room again (ms since epoch). */
  resetsAt: number;
}

const RATE_WINDOW_MS = 20_000;

/** Messages accepted per second over the last 20 seconds (0 when fewer than two). */
export function rateOf(db: Db, campaignId: number, now: number): number {
  const r = db
    .prepare(`SELECT count(*) AS n, min(sent_at) AS first FROM outbox WHERE campaign_id = ? AND sent_at >= ? AND sent_at IS NOT NULL`)
    .get(campaignId, now - RATE_WINDOW_MS) as { n: number; first: number | null };
  if (r.n < 2 || r.first === null) return 0;
  const span = Math.max(1000, now - r.first);
  return Math.round((r.n / (span / 1000)) * 100) / 100;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function clockTime(t: number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function dayWord(t: number, now: number): string {
  const day = (x: number) => {
    const d = new Date(x);
    return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  };
  const days = Math.round((day(t) - day(now)) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'tomorrow';
  return new Date(t).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
}

/** The ETA of what is left, given the rate and (when the relay has one) its daily quota. */
export function etaOf(state: CampaignRow['state'], counts: StateCounts, rate: number, now: number, quota: DailyQuota | null): Eta {
  const left = counts.queued + counts.deferred + counts.sending;
  const base = { dailyLimit: quota?.dailyLimit ?? null, leftToday: quota?.leftToday ?? null };
  if (left === 0) return { ...base, finishAt: null, resumesAt: null, message: counts.total ? 'Nothing left to send.' : 'Not started.' };
  if (state === 'paused' || state === 'cancelled' || state === 'draft') return { ...base, finishAt: null, resumesAt: null, message: `${fmt(left)} left to send.` };
  if (quota && quota.leftToday < left) {
    const rest = left - quota.leftToday;
    const moreDays = Math.ceil(rest / Math.max(1, quota.dailyLimit)) - 1;
    const finishAt = quota.resetsAt + moreDays * 86_400_000;
    const message =
      `${fmt(quota.leftToday)} of ${fmt(left)} today; the rest from ${dayWord(quota.resetsAt, now)} ${clockTime(quota.resetsAt)}` +
      (moreDays > 0 ? ` (over ${moreDays + 1} days: the relay allows ${fmt(quota.dailyLimit)} a day).` : '.');
    return { ...base, finishAt, resumesAt: quota.resetsAt, message };
  }
  if (rate <= 0) return { ...base, finishAt: null, resumesAt: null, message: `${fmt(left)} left to send.` };
  const finishAt = now + Math.round((left / rate) * 1000);
  const mins = Math.round((finishAt - now) / 60_000);
  const when = mins < 1 ? 'in less than a minute' : mins < 90 ? `in about ${mins} minute${mins === 1 ? '' : 's'}` : `at about ${clockTime(finishAt)} ${dayWord(finishAt, now)}`;
  return { ...base, finishAt, resumesAt: null, message: `${fmt(left)} left; done ${when}.` };
}

export function statusOf(db: Db, c: CampaignRow, now: number, quota: DailyQuota | null): CampaignStatus {
  const counts = countsOf(db, c.id);
  const rate = c.state === 'sending' ? rateOf(db, c.id, now) : 0;
  return {
    campaign: c.name,
    id: c.id,
    state: c.state,
    ...counts,
    ...feedbackCounts(db, c.id),
    pauseReason: c.pause_reason,
    pauseCode: c.pause_code,
    ...pauseNoteOf(c),
    scheduledAt: c.scheduled_at,
    rate,
    eta: etaOf(c.state, counts, rate, now, quota),
  };
}

/**
 * Calls `emit` at most once per `intervalMs` (100 ms: 10 a second) while something changed, and at once when
 * `flush` is called (a state change). Counting a big campaign's rows costs time on the engine's thread, so the
 * interval grows to keep that under 5 % of it. Timers are unref'd so they never keep a process alive.
 */
export class ProgressThrottle {
  private last = 0;
  private timer: NodeJS.Timeout | null = null;
  private intervalMs: number;
  constructor(
    private readonly emitNow: () => void,
    private readonly minIntervalMs = 100,
  ) {
    this.intervalMs = minIntervalMs;
  }

  private emit(): void {
    const t0 = performance.now();
    this.emitNow();
    this.intervalMs = Math.max(this.minIntervalMs, Math.min(2000, (performance.now() - t0) * 20));
  }

  changed(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.last + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.last = Date.now();
      this.emit();
    }, wait);
    this.timer.unref?.();
  }

  /** Emits now (or as soon as the 10-a-second limit allows): something that matters happened (a state change). */
  flush(): void {
    if (Date.now() - this.last < this.intervalMs) return this.changed();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.last = Date.now();
    this.emit();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
