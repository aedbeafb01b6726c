/** The contract's campaign and outbox requests. */
import os from 'node:os';
import type { CoreContext } from '../context';
import type { Closer } from '../service';
import type { Handlers } from '../../../shared/contract';
import type { CampaignStatus, OutboxRow } from '../../../shared/contract/sending';
import type { sendingContract } from '../../../shared/contract/sending';
import { PostroomError } from '../../../shared/result';
import { newMessageId, prepareComposer } from '../compose';
import {
  cancelCampaign,
  createCampaign,
  detailOf,
  findCampaign,
  listCampaigns,
  pauseCampaign,
  removeCampaign,
  resumeCampaign,
  retryFailedCampaign,
  sendCampaign,
  updateCampaign,
  type CampaignRow,
} from './campaigns';
import { statusOf } from './progress';
import { quotaOf } from './quota';
import { writeReport } from './report';
import { engineAlive, type EngineRow } from './leases';
import { Engine } from './engine';

type SendingHandlers = Pick<Handlers, keyof typeof sendingContract>;

/** The address inside a From header (`Name <a@b>` → `a@b`). */
function addressOf(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  return (m ? m[1]! : from).trim();
}

function composerFrom(ctx: CoreContext, c: CampaignRow): string {
  return c.template_id === null ? '' : ((ctx.db.prepare(`SELECT from_addr FROM templates WHERE id = ?`).get(c.template_id) as { from_addr: string } | undefined)?.from_addr ?? '');
}

function status(ctx: CoreContext, c: CampaignRow): CampaignStatus {
  const ids = JSON.parse(c.relay_ids) as number[];
  let quota = null;
  try {
    quota = ids.length ? quotaOf(ctx, { id: ids[0]! }) : null;
  } catch {
    quota = null; // the relay was removed: no quota to tell
  }
  return statusOf(ctx.db, c, ctx.clock.now(), quota);
}

type RowRecord = {
  id: number;
  email: string;
  name: string | null;
  state: OutboxRow['state'];
  attempts: number;
  next_attempt_at: number;
  last_response: string | null;
  sent_at: number | null;
  message_id: string;
  possible_duplicate: number;
};

function toRow(r: RowRecord): OutboxRow {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.state === 'deferred' ? r.next_attempt_at : null,
    lastResponse: r.last_response,
    sentAt: r.sent_at,
    messageId: r.message_id,
    possibleDuplicate: r.possible_duplicate === 1,
  };
}

/**
 * The desktop app and `postroom serve` run an engine for every campaign that is sending, for as long as they run
 * (with the window closed to the tray too); `postroom send --follow` runs its own for one campaign.
 */
export function sendingHandlers(ctx: CoreContext, onClose: (c: Closer) => void): SendingHandlers {
  let engine: Engine | null = null;
  if (ctx.host === 'desktop' || ctx.host === 'browser') {
    engine = new Engine(ctx);
    engine.start();
    onClose(() => engine?.stop());
  }

  return {
    'campaigns:list': () => listCampaigns(ctx.db),
    'campaigns:get': ({ campaign }) => detailOf(ctx.db, findCampaign(ctx.db, campaign)),
    'campaigns:create': (input) => detailOf(ctx.db, createCampaign(ctx.db, input, ctx.clock.now())),
    'campaigns:update': (input) => detailOf(ctx.db, updateCampaign(ctx.db, input, ctx.clock.now())),
    'campaigns:remove': ({ campaign }) => {
      removeCampaign(ctx.db, campaign);
      return { removed: true as const };
    },
    'campaigns:send': ({ campaign }) => {
      return status(ctx, sendCampaign(ctx.db, campaign, ctx.clock.now()));
    },
    'campaigns:pause': ({ campaign }) => status(ctx, pauseCampaign(ctx.db, campaign, ctx.clock.now())),
    'campaigns:resume': ({ campaign }) => status(ctx, resumeCampaign(ctx.db, campaign, ctx.clock.now())),
    'campaigns:cancel': ({ campaign }) => status(ctx, cancelCampaign(ctx.db, campaign, ctx.clock.now())),
    'campaigns:retryFailed': ({ campaign }) => {
      const r = retryFailedCampaign(ctx.db, campaign, ctx.clock.now());
      return { ...status(ctx, r.campaign), requeued: r.requeued };
    },
    'campaigns:status': ({ campaign }) => status(ctx, findCampaign(ctx.db, campaign)),
    'campaigns:report': ({ campaign, file }) => {
      const c = findCampaign(ctx.db, campaign);
      return { file, rows: writeReport(ctx.db, c.id, file) };
    },
    'campaigns:recipients': ({ campaign, state, search, offset, limit }) => {
      const c = findCampaign(ctx.db, campaign);
      const where = ['campaign_id = @c'];
      if (state) where.push('state = @state');
      const s = search?.trim().toLowerCase();
      if (s) where.push(`(instr(email_key, @s) > 0 OR instr(lower(coalesce(name, '')), @s) > 0)`);
      const params = { c: c.id, state: state ?? null, s: s ?? null };
      const clause = where.join(' AND ');
      const bind = Object.fromEntries(Object.entries(params).filter(([k]) => clause.includes(`@${k}`)));
      const total = (ctx.db.prepare(`SELECT count(*) AS n FROM outbox WHERE ${clause}`).get(bind) as { n: number }).n;
      const rows = ctx.db
        .prepare(
          `SELECT id, email, name, state, attempts, next_attempt_at, last_response, sent_at, message_id, possible_duplicate
             FROM outbox WHERE ${clause} ORDER BY id LIMIT @limit OFFSET @offset`,
        )
        .all({ ...bind, limit, offset }) as RowRecord[];
      return { total, rows: rows.map(toRow) };
    },
    'campaigns:attempts': ({ campaign, email }) => {
      const c = findCampaign(ctx.db, campaign);
      const r = ctx.db
        .prepare(
          `SELECT id, email, name, state, attempts, next_attempt_at, last_response, sent_at, message_id, possible_duplicate
             FROM outbox WHERE campaign_id = ? AND lower(email) = lower(?)`,
        )
        .get(c.id, email.trim()) as RowRecord | undefined;
      if (!r) throw new PostroomError('NOT_FOUND', `${email} is not a recipient of campaign "${c.name}".`);
      const attempts = ctx.db
        .prepare(
          `SELECT a.at, r.name AS relay, a.outcome, a.response FROM outbox_attempts a LEFT JOIN relays r ON r.id = a.relay_id
            WHERE a.outbox_id = ? ORDER BY a.at, a.id`,
        )
        .all(r.id) as Array<{ at: number; relay: string | null; outcome: string; response: string | null }>;
      return { row: toRow(r), attempts };
    },
    'campaigns:preview': async ({ campaign, recipient }) => {
      const c = findCampaign(ctx.db, campaign);
      if (c.template_id === null) throw new PostroomError('CONFLICT', `Campaign "${c.name}" has no template any more. Choose one with campaign update.`);
      // Started campaigns preview from their snapshot (what will really go, with its Message-ID); drafts from the list.
      const snap = ctx.db
        .prepare(`SELECT email, name, fields, message_id FROM outbox WHERE campaign_id = ? AND lower(email) = lower(?)`)
        .get(c.id, recipient.trim()) as { email: string; name: string | null; fields: string; message_id: string } | undefined;
      const listed =
        snap ??
        (c.list_id === null
          ? undefined
          : (ctx.db.prepare(`SELECT email, name, fields, NULL AS message_id FROM recipients WHERE list_id = ? AND lower(email) = lower(?)`).get(c.list_id, recipient.trim()) as
              | { email: string; name: string | null; fields: string; message_id: null }
              | undefined));
      if (!listed) throw new PostroomError('NOT_FOUND', `${recipient} is not on the list of campaign "${c.name}".`);
      const listName = c.list_id === null ? '' : ((ctx.db.prepare(`SELECT name FROM lists WHERE id = ?`).get(c.list_id) as { name: string } | undefined)?.name ?? '');
      const unsubscribe = c.unsubscribe ? (c.unsubscribe.toLowerCase().startsWith('mailto:') ? { mailto: c.unsubscribe.slice(7) } : { url: c.unsubscribe }) : null;
      const composer = prepareComposer(ctx, { templateId: c.template_id, campaignName: c.name, listName, unsubscribe });
      const r = { email: listed.email, name: listed.name, fields: JSON.parse(listed.fields) as Record<string, string> };
      const problem = composer.checkRecipient(r);
      if (problem) throw new PostroomError('TEMPLATE_INVALID', problem);
      const m = await composer.compose(r, listed.message_id ?? newMessageId(addressOf(composerFrom(ctx, c))));
      return { raw: m.raw.toString('utf8'), subject: m.subject, messageId: m.messageId, from: m.envelope.from, to: m.envelope.to };
    },
    'outbox:overview': () => {
      const now = ctx.clock.now();
      const engines = (ctx.db.prepare(`SELECT * FROM engines ORDER BY started_at`).all() as EngineRow[]).map((e) => ({
        id: e.id,
        pid: e.pid,
        hostname: e.hostname,
        hostKind: e.host_kind,
        startedAt: e.started_at,
        heartbeatAt: e.heartbeat_at,
        alive: engineAlive(e, now) || (e.hostname === os.hostname() && e.pid === process.pid),
      }));
      const active = (ctx.db.prepare(`SELECT * FROM campaigns WHERE state IN ('scheduled', 'sending', 'waiting', 'paused') ORDER BY id`).all() as CampaignRow[]).map((c) =>
        status(ctx, c),
      );
      return { engines, active };
    },
  };
}
