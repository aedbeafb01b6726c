/**
 * The mailbox tables (migration 009): the accounts, every message read from them, and what came back about each
 * message Postroom sent. The only module that writes SQL for `mailboxes`, `mailbox_messages`, `mailbox_feedback`.
 */
import type { CoreContext } from '../context';
import type { Db } from '../store/db';
import { PostroomError } from '../../../shared/errors';
import type { MailboxCreate, MailboxSummary } from '../../../shared/contract/mailboxes';
import type { FeedbackCounts } from '../../../shared/contract/sending';
import type { MessageKind, RecognisedKind } from './classify';
import { noteJson, readNote, type CoreNote } from '../notes';

export interface MailboxRecord {
  id: number;
  name: string;
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  acceptSelfSigned: boolean;
  user: string;
  auth: 'password' | 'oauth2';
  secretEnv: string | null;
  hasSealed: boolean;
  oauthRelay: string | null;
  relay: string | null;
  folder: string;
  processedFolder: string;
  uidValidity: number | null;
  lastUid: number;
  lastCheckedAt: number | null;
  lastError: string | null;
  /** `lastError` by code (JSON, migration 011), when the error had one. */
  lastErrorNote: string | null;
}

const SELECT = `SELECT m.id, m.name, m.host, m.port, m.security, m.accept_self_signed AS acceptSelfSigned, m.user, m.auth,
  m.secret_env AS secretEnv, m.secret_sealed IS NOT NULL AS hasSealed, o.name AS oauthRelay, r.name AS relay, m.folder,
  m.processed_folder AS processedFolder, m.uid_validity AS uidValidity, m.last_uid AS lastUid, m.last_checked_at AS lastCheckedAt,
  m.last_error AS lastError, m.last_error_note AS lastErrorNote
  FROM mailboxes m LEFT JOIN relays o ON o.id = m.oauth_relay_id LEFT JOIN relays r ON r.id = m.relay_id`;

type Raw = Omit<MailboxRecord, 'acceptSelfSigned' | 'hasSealed'> & { acceptSelfSigned: number; hasSealed: number };
const toRecord = (r: Raw): MailboxRecord => ({ ...r, acceptSelfSigned: r.acceptSelfSigned === 1, hasSealed: r.hasSealed === 1 });

export function listMailboxes(db: Db): MailboxRecord[] {
  return (db.prepare(`${SELECT} ORDER BY m.name`).all() as Raw[]).map(toRecord);
}

export function getMailbox(db: Db, ref: number | string): MailboxRecord {
  const r = (typeof ref === 'number' ? db.prepare(`${SELECT} WHERE m.id = ?`).get(ref) : db.prepare(`${SELECT} WHERE m.name = ? COLLATE NOCASE`).get(ref.trim())) as Raw | undefined;
  if (!r) throw new PostroomError('NOT_FOUND', `There is no mailbox named "${String(ref)}". Add it first (Relays → Mailbox).`);
  return toRecord(r);
}

function relayId(db: Db, name: string | undefined, what: string): number | null {
  if (!name) return null;
  const id = db.prepare(`SELECT id FROM relays WHERE name = ? COLLATE NOCASE`).pluck().get(name.trim()) as number | undefined;
  if (id === undefined) throw new PostroomError('NOT_FOUND', `There is no relay named "${name}" (${what}). Check the name in Relays.`);
  return id;
}

/** RFC 8314 §3.3: 993 for implicit TLS; 143 for IMAP with STARTTLS (or none). */
export function defaultImapPort(security: MailboxRecord['security']): number {
  return security === 'tls' ? 993 : 143;
}

/** The account as resolved from a create request (a draft for testing, or what is stored). */
export function draftMailbox(db: Db, input: MailboxCreate): MailboxRecord {
  const ways = [input.password, input.passwordEnv, input.oauthFrom].filter((v) => v !== undefined).length;
  if (ways !== 1) {
    throw new PostroomError('INVALID_INPUT', 'Say how Postroom logs in to the mailbox: a password, an environment variable that holds it, or the sign-in of a relay (one of them).');
  }
  const security = input.security ?? 'tls';
  const folder = input.folder ?? 'INBOX';
  const processedFolder = input.processedFolder ?? 'Postroom/Processed';
  if (processedFolder.replace(/\/+$/, '').toLowerCase() === folder.replace(/\/+$/, '').toLowerCase()) {
    throw new PostroomError('INVALID_INPUT', `The processed folder can't be the folder Postroom reads ("${folder}"): what it recognised would come back to be read again. Choose another, such as Postroom/Processed.`);
  }
  const oauthRelay = input.oauthFrom ? (relayId(db, input.oauthFrom, 'its sign-in'), input.oauthFrom.trim()) : null;
  // Only an account that signs in (OAuth2) has a sign-in to lend its mailbox.
  if (oauthRelay && db.prepare(`SELECT auth FROM relays WHERE name = ? COLLATE NOCASE`).pluck().get(oauthRelay) !== 'oauth2') {
    throw new PostroomError('INVALID_INPUT', `The relay "${oauthRelay}" logs in with a password, not a sign-in, so the mailbox can't use its sign-in. Give the mailbox its own password instead.`);
  }
  return {
    id: 0,
    name: input.name.trim(),
    host: input.host.trim(),
    port: input.port ?? defaultImapPort(security),
    security,
    acceptSelfSigned: input.acceptSelfSigned ?? false,
    user: input.user.trim(),
    auth: input.oauthFrom ? 'oauth2' : 'password',
    secretEnv: input.passwordEnv ?? null,
    hasSealed: input.password !== undefined,
    oauthRelay,
    relay: input.relay ? (relayId(db, input.relay, 'its mail comes back here'), input.relay.trim()) : null,
    folder,
    processedFolder,
    uidValidity: null,
    lastUid: 0,
    lastCheckedAt: null,
    lastError: null,
    lastErrorNote: null,
  };
}

export function createMailbox(ctx: CoreContext, input: MailboxCreate): MailboxRecord {
  const d = draftMailbox(ctx.db, input);
  if (input.password !== undefined && !ctx.secrets.available()) {
    throw new PostroomError(
      'UNSUPPORTED',
      "This computer offers no safe place (keychain) for Postroom to keep a password, and Postroom never stores one in plain text. Unlock or set up the system keyring, or read the password from an environment variable.",
    );
  }
  const sealed = input.password !== undefined ? ctx.secrets.encrypt(input.password) : null;
  const now = ctx.clock.now();
  try {
    const id = ctx.db
      .prepare(
        `INSERT INTO mailboxes (name, host, port, security, accept_self_signed, user, auth, secret_sealed, secret_env, oauth_relay_id, relay_id,
                                folder, processed_folder, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        d.name,
        d.host,
        d.port,
        d.security,
        d.acceptSelfSigned ? 1 : 0,
        d.user,
        d.auth,
        sealed,
        d.secretEnv,
        d.oauthRelay ? relayId(ctx.db, d.oauthRelay, 'its sign-in') : null,
        d.relay ? relayId(ctx.db, d.relay, 'its mail comes back here') : null,
        d.folder,
        d.processedFolder,
        now,
        now,
      ).lastInsertRowid;
    return getMailbox(ctx.db, Number(id));
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new PostroomError('ALREADY_EXISTS', `A mailbox named "${d.name}" already exists. Choose another name.`);
    throw err;
  }
}

export function removeMailbox(db: Db, ref: number | string): MailboxRecord {
  const m = getMailbox(db, ref);
  db.prepare(`DELETE FROM mailboxes WHERE id = ?`).run(m.id);
  return m;
}

/** The sealed password of a stored mailbox, or null. */
export function sealedSecret(db: Db, id: number): Buffer | null {
  return (db.prepare(`SELECT secret_sealed FROM mailboxes WHERE id = ?`).pluck().get(id) as Buffer | null | undefined) ?? null;
}

/** Everything read from a mailbox so far, per kind. */
export function totalsOf(db: Db, id: number): MailboxSummary['totals'] {
  const rows = db.prepare(`SELECT kind, count(*) AS n FROM mailbox_messages WHERE mailbox_id = ? GROUP BY kind`).all(id) as Array<{ kind: MessageKind; n: number }>;
  const n = (k: MessageKind) => rows.find((r) => r.kind === k)?.n ?? 0;
  return {
    read: rows.reduce((a, r) => a + r.n, 0),
    hard: n('hard'),
    soft: n('soft') + n('delayed'),
    complaints: n('complaint'),
    unsubscribes: n('unsubscribe'),
    autoReplies: n('auto-reply'),
    unrecognised: n('unrecognised'),
  };
}

export function summaryOf(db: Db, m: MailboxRecord): MailboxSummary {
  const lastErrorNote = readNote(m.lastErrorNote);
  return {
    id: m.id,
    name: m.name,
    host: m.host,
    port: m.port,
    security: m.security,
    user: m.user,
    auth: m.auth,
    passwordSource: m.auth === 'oauth2' ? 'relay' : m.hasSealed ? 'stored' : m.secretEnv ? 'env' : 'none',
    passwordEnv: m.secretEnv,
    oauthFrom: m.oauthRelay,
    relay: m.relay,
    folder: m.folder,
    processedFolder: m.processedFolder,
    lastCheckedAt: m.lastCheckedAt,
    lastError: m.lastError,
    ...(lastErrorNote ? { lastErrorNote } : {}),
    totals: totalsOf(db, m.id),
  };
}

/** Records the end of a check: when, and why it failed (null when it worked), with the reason by code when it has one. */
export function setChecked(db: Db, id: number, at: number, error: string | null, note: CoreNote | null = null): void {
  db.prepare(`UPDATE mailboxes SET last_checked_at = ?, last_error = ?, last_error_note = ? WHERE id = ?`).run(at, error, error === null ? null : noteJson(note), id);
}

/**
 * Where reading a folder starts: the UID after the last one read, unless the folder's UIDVALIDITY changed (its UIDs
 * were renumbered, RFC 3501 §2.3.1.1): then from the start again, and the Message-IDs keep what was read from counting twice.
 */
export function startUid(db: Db, id: number, uidValidity: number): number {
  const m = db.prepare(`SELECT uid_validity AS v, last_uid AS last FROM mailboxes WHERE id = ?`).get(id) as { v: number | null; last: number };
  return m.v === uidValidity ? m.last + 1 : 1;
}

/** A message as read from the server, with its verdict and what it matched. */
export interface ReadMessage {
  uid: number;
  messageId: string | null;
  kind: MessageKind;
  /** When the server received it (IMAP INTERNALDATE), ms. */
  at: number;
  feedback: Array<{
    outboxId: number | null;
    campaignId: number | null;
    email: string;
    emailKey: string;
    kind: RecognisedKind;
    status: string | null;
    detail: string | null;
    /** `detail` by code, when it is Postroom's description rather than the server's words. */
    note?: CoreNote | null;
  }>;
}

export type RecordOutcome = 'new' | 'duplicate' | 'known';

/**
 * Records one message read, inside the caller's transaction. `known`: this UID was recorded before (another
 * process, or an earlier run that stopped before moving it): nothing to do but finish the move. `duplicate`: the
 * same Message-ID was read before from another place: recorded, but no effect. `new`: recorded with its feedback;
 * the caller applies the effects in the same transaction.
 */
export function recordMessage(db: Db, mailboxId: number, folder: string, uidValidity: number, m: ReadMessage, now: number): { outcome: RecordOutcome; rowId: number } {
  const known = db.prepare(`SELECT id FROM mailbox_messages WHERE mailbox_id = ? AND folder = ? AND uid_validity = ? AND uid = ?`).pluck().get(mailboxId, folder, uidValidity, m.uid) as
    | number
    | undefined;
  if (known !== undefined) return { outcome: 'known', rowId: known };
  const seen = m.messageId !== null && db.prepare(`SELECT 1 FROM mailbox_messages WHERE message_id = ? LIMIT 1`).get(m.messageId) !== undefined;
  const moved = m.kind === 'unrecognised' ? 1 : 0;
  const rowId = Number(
    db
      .prepare(`INSERT INTO mailbox_messages (mailbox_id, folder, uid_validity, uid, message_id, kind, duplicate, moved, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(mailboxId, folder, uidValidity, m.uid, m.messageId, m.kind, seen ? 1 : 0, moved, now).lastInsertRowid,
  );
  if (seen) return { outcome: 'duplicate', rowId };
  const add = db.prepare(
    `INSERT INTO mailbox_feedback (message, outbox_id, campaign_id, email, email_key, kind, status, detail, detail_note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const f of m.feedback) add.run(rowId, f.outboxId, f.campaignId, f.email, f.emailKey, f.kind, f.status, f.detail, noteJson(f.note), m.at);
  return { outcome: 'new', rowId };
}

/** Moves the high-water mark on (never back). */
export function advance(db: Db, id: number, uidValidity: number, lastUid: number): void {
  db.prepare(
    `UPDATE mailboxes SET last_uid = CASE WHEN uid_validity = @v THEN max(last_uid, @last) ELSE @last END, uid_validity = @v WHERE id = @id`,
  ).run({ id, v: uidValidity, last: lastUid });
}

/** Recognised messages whose move to the processed folder is still to be done (a run stopped between commit and move). */
export function pendingMoves(db: Db, id: number, folder: string): Array<{ rowId: number; uid: number; uidValidity: number }> {
  return db
    .prepare(`SELECT id AS rowId, uid, uid_validity AS uidValidity FROM mailbox_messages WHERE mailbox_id = ? AND folder = ? AND moved = 0 ORDER BY uid`)
    .all(id, folder) as Array<{ rowId: number; uid: number; uidValidity: number }>;
}

/** Whether a recorded message has been moved (or needs no move). */
export function isMoved(db: Db, rowId: number): boolean {
  return db.prepare(`SELECT moved FROM mailbox_messages WHERE id = ?`).pluck().get(rowId) === 1;
}

export function markMoved(db: Db, rowIds: number[]): void {
  const set = db.prepare(`UPDATE mailbox_messages SET moved = 1 WHERE id = ?`);
  db.transaction(() => {
    for (const id of rowIds) set.run(id);
  })();
}

/** How many of a campaign's recipients came back per kind. */
export function feedbackCounts(db: Db, campaignId: number): FeedbackCounts {
  const rows = db
    .prepare(`SELECT kind, count(DISTINCT coalesce(outbox_id, email_key)) AS n FROM mailbox_feedback WHERE campaign_id = ? GROUP BY kind`)
    .all(campaignId) as Array<{ kind: RecognisedKind; n: number }>;
  const n = (k: RecognisedKind) => rows.find((r) => r.kind === k)?.n ?? 0;
  return { bounced: n('hard'), softBounced: n('soft') + n('delayed'), complained: n('complaint'), unsubscribed: n('unsubscribe') };
}

/** The distinct recipients of a campaign that hard-bounced (for the bounce rate). */
export function hardBounced(db: Db, campaignId: number): number {
  return db.prepare(`SELECT count(DISTINCT outbox_id) FROM mailbox_feedback WHERE campaign_id = ? AND kind = 'hard'`).pluck().get(campaignId) as number;
}

/** The earliest soft bounce (temporary failure; delay notices don't count) of each of these sent messages. */
export function softBounceAt(db: Db, outboxIds: number[]): Map<number, number> {
  const q = db.prepare(`SELECT min(at) FROM mailbox_feedback WHERE outbox_id = ? AND kind = 'soft'`).pluck();
  const out = new Map<number, number>();
  for (const id of outboxIds) {
    const at = q.get(id) as number | null;
    if (at !== null) out.set(id, at);
  }
  return out;
}

/** What came back from each of these outbox rows (the most serious, latest), for the campaign report. */
export function feedbackOf(db: Db, outboxIds: number[]): Map<number, { kind: RecognisedKind; detail: string | null; note?: CoreNote; at: number }> {
  const q = db.prepare(
    `SELECT kind, detail, detail_note AS note, at FROM mailbox_feedback WHERE outbox_id = ?
      ORDER BY CASE kind WHEN 'complaint' THEN 0 WHEN 'unsubscribe' THEN 1 WHEN 'hard' THEN 2 WHEN 'soft' THEN 3 WHEN 'delayed' THEN 4 ELSE 5 END, at DESC LIMIT 1`,
  );
  const out = new Map<number, { kind: RecognisedKind; detail: string | null; note?: CoreNote; at: number }>();
  for (const id of outboxIds) {
    const r = q.get(id) as { kind: RecognisedKind; detail: string | null; note: string | null; at: number } | undefined;
    if (!r) continue;
    const note = readNote(r.note);
    out.set(id, { kind: r.kind, detail: r.detail, ...(note ? { note } : {}), at: r.at });
  }
  return out;
}
