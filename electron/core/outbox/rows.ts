/**
 * Reading the outbox for people: a campaign's rows a page at a time, one recipient's row and its attempts, the
 * recipient as the campaign fixed it. (Rows are moved only by state.ts.)
 */
import type { Db } from '../store/db';
import type { Attempt, OutboxRow, RowState } from '../../../shared/contract/sending';
import { emailKey } from '../store/suppressions';
import { readNote } from '../notes';

type RowRecord = {
  id: number;
  email: string;
  name: string | null;
  state: OutboxRow['state'];
  attempts: number;
  next_attempt_at: number;
  last_response: string | null;
  last_note: string | null;
  sent_at: number | null;
  message_id: string;
  possible_duplicate: number;
};

const COLUMNS = 'id, email, name, state, attempts, next_attempt_at, last_response, last_note, sent_at, message_id, possible_duplicate';

function toRow(r: RowRecord): OutboxRow {
  const lastNote = readNote(r.last_note);
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.state === 'deferred' ? r.next_attempt_at : null,
    lastResponse: r.last_response,
    ...(lastNote ? { lastNote } : {}),
    sentAt: r.sent_at,
    messageId: r.message_id,
    possibleDuplicate: r.possible_duplicate === 1,
  };
}

/** A page of a campaign's rows, optionally of one state or matching a search in the address or the name. */
export function outboxPage(db: Db, campaignId: number, opts: { state?: RowState; search?: string; offset: number; limit: number }): { total: number; rows: OutboxRow[] } {
  const where = ['campaign_id = @c'];
  if (opts.state) where.push('state = @state');
  const s = opts.search?.trim().toLowerCase();
  if (s) where.push(`(instr(email_key, @s) > 0 OR instr(lower(coalesce(name, '')), @s) > 0)`);
  const params = { c: campaignId, state: opts.state ?? null, s: s ?? null };
  const clause = where.join(' AND ');
  const bind = Object.fromEntries(Object.entries(params).filter(([k]) => clause.includes(`@${k}`)));
  const total = (db.prepare(`SELECT count(*) AS n FROM outbox WHERE ${clause}`).get(bind) as { n: number }).n;
  const rows = db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE ${clause} ORDER BY id LIMIT @limit OFFSET @offset`).all({ ...bind, limit: opts.limit, offset: opts.offset }) as RowRecord[];
  return { total, rows: rows.map(toRow) };
}

/** One recipient's row in a campaign (by address, as the outbox keys it), with every attempt; null when absent. */
export function outboxRowWithAttempts(db: Db, campaignId: number, email: string): { row: OutboxRow; attempts: Attempt[] } | null {
  const r = db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE campaign_id = ? AND email_key = ?`).get(campaignId, emailKey(email)) as RowRecord | undefined;
  if (!r) return null;
  const attempts = (
    db
      .prepare(
        `SELECT a.at, r.name AS relay, a.outcome, a.response, a.note FROM outbox_attempts a LEFT JOIN relays r ON r.id = a.relay_id
          WHERE a.outbox_id = ? ORDER BY a.at, a.id`,
      )
      .all(r.id) as Array<Omit<Attempt, 'note'> & { note: string | null }>
  ).map(({ note, ...a }): Attempt => {
    const n = readNote(note);
    return n ? { ...a, note: n } : a;
  });
  return { row: toRow(r), attempts };
}

/** A recipient as the campaign fixed it when it started (what will really go, with its Message-ID); null if not. */
export function snapshotRecipient(db: Db, campaignId: number, email: string): { email: string; name: string | null; fields: Record<string, string>; messageId: string } | null {
  const r = db.prepare(`SELECT email, name, fields, message_id FROM outbox WHERE campaign_id = ? AND email_key = ?`).get(campaignId, emailKey(email)) as
    | { email: string; name: string | null; fields: string; message_id: string }
    | undefined;
  return r ? { email: r.email, name: r.name, fields: JSON.parse(r.fields) as Record<string, string>, messageId: r.message_id } : null;
}
