/**
 * What a recognised message does: it is matched to the message Postroom sent (by the returned Message-ID, the
 * unsubscribe token, or the address in a recent campaign), then a hard bounce, a complaint or an unsubscribe
 * suppresses the address (with the reason, the campaign and the server's words), soft bounces are counted (three
 * in a row over at least a week suppress), and a campaign whose hard bounces pass its threshold pauses.
 */
import type { Db } from '../store/db';
import { emailKey } from '../../../shared/email-address';
import { addSuppressions } from '../store/suppressions';
import { lastSentTo, recentSentTo, sentByMessageId, sentByToken, sentCount, type SentMessage } from '../outbox/lookup';
import { engineTransition, findCampaign } from '../outbox/campaigns';
import type { Classification, RecognisedKind, ReportedRecipient } from './classify';
import { hardBounced, softBounceAt, type ReadMessage } from './store';
import { feedbackNote } from './notes';
import { outboxNote } from '../outbox/notes';

const DAY = 86_400_000;
/** A report that names only an address is matched to a message sent to it within this time. */
export const RECENT_MS = 30 * DAY;
/** Soft bounces suppress after this many in a row ... */
export const SOFT_STREAK = 3;
/** ... spread over at least this long (a mailbox full for a day is not a dead address). */
export const SOFT_SPAN_MS = 7 * DAY;
/** A campaign's bounce rate is judged once this many of its messages have gone. */
export const BOUNCE_RATE_FROM = 50;

/** The feedback rows a classified message gives: one per message of ours it refers to. Empty: it refers to nothing we sent. */
export function matchFeedback(db: Db, c: Classification, now: number): ReadMessage['feedback'] {
  if (c.kind === 'unrecognised') return [];
  const out: ReadMessage['feedback'] = [];
  const add = (s: SentMessage, r: ReportedRecipient | undefined, kind: RecognisedKind) => {
    if (out.some((f) => f.outboxId === s.outboxId)) return;
    out.push({ outboxId: s.outboxId, campaignId: s.campaignId, email: s.email, emailKey: s.emailKey, kind, status: r?.status ?? null, detail: r?.detail ?? null, note: r?.note ?? null });
  };
  const keyOf = (e: string | null) => {
    if (!e) return null;
    try {
      return emailKey(e);
    } catch {
      return null;
    }
  };
  // Postroom sends each message to one recipient, so the returned Message-ID names the recipient too.
  for (const id of c.originalMessageIds) {
    const s = sentByMessageId(db, id);
    if (!s) continue;
    const r = c.recipients.find((x) => keyOf(x.email) === s.emailKey) ?? c.recipients[0];
    add(s, r, r?.kind ?? (c.kind as RecognisedKind));
  }
  if (!out.length && c.token) {
    const s = sentByToken(db, c.token);
    if (s) add(s, c.recipients[0], c.kind as RecognisedKind);
  }
  if (!out.length) {
    for (const r of c.recipients) {
      const key = keyOf(r.email);
      const s = key ? recentSentTo(db, key, now - RECENT_MS) : null;
      if (s) add(s, r, r.kind);
    }
  }
  return out;
}

const REASON = { hard: 'hard-bounce', complaint: 'complaint', unsubscribe: 'unsubscribe' } as const;

/**
 * The suppressions one new message brings, applied inside the caller's transaction. Returns how many addresses
 * were newly suppressed.
 */
export function applyEffects(db: Db, m: ReadMessage, now: number): number {
  let added = 0;
  for (const f of m.feedback) {
    const campaign = f.campaignId === null ? null : (findCampaignName(db, f.campaignId) ?? null);
    if (f.kind === 'hard' || f.kind === 'complaint' || f.kind === 'unsubscribe') {
      added += addSuppressions(db, [{ email: f.email, key: f.emailKey }], null, now, { kind: REASON[f.kind], campaign, detail: f.detail, detailNote: f.note ?? null }).added;
    } else if (f.kind === 'soft') {
      const streak = lastSentTo(db, f.emailKey, SOFT_STREAK);
      const soft = softBounceAt(
        db,
        streak.map((s) => s.outboxId),
      );
      if (streak.length === SOFT_STREAK && soft.size === SOFT_STREAK) {
        const times = [...soft.values()];
        const span = Math.max(...times) - Math.min(...times);
        if (span >= SOFT_SPAN_MS) {
          const streak = { count: SOFT_STREAK, days: Math.round(span / DAY) };
          const detail = f.detail ? feedbackNote('SUPPRESSED_SOFT_STREAK_LAST', { ...streak, last: f.detail }) : feedbackNote('SUPPRESSED_SOFT_STREAK', streak);
          added += addSuppressions(db, [{ email: f.email, key: f.emailKey }], null, now, { kind: 'hard-bounce', campaign, detail: detail.text, detailNote: detail.note }).added;
        }
      }
    }
  }
  return added;
}

function findCampaignName(db: Db, id: number): string | null {
  try {
    return findCampaign(db, id).name;
  } catch {
    return null;
  }
}

/**
 * Pauses a sending campaign whose hard bounces reached its threshold (default 5 % of what it sent, judged from
 * 50 sent). Returns the campaign's name when it paused it.
 */
export function pauseIfBouncing(db: Db, campaignId: number, now: number): string | null {
  let c;
  try {
    c = findCampaign(db, campaignId);
  } catch {
    return null;
  }
  if (c.state !== 'sending' && c.state !== 'waiting') return null;
  const sent = sentCount(db, campaignId);
  if (sent < BOUNCE_RATE_FROM) return null;
  const bounced = hardBounced(db, campaignId);
  const percent = (bounced / sent) * 100;
  if (bounced === 0 || percent < c.bounce_pause_percent) return null;
  const reason = outboxNote('PAUSED_BOUNCE_RATE', { percent: Math.round(percent), bounced, sent });
  return engineTransition(db, campaignId, 'problem', now, { ...reason, code: 'BOUNCE_RATE' }) ? c.name : null;
}
