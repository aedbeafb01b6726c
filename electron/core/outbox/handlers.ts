/** The contract's campaign and outbox requests. */
import os from 'node:os';
import type { CoreContext } from '../context';
import type { Closer } from '../service';
import type { TaskRegistry } from '../tasks';
import type { Handlers } from '../../../shared/contract';
import type { CampaignStatus } from '../../../shared/contract/sending';
import type { sendingContract } from '../../../shared/contract/sending';
import { PostroomError } from '../../../shared/errors';
import { checkAttachmentsFolder } from '../compose/attachments';
import {
  cancelCampaign,
  createCampaign,
  detailOf,
  findCampaign,
  listCampaigns,
  pauseCampaign,
  removeCampaign,
  resumeAfterSignIn,
  resumeCampaign,
  retryFailedCampaign,
  sendCampaign,
  updateCampaign,
  campaignOf,
  unfinishedCampaigns,
  type CampaignRow,
} from './campaigns';
import { assertSendable, reviewCampaign } from './review';
import { statusOf } from './progress';
import { quotaOf } from './quota';
import { reportText, writeReport } from './report';
import { engineAlive, listEngines } from './leases';
import { outboxPage, outboxRowWithAttempts } from './rows';
import { previewCampaign } from './preview';
import { Engine } from './engine';
import { getRelay } from '../relay';
import { feedbackOf } from '../mailbox/store';

type SendingHandlers = Pick<Handlers, keyof typeof sendingContract>;

function status(ctx: CoreContext, c: CampaignRow): CampaignStatus {
  const ids = campaignOf(c).relayIds;
  let quota = null;
  try {
    quota = ids.length ? quotaOf(ctx, { id: ids[0]! }) : null;
  } catch {
    quota = null; // the relay was removed: no quota to tell
  }
  return statusOf(ctx.db, c, ctx.clock.now(), quota);
}

/**
 * The campaign requests, and the engine as a background task (`engine`): the desktop app and `postroom serve` start
 * it, and it sends every campaign that is sending for as long as they run (with the window closed to the tray
 * too); `postroom send --follow` runs its own for one campaign.
 */
export function sendingHandlers(ctx: CoreContext, onClose: (c: Closer) => void, tasks: TaskRegistry): SendingHandlers {
  let engine: Engine | null = null;
  tasks.register({
    name: 'engine',
    start() {
      engine = new Engine(ctx);
      engine.start();
    },
    async stop() {
      await engine?.stop();
      engine = null;
    },
  });
  // "Sign in again" on a relay: the campaigns that paused for it carry on.
  onClose(
    ctx.events.on('relays:signInDone', ({ relay, ok }) => {
      if (!ok) return;
      try {
        resumeAfterSignIn(ctx.db, getRelay(ctx, relay).id, ctx.clock.now());
      } catch (err) {
        console.error('[postroom] could not resume campaigns after a sign-in:', (err as Error).message);
      }
    }),
  );

  return {
    'campaigns:list': () => listCampaigns(ctx.db),
    'campaigns:get': ({ campaign }) => detailOf(ctx.db, findCampaign(ctx.db, campaign)),
    'campaigns:create': (input) =>
      detailOf(ctx.db, createCampaign(ctx.db, { ...input, attachmentsDir: input.attachmentsDir && checkAttachmentsFolder(ctx, input.attachmentsDir) }, ctx.clock.now())),
    'campaigns:update': (input) =>
      detailOf(ctx.db, updateCampaign(ctx.db, { ...input, attachmentsDir: input.attachmentsDir && checkAttachmentsFolder(ctx, input.attachmentsDir) }, ctx.clock.now())),
    'campaigns:remove': ({ campaign }) => {
      removeCampaign(ctx.db, campaign);
      return { removed: true as const };
    },
    'campaigns:send': async ({ campaign, skipUnreadableAttachments }) => {
      await assertSendable(ctx, campaign, { skipUnreadableAttachments });
      return status(ctx, sendCampaign(ctx.db, campaign, ctx.clock.now()));
    },
    'campaigns:review': (input) => reviewCampaign(ctx, input),
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
    'campaigns:reportCsv': ({ campaign, state }) => reportText(ctx.db, findCampaign(ctx.db, campaign).id, state),
    'campaigns:recipients': ({ campaign, state, search, offset, limit }) => {
      const page = outboxPage(ctx.db, findCampaign(ctx.db, campaign).id, { state, search, offset, limit });
      // What came back from each recipient's mailbox (bounce, complaint, unsubscribe), from the mailbox area.
      const feedback = feedbackOf(
        ctx.db,
        page.rows.map((r) => r.id),
      );
      return { total: page.total, rows: page.rows.map((r) => ({ ...r, feedback: feedback.get(r.id) ?? null })) };
    },
    'campaigns:attempts': ({ campaign, email }) => {
      const c = findCampaign(ctx.db, campaign);
      const found = outboxRowWithAttempts(ctx.db, c.id, email);
      if (!found) throw new PostroomError('NOT_FOUND', `${email} is not a recipient of campaign "${c.name}".`);
      return found;
    },
    'campaigns:preview': ({ campaign, recipient }) => previewCampaign(ctx, campaignOf(findCampaign(ctx.db, campaign)), recipient),
    'outbox:overview': () => {
      const now = ctx.clock.now();
      const engines = listEngines(ctx.db).map((e) => ({
        id: e.id,
        pid: e.pid,
        hostname: e.hostname,
        hostKind: e.host_kind,
        startedAt: e.started_at,
        heartbeatAt: e.heartbeat_at,
        alive: engineAlive(e, now) || (e.hostname === os.hostname() && e.pid === process.pid),
      }));
      const active = unfinishedCampaigns(ctx.db).map((c) => status(ctx, c));
      return { engines, active };
    },
  };
}
