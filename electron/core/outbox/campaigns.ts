/**
 * Campaigns: what is sent (a list, a template), through which relays (in failover order), when, and where each
 * one is in its life. The only module that moves a campaign's state:
 *
 *   draft ──send──▶ scheduled ──(time comes)──▶ sending ⇄ paused ──▶ completed
 *                         sending ⇄ waiting (no relay answers)          any unfinished ──cancel──▶ cancelled
 */
import type { Db } from '../store/db';
import { PostroomError } from '../../../shared/errors';
import { newMessageId, type CampaignComposeOptions } from '../compose';
import { attachmentsFolderOf } from '../compose/attachments';
import type {
  CampaignCreate,
  CampaignDetail,
  CampaignRef,
  CampaignState,
  CampaignSummary,
  CampaignUpdate,
  StateCounts,
} from '../../../shared/contract/sending';
import { cancelRemaining, retryFailed, snapshotList } from './state';
import { assertNever } from '../../../shared/assert-never';
import { mailboxAddress } from '../../../shared/mailbox';
import { resolveList } from '../store/lists';
import { templateFrom } from '../store/templates';
import { formatUnsubscribe, parseUnsubscribe, type UnsubscribeMethods } from '../../../shared/unsubscribe';
import { checkUnsubscribeRenders } from '../compose/unsubscribe-check';
import { noteJson, noteOfError, readNote, type CoreNote } from '../notes';
import { outboxNote } from './notes';

export interface CampaignRow {
  id: number;
  name: string;
  list_id: number | null;
  template_id: number | null;
  relay_ids: string;
  unsubscribe: string | null;
  attachments_dir: string | null;
  scheduled_at: number | null;
  state: CampaignState;
  pause_reason: string | null;
  pause_code: string | null;
  /** `pause_reason` by code (migration 011), JSON; null when the reason has none or a person paused it before. */
  pause_note: string | null;
  snapshot_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  created_at: number;
  updated_at: number;
  /** Pause when this share (%) of what was sent hard-bounces (migration 009). */
  bounce_pause_percent: number;
}

/** The methods a campaign's unsubscribe value holds (shared/unsubscribe.ts is the one parser). */
export function unsubscribeOf(value: string | null): UnsubscribeMethods | null {
  const p = parseUnsubscribe(value);
  return p.ok ? p.value : null;
}

/** The stored form of an unsubscribe request value, checked by rendering its merge fields. */
function storedUnsubscribe(value: string | readonly string[] | null | undefined): string | null {
  const p = parseUnsubscribe(value);
  if (!p.ok) throw new PostroomError('INVALID_INPUT', `The unsubscribe method is not usable: ${p.error}.`);
  checkUnsubscribeRenders(p.value);
  return formatUnsubscribe(p.value);
}

/** A campaign as the rest of the core reads it: the row's columns typed once (`relay_ids` parsed here only). */
export interface Campaign {
  id: number;
  name: string;
  listId: number | null;
  templateId: number | null;
  /** The relays in failover order: the first sends, the others take over when it can't be reached. */
  relayIds: number[];
  unsubscribe: string | null;
  scheduledAt: number | null;
  state: CampaignState;
  pauseReason: string | null;
  pauseCode: string | null;
  snapshotAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export function campaignOf(c: CampaignRow): Campaign {
  return {
    id: c.id,
    name: c.name,
    listId: c.list_id,
    templateId: c.template_id,
    relayIds: JSON.parse(c.relay_ids) as number[],
    unsubscribe: c.unsubscribe,
    scheduledAt: c.scheduled_at,
    state: c.state,
    pauseReason: c.pause_reason,
    pauseCode: c.pause_code,
    snapshotAt: c.snapshot_at,
    startedAt: c.started_at,
    finishedAt: c.finished_at,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

/** What can happen to a campaign. */
export type CampaignAction =
  | 'send' // a person starts or carries on sending
  | 'due' // a scheduled time came
  | 'pause' // a person pauses
  | 'problem' // something a person must fix stopped it (login refused)
  | 'resume'
  | 'cancel'
  | 'unreachable' // no relay answers
  | 'reachable'
  | 'finished' // no recipient left to send
  | 'reopen'; // failed recipients put back in the queue

/**
 * The lifecycle as a table: the state an action leads to from each state, `null` when it makes no sense there.
 * (`send` and `resume` lead to `sending`; the caller turns that into `scheduled` when the time is in the future.)
 */
export function nextState(state: CampaignState, action: CampaignAction): CampaignState | null {
  switch (state) {
    case 'draft':
      return action === 'send' ? 'sending' : action === 'cancel' ? 'cancelled' : null;
    case 'scheduled':
      return action === 'due' || action === 'send' ? 'sending' : action === 'pause' ? 'paused' : action === 'cancel' ? 'cancelled' : null;
    case 'sending':
    case 'waiting':
      switch (action) {
        case 'pause':
        case 'problem':
          return 'paused';
        case 'cancel':
          return 'cancelled';
        case 'unreachable':
          return 'waiting';
        case 'reachable':
        case 'send':
        case 'resume':
        case 'reopen':
        case 'due':
          return 'sending';
        case 'finished':
          return 'completed';
        default:
          return assertNever(action);
      }
    case 'paused':
      return action === 'resume' || action === 'send' ? 'sending' : action === 'cancel' ? 'cancelled' : action === 'reopen' ? 'paused' : null;
    case 'completed':
      return action === 'reopen' || action === 'send' ? 'sending' : null;
    case 'cancelled':
      return null;
    default:
      return assertNever(state);
  }
}

/** What the composer needs to write a campaign's messages (the engine, its compose workers and the preview alike). */
export function composeOptionsOf(db: Db, c: CampaignRow & { template_id: number }): CampaignComposeOptions {
  const listName = c.list_id === null ? '' : ((db.prepare(`SELECT name FROM lists WHERE id = ?`).get(c.list_id) as { name: string } | undefined)?.name ?? '');
  return {
    templateId: c.template_id,
    campaignName: c.name,
    listName,
    unsubscribe: unsubscribeOf(c.unsubscribe),
    attachmentsDir: attachmentsFolderOf(db, { campaignId: c.id, templateId: c.template_id, listId: c.list_id }),
  };
}

/** Is an engine supposed to be working on a campaign in this state? */
export function isActive(state: CampaignState): boolean {
  return state === 'sending' || state === 'waiting';
}

export function findCampaign(db: Db, ref: CampaignRef['campaign']): CampaignRow {
  const row =
    typeof ref === 'number'
      ? (db.prepare(`SELECT * FROM campaigns WHERE id = ?`).get(ref) as CampaignRow | undefined)
      : (db.prepare(`SELECT * FROM campaigns WHERE name = ?`).get(ref) as CampaignRow | undefined);
  if (!row) {
    throw new PostroomError('NOT_FOUND', `There is no campaign ${typeof ref === 'number' ? `#${ref}` : `"${ref}"`}.`, { kind: 'campaign', campaign: String(ref) });
  }
  return row;
}

function findByNameOrId(db: Db, table: 'templates' | 'relays', what: string, ref: string | number): { id: number; name: string } {
  const row = (
    typeof ref === 'number'
      ? db.prepare(`SELECT id, name FROM ${table} WHERE id = ?`).get(ref)
      : db.prepare(`SELECT id, name FROM ${table} WHERE name = ?`).get(ref)
  ) as { id: number; name: string } | undefined;
  if (!row) {
    throw new PostroomError('NOT_FOUND', `There is no ${what} ${typeof ref === 'number' ? `#${ref}` : `"${ref}"`}.`, { kind: what, [what]: String(ref) });
  }
  return row;
}

/** Reads an ISO-8601 time (with a zone or offset) or ms since epoch. */
export function parseWhen(at: string | number): number {
  if (typeof at === 'number') return at;
  const t = Date.parse(at);
  if (!Number.isFinite(t)) {
    throw new PostroomError('INVALID_INPUT', `"${at}" is not a time Postroom can read. Use ISO-8601, e.g. 2026-12-01T09:00:00+01:00.`);
  }
  return t;
}

function relayIdsOf(db: Db, relays: Array<string | number>): number[] {
  const ids = relays.map((r) => findByNameOrId(db, 'relays', 'relay', r).id);
  if (new Set(ids).size !== ids.length) throw new PostroomError('INVALID_INPUT', 'A relay is named twice. Give each relay once, the main one first.');
  return ids;
}

export function createCampaign(db: Db, input: CampaignCreate, now: number): CampaignRow {
  const list = resolveList(db, input.list);
  const template = findByNameOrId(db, 'templates', 'template', input.template);
  const relayIds = relayIdsOf(db, input.relays);
  const at = input.at === undefined ? null : parseWhen(input.at);
  try {
    const id = db
      .prepare(
        `INSERT INTO campaigns (name, list_id, template_id, relay_ids, unsubscribe, attachments_dir, scheduled_at, state, created_at, updated_at, bounce_pause_percent)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      // A time to send at schedules the campaign: an engine starts it then, by itself.
      .run(
        input.name,
        list.id,
        template.id,
        JSON.stringify(relayIds),
        storedUnsubscribe(input.unsubscribe),
        input.attachmentsDir ?? null,
        at,
        at !== null && at > now ? 'scheduled' : 'draft',
        now,
        now,
        input.pauseOnBounces ?? 5,
      ).lastInsertRowid;
    return findCampaign(db, Number(id));
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new PostroomError('ALREADY_EXISTS', `A campaign named "${input.name}" already exists. Choose another name.`);
    }
    throw err;
  }
}

export function updateCampaign(db: Db, input: CampaignUpdate, now: number): CampaignRow {
  return db
    .transaction(() => {
      const c = findCampaign(db, input.campaign);
      if (c.state !== 'draft' && c.state !== 'scheduled') {
        throw new PostroomError('CONFLICT', `Campaign "${c.name}" has started (it is ${c.state}), so its settings are fixed. Create a new campaign instead.`);
      }
      const sets: string[] = [];
      const vals: unknown[] = [];
      const set = (column: string, value: unknown) => {
        sets.push(`${column} = ?`);
        vals.push(value);
      };
      if (input.name !== undefined) set('name', input.name);
      if (input.list !== undefined) set('list_id', resolveList(db, input.list).id);
      if (input.template !== undefined) set('template_id', findByNameOrId(db, 'templates', 'template', input.template).id);
      if (input.relays !== undefined) set('relay_ids', JSON.stringify(relayIdsOf(db, input.relays)));
      if (input.at !== undefined) {
        const at = input.at === null ? null : parseWhen(input.at);
        set('scheduled_at', at);
        set('state', at !== null && at > now ? 'scheduled' : 'draft');
      }
      if (input.unsubscribe !== undefined) set('unsubscribe', storedUnsubscribe(input.unsubscribe));
      if (input.pauseOnBounces !== undefined) set('bounce_pause_percent', input.pauseOnBounces);
      if (input.attachmentsDir !== undefined) set('attachments_dir', input.attachmentsDir);
      if (sets.length) {
        try {
          db.prepare(`UPDATE campaigns SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...vals, now, c.id);
        } catch (err) {
          if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
            throw new PostroomError('ALREADY_EXISTS', `A campaign named "${input.name}" already exists. Choose another name.`);
          }
          throw err;
        }
      }
      return findCampaign(db, c.id);
    })
    .immediate();
}

export function removeCampaign(db: Db, ref: CampaignRef['campaign']): void {
  db.transaction(() => {
    const c = findCampaign(db, ref);
    if (isActive(c.state)) throw new PostroomError('CONFLICT', `Campaign "${c.name}" is sending. Pause or cancel it before deleting it.`);
    db.prepare(`DELETE FROM campaigns WHERE id = ?`).run(c.id);
  }).immediate();
}

/** Why a campaign paused or waits: the English, the error code the doors act on, and the sentence by code. */
export interface PauseReason {
  text: string;
  code?: string | null;
  note?: CoreNote | null;
}

function setState(db: Db, c: CampaignRow, state: CampaignState, now: number, reason: PauseReason | null = null): void {
  const finished = state === 'completed' || state === 'cancelled' ? now : null;
  db.prepare(
    `UPDATE campaigns SET state = ?, pause_reason = ?, pause_code = ?, pause_note = ?,
            started_at = coalesce(started_at, CASE WHEN ? = 'sending' THEN ? END), finished_at = ?, updated_at = ? WHERE id = ?`,
  ).run(state, reason?.text ?? null, reason?.code ?? null, noteJson(reason?.note), state, now, finished, now, c.id);
}

/** The pause reason by code, for the contract (absent when there is none). */
export function pauseNoteOf(c: Pick<CampaignRow, 'pause_note'>): { pauseNote?: CoreNote } {
  const note = readNote(c.pause_note);
  return note ? { pauseNote: note } : {};
}

function conflict(c: CampaignRow, what: string): PostroomError {
  const why: Record<CampaignState, string> = {
    draft: "it hasn't started",
    scheduled: 'it is scheduled',
    sending: 'it is sending',
    waiting: 'it is waiting for its relay',
    paused: 'it is paused',
    completed: 'it has completed',
    cancelled: 'it was cancelled',
  };
  return new PostroomError('CONFLICT', `Can't ${what} campaign "${c.name}": ${why[c.state]}.`);
}

/** Makes Message-IDs on the domain of the campaign's From address. */
function messageIdFactory(db: Db, c: CampaignRow): () => string {
  const address = mailboxAddress(c.template_id === null ? '' : templateFrom(db, c.template_id));
  return () => newMessageId(address);
}

/**
 * Fixes the list's recipients into the outbox, each with its Message-ID, the first time a campaign starts, so
 * later edits of the list don't change a running campaign. Call inside a transaction.
 */
function snapshotOnce(db: Db, c: CampaignRow, now: number): void {
  if (c.snapshot_at !== null) return;
  if (c.list_id === null) throw new PostroomError('CONFLICT', `Campaign "${c.name}" has no list any more (it was deleted). Choose a list with campaign update.`);
  if (c.template_id === null) throw new PostroomError('CONFLICT', `Campaign "${c.name}" has no template any more (it was deleted). Choose one with campaign update.`);
  const n = snapshotList(db, c.id, c.list_id, messageIdFactory(db, c));
  if (n === 0) throw new PostroomError('CONFLICT', `Campaign "${c.name}" has nobody to send to: its list is empty. Import recipients first.`);
  db.prepare(`UPDATE campaigns SET snapshot_at = ? WHERE id = ?`).run(now, c.id);
}

/**
 * Starts or carries on sending. A campaign whose time is still to come stays (or becomes) `scheduled`: an engine
 * starts it then. The recipients are fixed when it first starts.
 */
export function sendCampaign(db: Db, ref: CampaignRef['campaign'], now: number): CampaignRow {
  return db
    .transaction(() => {
      const c = findCampaign(db, ref);
      if (c.state === 'sending' || c.state === 'waiting') return c;
      const next = nextState(c.state, 'send');
      if (!next) throw conflict(c, 'send');
      if ((c.state === 'draft' || c.state === 'scheduled') && c.scheduled_at !== null && c.scheduled_at > now) {
        if (c.state === 'draft') setState(db, c, 'scheduled', now);
        return findCampaign(db, c.id);
      }
      snapshotOnce(db, c, now);
      setState(db, c, next, now);
      return findCampaign(db, c.id);
    })
    .immediate();
}

export function pauseCampaign(db: Db, ref: CampaignRef['campaign'], now: number): CampaignRow {
  return db
    .transaction(() => {
      const c = findCampaign(db, ref);
      if (c.state === 'paused') return c;
      const next = nextState(c.state, 'pause');
      if (!next) throw conflict(c, 'pause');
      setState(db, c, next, now, outboxNote('PAUSED_BY_YOU'));
      return findCampaign(db, c.id);
    })
    .immediate();
}

export function resumeCampaign(db: Db, ref: CampaignRef['campaign'], now: number): CampaignRow {
  return db
    .transaction(() => {
      const c = findCampaign(db, ref);
      if (isActive(c.state)) return c;
      const next = nextState(c.state, 'resume');
      if (!next) throw conflict(c, 'resume');
      setState(db, c, c.scheduled_at !== null && c.scheduled_at > now ? 'scheduled' : next, now);
      return findCampaign(db, c.id);
    })
    .immediate();
}

/**
 * After a relay was signed in to again: campaigns that paused because its sign-in had to be renewed (AUTH_FAILED)
 * carry on, as if the person had pressed Resume. Returns their names.
 */
export function resumeAfterSignIn(db: Db, relayId: number, now: number): string[] {
  const ids = (
    db
      .prepare(
        `SELECT id FROM campaigns WHERE state = 'paused' AND pause_code = 'AUTH_FAILED'
           AND EXISTS (SELECT 1 FROM json_each(campaigns.relay_ids) WHERE value = ?)`,
      )
      .all(relayId) as Array<{ id: number }>
  ).map((r) => r.id);
  return ids.map((id) => resumeCampaign(db, id, now).name);
}

export function cancelCampaign(db: Db, ref: CampaignRef['campaign'], now: number): CampaignRow {
  return db
    .transaction(() => {
      const c = findCampaign(db, ref);
      if (c.state === 'cancelled') return c;
      const next = nextState(c.state, 'cancel');
      if (!next) throw conflict(c, 'cancel');
      cancelRemaining(db, c.id);
      setState(db, c, next, now);
      return findCampaign(db, c.id);
    })
    .immediate();
}

export function retryFailedCampaign(db: Db, ref: CampaignRef['campaign'], now: number): { campaign: CampaignRow; requeued: number } {
  return db
    .transaction(() => {
      const c = findCampaign(db, ref);
      const next = nextState(c.state, 'reopen');
      if (!next) throw conflict(c, 'retry the failed recipients of');
      const requeued = retryFailed(db, c.id);
      if (requeued > 0 && next !== c.state) setState(db, c, next, now);
      return { campaign: findCampaign(db, c.id), requeued };
    })
    .immediate();
}

/**
 * Moves a campaign because of what the engine saw. Only applies while the campaign is in a state where the action
 * makes sense (a person's pause or cancel from another process wins). Returns whether it moved.
 */
export function engineTransition(db: Db, id: number, action: 'due' | 'problem' | 'unreachable' | 'reachable' | 'finished', now: number, reason?: PauseReason): boolean {
  return db
    .transaction(() => {
      const c = db.prepare(`SELECT * FROM campaigns WHERE id = ?`).get(id) as CampaignRow | undefined;
      if (!c) return false;
      if (action === 'due' && (c.state !== 'scheduled' || (c.scheduled_at ?? 0) > now)) return false;
      if (action !== 'due' && !isActive(c.state)) return false;
      if (action === 'finished' && hasOpenRows(db, id)) return false;
      const next = nextState(c.state, action);
      if (!next || next === c.state) return false;
      if (action === 'due') {
        try {
          snapshotOnce(db, c, now);
        } catch (err) {
          if (!(err instanceof PostroomError)) throw err;
          setState(db, c, 'paused', now, { text: err.message, code: err.code, note: noteOfError(err) });
          return true;
        }
      }
      setState(db, c, next, now, action === 'problem' || action === 'unreachable' ? (reason ?? null) : null);
      return true;
    })
    .immediate();
}

/** Campaigns that are sending or about to, through a template: it must not change under them. */
export function campaignsUsingTemplate(db: Db, templateId: number): string[] {
  return (db.prepare(`SELECT name FROM campaigns WHERE template_id = ? AND state IN ('scheduled', 'sending', 'waiting', 'paused')`).all(templateId) as Array<{ name: string }>).map(
    (r) => r.name,
  );
}

/** Campaigns with work left or waiting (the outbox overview). */
export function unfinishedCampaigns(db: Db): CampaignRow[] {
  return db.prepare(`SELECT * FROM campaigns WHERE state IN ('scheduled', 'sending', 'waiting', 'paused') ORDER BY id`).all() as CampaignRow[];
}

export function hasOpenRows(db: Db, campaignId: number): boolean {
  return Boolean(db.prepare(`SELECT 1 FROM outbox WHERE campaign_id = ? AND state IN ('queued', 'sending', 'deferred') LIMIT 1`).get(campaignId));
}

/** The campaigns an engine should look at: sending, waiting, and scheduled ones whose time has come. */
export function activeCampaignIds(db: Db, now: number): number[] {
  return (
    db.prepare(`SELECT id FROM campaigns WHERE state IN ('sending', 'waiting') OR (state = 'scheduled' AND coalesce(scheduled_at, 0) <= ?) ORDER BY id`).all(now) as Array<{
      id: number;
    }>
  ).map((r) => r.id);
}

/** A campaign's recipients by state, from indexes only (outbox_due, outbox_possible_duplicate): no row is read. */
export function countsOf(db: Db, campaignId: number): StateCounts {
  return db.transaction((): StateCounts => {
    const rows = db.prepare(`SELECT state, count(*) AS n FROM outbox WHERE campaign_id = ? GROUP BY state`).all(campaignId) as Array<{ state: keyof StateCounts; n: number }>;
    const possibleDuplicates = db.prepare(`SELECT count(*) FROM outbox WHERE campaign_id = ? AND possible_duplicate = 1`).pluck().get(campaignId) as number;
    const counts: StateCounts = { total: 0, queued: 0, sending: 0, sent: 0, deferred: 0, failed: 0, skipped: 0, cancelled: 0, possibleDuplicates };
    for (const r of rows) {
      counts[r.state] = r.n;
      counts.total += r.n;
    }
    return counts;
  })();
}

function names(db: Db, c: CampaignRow): { listName: string | null; templateName: string | null; relayIds: number[]; relayNames: string[] } {
  const listName = c.list_id === null ? null : ((db.prepare(`SELECT name FROM lists WHERE id = ?`).get(c.list_id) as { name: string } | undefined)?.name ?? null);
  const templateName =
    c.template_id === null ? null : ((db.prepare(`SELECT name FROM templates WHERE id = ?`).get(c.template_id) as { name: string } | undefined)?.name ?? null);
  const { relayIds } = campaignOf(c);
  const relayNames = relayIds.map((id) => (db.prepare(`SELECT name FROM relays WHERE id = ?`).get(id) as { name: string } | undefined)?.name ?? `#${id} (deleted)`);
  return { listName, templateName, relayIds, relayNames };
}

export function summaryOf(db: Db, c: CampaignRow, counts = countsOf(db, c.id)): CampaignSummary {
  const n = names(db, c);
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    listName: n.listName,
    templateName: n.templateName,
    relayNames: n.relayNames,
    scheduledAt: c.scheduled_at,
    pauseReason: c.pause_reason,
    ...pauseNoteOf(c),
    total: counts.total,
    sent: counts.sent,
    failed: counts.failed,
    createdAt: c.created_at,
  };
}

export function detailOf(db: Db, c: CampaignRow): CampaignDetail {
  const counts = countsOf(db, c.id);
  const n = names(db, c);
  return {
    ...summaryOf(db, c, counts),
    listId: c.list_id,
    templateId: c.template_id,
    relayIds: n.relayIds,
    unsubscribe: c.unsubscribe,
    attachmentsDir: attachmentsFolderOf(db, { campaignId: c.id, templateId: c.template_id, listId: c.list_id }),
    unsubscribeMailto: unsubscribeOf(c.unsubscribe)?.mailto ?? null,
    unsubscribeUrl: unsubscribeOf(c.unsubscribe)?.url ?? null,
    pauseOnBounces: c.bounce_pause_percent,
    pauseCode: c.pause_code,
    snapshotAt: c.snapshot_at,
    startedAt: c.started_at,
    finishedAt: c.finished_at,
    updatedAt: c.updated_at,
    counts,
  };
}

export function listCampaigns(db: Db): CampaignSummary[] {
  const rows = db.prepare(`SELECT * FROM campaigns ORDER BY created_at DESC, id DESC`).all() as CampaignRow[];
  return rows.map((c) => summaryOf(db, c));
}
