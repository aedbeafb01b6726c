/**
 * The outbox's state machine: the ONLY module that moves an outbox row from one state to another.
 *
 *   queued ──begin──▶ sending ──settle──▶ sent | deferred | failed | queued (not attempted: relay unreachable, login refused)
 *   deferred ──begin──▶ sending            queued|deferred ──begin (suppressed) | skip (attachment refused)──▶ skipped
 *   sending ──recover (its engine died)──▶ queued, possible_duplicate = 1 (same Message-ID)
 *   failed ──retryFailed──▶ queued          queued|deferred ──cancel──▶ cancelled
 *
 * A row is worked on only by the engine holding its lease (`lease_owner`); `begin` and `settle` check it, so two
 * engines on one data folder never send the same row. `begin` commits `sending` before the message is handed to
 * the relay, so that after a crash we know which messages may have gone.
 */
import type { Db } from '../store/db';
import type { RowState } from '../../../shared/contract/sending';
import { assertNever } from '../../../shared/assert-never';
import { noteJson, type CoreNote, type Worded } from '../notes';
import { outboxNote } from './notes';

export type { RowState };

/** Every row state, in display order. */
export const ROW_STATES: readonly RowState[] = ['queued', 'sending', 'sent', 'deferred', 'failed', 'skipped', 'cancelled'];

/** States whose rows still have to go (the campaign isn't finished while any row is in one of them). */
export function isOpen(state: RowState): boolean {
  switch (state) {
    case 'queued':
    case 'sending':
    case 'deferred':
      return true;
    case 'sent':
    case 'failed':
    case 'skipped':
    case 'cancelled':
      return false;
    default:
      return assertNever(state);
  }
}

/** What became of one hand-over to the relay, as the outbox records it (the engine maps the relay's outcome to this). */
export type Settlement =
  | { kind: 'sent'; response: string; relayId: number | null }
  /** `maybeDelivered`: the connection was lost after the message started to go, so the retry may duplicate it. */
  | { kind: 'deferred'; response: string; relayId: number | null; retryAt: number; maybeDelivered: boolean }
  /** `note`: when `response` is Postroom's own sentence (it gave up), that sentence by code. */
  | { kind: 'failed'; response: string; relayId: number | null; note?: CoreNote }
  /** The message never reached a server that could take it (relay unreachable, login refused): no attempt is counted. */
  | { kind: 'notAttempted'; response: string; relayId: number | null };

/** A row leased to an engine, with what is needed to compose its message. */
export interface ClaimedRow {
  id: number;
  campaignId: number;
  email: string;
  emailKey: string;
  name: string | null;
  fields: string;
  messageId: string;
  state: RowState;
  attempts: number;
  firstAttemptAt: number | null;
  possibleDuplicate: number;
}

/** What `begin` found. */
export type BeginResult = 'go' | 'lost' | 'skipped';

const stmtCache = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  return {
    // One state at a time so that SQLite walks the (campaign_id, state, next_attempt_at) index without sorting.
    claim: db.prepare(
      `UPDATE outbox SET lease_owner = @owner, lease_until = @until
        WHERE id IN (SELECT id FROM outbox
                      WHERE campaign_id = @campaign AND state = @state AND next_attempt_at <= @now
                        AND (lease_owner IS NULL OR lease_until < @now)
                      ORDER BY next_attempt_at LIMIT @limit)
       RETURNING id, campaign_id AS campaignId, email, email_key AS emailKey, name, fields, message_id AS messageId,
                 state, attempts, first_attempt_at AS firstAttemptAt, possible_duplicate AS possibleDuplicate`,
    ),
    suppressed: db.prepare(`SELECT reason FROM suppressions WHERE email_key = ?`),
    begin: db.prepare(
      `UPDATE outbox SET state = 'sending', first_attempt_at = coalesce(first_attempt_at, @now), lease_until = @until
        WHERE id = @id AND lease_owner = @owner AND state IN ('queued', 'deferred')
          AND (SELECT state FROM campaigns WHERE id = outbox.campaign_id) IN ('sending', 'waiting')`,
    ),
    skip: db.prepare(
      `UPDATE outbox SET state = 'skipped', last_response = @reason, last_note = @note, lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND lease_owner = @owner AND state IN ('queued', 'deferred')`,
    ),
    sent: db.prepare(
      `UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_response = @response, last_note = NULL, sent_at = @now,
              relay_id = @relay, lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND state = 'sending' AND lease_owner = @owner`,
    ),
    deferred: db.prepare(
      `UPDATE outbox SET state = 'deferred', attempts = attempts + 1, last_response = @response, last_note = NULL, next_attempt_at = @retryAt,
              possible_duplicate = max(possible_duplicate, @maybe),
              relay_id = @relay, lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND state = 'sending' AND lease_owner = @owner`,
    ),
    failed: db.prepare(
      `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_response = @response, last_note = @note,
              relay_id = @relay, lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND state = 'sending' AND lease_owner = @owner`,
    ),
    // Not attempted: back where it was, attempts unchanged; first_attempt_at too, so waiting doesn't eat the give-up time.
    notAttempted: db.prepare(
      `UPDATE outbox SET state = CASE WHEN attempts > 0 THEN 'deferred' ELSE 'queued' END,
              first_attempt_at = CASE WHEN attempts > 0 THEN first_attempt_at ELSE NULL END,
              lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND state = 'sending' AND lease_owner = @owner`,
    ),
    logAttempt: db.prepare(`INSERT INTO outbox_attempts (outbox_id, at, relay_id, outcome, response, note) VALUES (?, ?, ?, ?, ?, ?)`),
    release: db.prepare(
      `UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ? AND state IN ('queued', 'deferred')`,
    ),
    releaseAll: db.prepare(
      `UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND state IN ('queued', 'deferred')`,
    ),
    releaseCampaign: db.prepare(
      `UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE campaign_id = ? AND lease_owner = ? AND state IN ('queued', 'deferred')`,
    ),
    extend: db.prepare(`UPDATE outbox SET lease_until = ? WHERE lease_owner = ?`),
    inFlightOf: db.prepare(`SELECT id FROM outbox WHERE lease_owner = ? AND state = 'sending'`),
    recover: db.prepare(
      `UPDATE outbox SET state = CASE WHEN attempts > 0 THEN 'deferred' ELSE 'queued' END, possible_duplicate = 1,
              next_attempt_at = 0, lease_owner = NULL, lease_until = NULL
        WHERE id = ? AND state = 'sending'`,
    ),
    expiredInFlight: db.prepare(`SELECT id, lease_owner AS owner FROM outbox WHERE state = 'sending' AND lease_until < ?`),
    retryFailed: db.prepare(
      `UPDATE outbox SET state = 'queued', attempts = 0, first_attempt_at = NULL, next_attempt_at = 0
        WHERE campaign_id = ? AND state = 'failed'`,
    ),
    cancel: db.prepare(
      `UPDATE outbox SET state = 'cancelled', lease_owner = NULL, lease_until = NULL
        WHERE campaign_id = ? AND state IN ('queued', 'deferred')`,
    ),
  };
}

function stmts(db: Db) {
  let s = stmtCache.get(db);
  if (!s) {
    s = prepare(db);
    stmtCache.set(db, s);
  }
  return s;
}

/**
 * Fixes the recipients of a list into the outbox as `queued`, each with its Message-ID (made by `messageId`), in
 * one statement so that a list of any size is never held in memory. Call inside a transaction.
 */
export function snapshotList(db: Db, campaignId: number, listId: number, messageId: () => string): number {
  db.function('postroom_message_id', { deterministic: false }, () => messageId());
  return db
    .prepare(
      `INSERT INTO outbox (campaign_id, email, email_key, name, fields, message_id, state, next_attempt_at)
       SELECT ?, email, email_key, name, fields, postroom_message_id(), 'queued', 0 FROM recipients WHERE list_id = ? ORDER BY id
       ON CONFLICT (campaign_id, email_key) DO NOTHING`,
    )
    .run(campaignId, listId).changes;
}

/** Leases up to `limit` due rows of a campaign to `owner` (deferred ones whose time has come first). */
export function claim(db: Db, campaignId: number, owner: string, limit: number, now: number, leaseMs: number): ClaimedRow[] {
  const s = stmts(db);
  return db.transaction(() => {
    const out: ClaimedRow[] = [];
    for (const state of ['deferred', 'queued'] as const) {
      if (out.length >= limit) break;
      const rows = s.claim.all({ owner, until: now + leaseMs, campaign: campaignId, state, now, limit: limit - out.length }) as ClaimedRow[];
      out.push(...rows);
    }
    return out;
  }).immediate();
}

/**
 * Marks a leased row `sending`, just before it is handed to the relay, unless it isn't ours any more, the campaign
 * stopped, or its address was suppressed since (then it is `skipped`, with the reason). Call inside the transaction
 * that commits it.
 */
export function begin(db: Db, row: ClaimedRow, owner: string, now: number, leaseMs: number): BeginResult {
  const s = stmts(db);
  const supp = s.suppressed.get(row.emailKey) as { reason: string | null } | undefined;
  if (supp) return skip(db, row, owner, supp.reason ? outboxNote('NOT_SENT_SUPPRESSED_WHY', { why: supp.reason }) : outboxNote('NOT_SENT_SUPPRESSED'), now);
  return s.begin.run({ id: row.id, owner, now, until: now + leaseMs }).changes === 1 ? 'go' : 'lost';
}

/**
 * Marks a leased row `skipped` with the reason (a sentence, or one of the outbox's by code), instead of sending it
 * (its attachment can't be sent, or the address is suppressed). Call inside the transaction that commits it.
 */
export function skip(db: Db, row: ClaimedRow, owner: string, reason: string | Worded, now: number): 'skipped' | 'lost' {
  const s = stmts(db);
  const text = typeof reason === 'string' ? reason : reason.text;
  const note = typeof reason === 'string' ? null : noteJson(reason.note);
  if (s.skip.run({ id: row.id, owner, reason: text, note }).changes === 0) return 'lost';
  s.logAttempt.run(row.id, now, null, 'skipped', text, note);
  return 'skipped';
}

/** Records what became of a row that was `sending`. Call inside the transaction that commits it. */
export function settle(db: Db, rowId: number, owner: string, outcome: Settlement, now: number): boolean {
  const s = stmts(db);
  let changes: number;
  const base = { id: rowId, owner, response: outcome.response, relay: outcome.relayId, now };
  switch (outcome.kind) {
    case 'sent':
      changes = s.sent.run(base).changes;
      break;
    case 'deferred':
      changes = s.deferred.run({ ...base, retryAt: outcome.retryAt, maybe: outcome.maybeDelivered ? 1 : 0 }).changes;
      break;
    case 'failed':
      changes = s.failed.run({ ...base, note: noteJson(outcome.note) }).changes;
      break;
    case 'notAttempted':
      changes = s.notAttempted.run({ id: rowId, owner }).changes;
      break;
    default:
      return assertNever(outcome);
  }
  if (changes && outcome.kind !== 'notAttempted') s.logAttempt.run(rowId, now, outcome.relayId, outcome.kind, outcome.response, outcome.kind === 'failed' ? noteJson(outcome.note) : null);
  return changes === 1;
}

/** Gives back the lease of a row that was claimed but not begun (paused, prefetched too far). */
export function release(db: Db, rowId: number, owner: string): void {
  stmts(db).release.run(rowId, owner);
}

/** Gives back every not-yet-begun row `owner` holds. */
export function releaseAll(db: Db, owner: string): void {
  stmts(db).releaseAll.run(owner);
}

/** Gives back every not-yet-begun row of one campaign that `owner` holds (a run starting afresh holds none). */
export function releaseCampaign(db: Db, campaignId: number, owner: string): void {
  stmts(db).releaseCampaign.run(campaignId, owner);
}

/** Keeps `owner`'s leases alive (its heartbeat). */
export function extendLeases(db: Db, owner: string, until: number): void {
  stmts(db).extend.run(until, owner);
}

/**
 * Takes back the rows of an engine that died: those it had in flight go back to the queue marked possibly
 * duplicated (the relay may have taken them before the crash; they keep their Message-ID), the others are simply
 * released. Call inside a transaction.
 */
export function recoverOwner(db: Db, owner: string, now: number): number {
  const s = stmts(db);
  const inFlight = s.inFlightOf.all(owner) as Array<{ id: number }>;
  const note = outboxNote('INTERRUPTED');
  for (const r of inFlight) {
    s.recover.run(r.id);
    s.logAttempt.run(r.id, now, null, 'interrupted', note.text, noteJson(note.note));
  }
  s.releaseAll.run(owner);
  return inFlight.length;
}

/**
 * Rows left `sending` whose lease ran out, unless their owner is known to be alive (`alive`: a process that slept
 * with the laptop keeps its rows). Call inside a transaction.
 */
export function recoverExpired(db: Db, now: number, alive: ReadonlySet<string>): number {
  const s = stmts(db);
  const rows = (s.expiredInFlight.all(now) as Array<{ id: number; owner: string | null }>).filter((r) => !r.owner || !alive.has(r.owner));
  const note = outboxNote('INTERRUPTED_UNANSWERED');
  for (const r of rows) {
    s.recover.run(r.id);
    s.logAttempt.run(r.id, now, null, 'interrupted', note.text, noteJson(note.note));
  }
  return rows.length;
}

/** failed → queued for every failed row of a campaign; attempts start again. Returns how many. */
export function retryFailed(db: Db, campaignId: number): number {
  return stmts(db).retryFailed.run(campaignId).changes;
}

/** queued|deferred → cancelled for a campaign. Rows in flight finish and are recorded as they end. */
export function cancelRemaining(db: Db, campaignId: number): number {
  return stmts(db).cancel.run(campaignId).changes;
}
