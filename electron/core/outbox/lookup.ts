/**
 * Finding a message Postroom sent from what comes back about it (a bounce, a complaint, an unsubscribe request):
 * by its Message-ID, by the token in an unsubscribe address (shared/unsubscribe.ts), or by the address it went
 * to in a recent campaign. Read-only; the outbox's own SQL stays in the outbox folder.
 */
import type { Db } from '../store/db';

/** A message that went, as a report is matched to it. */
export interface SentMessage {
  outboxId: number;
  campaignId: number;
  campaign: string;
  email: string;
  emailKey: string;
  sentAt: number | null;
}

const COLUMNS = `o.id AS outboxId, o.campaign_id AS campaignId, c.name AS campaign, o.email, o.email_key AS emailKey, o.sent_at AS sentAt`;

/** The message with this Message-ID (`<id@domain>`), if Postroom sent it. */
export function sentByMessageId(db: Db, messageId: string): SentMessage | null {
  return (
    (db.prepare(`SELECT ${COLUMNS} FROM outbox o JOIN campaigns c ON c.id = o.campaign_id WHERE o.message_id = ? AND o.first_attempt_at IS NOT NULL`).get(messageId.trim()) as
      | SentMessage
      | undefined) ?? null
  );
}

/** The message whose Message-ID starts `<token@` (the token an unsubscribe mailto carries). */
export function sentByToken(db: Db, token: string): SentMessage | null {
  const lo = `<${token}@`;
  const hi = `<${token}A`; // '@' (0x40) + 1: the range holds exactly the ids starting `<token@`, on the index
  return (
    (db.prepare(`SELECT ${COLUMNS} FROM outbox o JOIN campaigns c ON c.id = o.campaign_id WHERE o.message_id >= ? AND o.message_id < ? AND o.first_attempt_at IS NOT NULL LIMIT 1`).get(lo, hi) as
      | SentMessage
      | undefined) ?? null
  );
}

/** The latest message sent to this address (by key) since `since`, in any campaign. */
export function recentSentTo(db: Db, emailKey: string, since: number): SentMessage | null {
  return (
    (db
      .prepare(`SELECT ${COLUMNS} FROM outbox o JOIN campaigns c ON c.id = o.campaign_id WHERE o.email_key = ? AND o.sent_at >= ? ORDER BY o.sent_at DESC LIMIT 1`)
      .get(emailKey, since) as SentMessage | undefined) ?? null
  );
}

/** The last `n` messages sent to this address (newest first), for soft-bounce streaks. */
export function lastSentTo(db: Db, emailKey: string, n: number): Array<{ outboxId: number; sentAt: number }> {
  return db
    .prepare(`SELECT id AS outboxId, sent_at AS sentAt FROM outbox WHERE email_key = ? AND sent_at IS NOT NULL ORDER BY sent_at DESC LIMIT ?`)
    .all(emailKey, n) as Array<{ outboxId: number; sentAt: number }>;
}

/** How many of the campaign's messages have gone (for the bounce rate). */
export function sentCount(db: Db, campaignId: number): number {
  return db.prepare(`SELECT count(*) FROM outbox WHERE campaign_id = ? AND sent_at IS NOT NULL`).pluck().get(campaignId) as number;
}
