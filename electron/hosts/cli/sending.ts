/** Campaign commands (../shared/spec/cli.md, "Campaigns"): create/list, preview, send, pause, resume, cancel, status, report, retry-failed. */
import path from 'node:path';
import type { CliCommand, CliContext } from './types';
import { UsageError } from './types';
import { json, shellArg, table } from './output';
import { PostroomError } from '../../../shared/errors';
import type { CampaignStatus, CampaignProgress, CampaignReview } from '../../../shared/contract/sending';
import { Engine } from '../../core/outbox/engine';
import { WarmComposeWorkers } from '../../core/outbox/compose-pool';
import { reviewAction, reviewLine } from './review-actions';
import { formatWhen, people } from '../../../shared/plan';
import { parseUnsubscribe } from '../../../shared/unsubscribe';
import { MailboxWatcher } from '../../core/mailbox/watcher';
import { mailboxChecker } from '../../core/mailbox/handlers';

const FINISHED = new Set(['completed', 'paused', 'cancelled']);

/** The counts `status --json` and the `send --follow --json` events carry (the spec's fields first, then more). */
function counts(s: CampaignStatus) {
  return {
    total: s.total,
    queued: s.queued,
    sending: s.sending,
    sent: s.sent,
    deferred: s.deferred,
    failed: s.failed,
    skipped: s.skipped,
    cancelled: s.cancelled,
    possibleDuplicates: s.possibleDuplicates,
    bounced: s.bounced,
    softBounced: s.softBounced,
    complained: s.complained,
    unsubscribed: s.unsubscribed,
  };
}

function statusJson(s: CampaignStatus) {
  return { campaign: s.campaign, state: s.state, ...counts(s), rate: s.rate, pauseReason: s.pauseReason, pauseCode: s.pauseCode, eta: s.eta.message };
}

function statusText(s: CampaignStatus): string {
  const lines = [
    `Campaign "${s.campaign}" is ${s.state}.`,
    `  ${s.sent} sent, ${s.failed} failed, ${s.deferred} deferred (will retry), ${s.queued} queued, ${s.sending} sending` +
      (s.skipped ? `, ${s.skipped} skipped` : '') +
      (s.cancelled ? `, ${s.cancelled} cancelled` : '') +
      ` — ${s.total} in all.`,
  ];
  if (s.bounced || s.softBounced || s.complained || s.unsubscribed) {
    lines.push(`  Came back: ${s.bounced} bounced, ${s.softBounced} temporary failures, ${s.complained} complaints, ${s.unsubscribed} unsubscribed.`);
  }
  if (s.possibleDuplicates) lines.push(`  ${s.possibleDuplicates} may have gone twice (they were with the relay when a sending process stopped).`);
  if (s.pauseReason && (s.state === 'paused' || s.state === 'waiting')) lines.push(`  ${s.pauseReason}`);
  if (s.state === 'scheduled' && s.scheduledAt) lines.push(`  Sending starts at ${new Date(s.scheduledAt).toLocaleString()}.`);
  if (s.state === 'sending' || s.state === 'waiting') lines.push(`  ${s.eta.message}${s.rate ? ` (${s.rate}/s)` : ''}`);
  return lines.join('\n');
}

/** `postroom send`: the core's review decides, this door prints it (warnings go on, blockers stop, each on its own line). */
async function send(ctx: CliContext, warm: WarmComposeWorkers | null): Promise<number | void> {
  const review = await ctx.call('campaigns:review', { campaign: campaignArg(ctx) });
  const skipUnreadable = ctx.values['skip-unreadable-attachments'] === true;
  let s: CampaignStatus;
  try {
    s = await ctx.call('campaigns:send', { campaign: campaignArg(ctx), ...(skipUnreadable ? { skipUnreadableAttachments: true } : {}) });
  } catch (err) {
    if (!(err instanceof PostroomError) || err.code !== 'REVIEW_BLOCKED') throw err;
    ctx.io.err(`postroom: campaign "${review.campaign}" can't be sent yet:`);
    for (const b of review.blockers) {
      if (skipUnreadable && b.code === 'ATTACHMENTS_UNREADABLE') continue;
      ctx.io.err(`postroom: ${reviewLine(b, review.campaign)}`);
    }
    return 1;
  }
  for (const w of review.warnings) ctx.io.err(`postroom: warning: ${reviewLine(w, review.campaign)}`);
  for (const b of review.blockers) if (b.code === 'ATTACHMENTS_UNREADABLE') ctx.io.err(`postroom: skipped: ${b.message}`);
  if (ctx.values.follow) return follow(ctx, s, warm);
  if (ctx.json) ctx.io.out(json(statusJson(s)));
  else {
    const overview = await ctx.call('outbox:overview', {});
    const running = overview.engines.some((e) => e.alive && e.hostKind !== 'cli');
    ctx.io.out(
      statusText(s) +
        (running ? '' : `\nNo Postroom app is running to send it: keep the app open, or run 'postroom send ${shellArg(s.campaign)} --follow'.`),
    );
  }
}

function campaignArg(ctx: CliContext): string {
  return ctx.positionals[0]!;
}

async function control(ctx: CliContext, channel: 'campaigns:pause' | 'campaigns:resume' | 'campaigns:cancel'): Promise<void> {
  const s = await ctx.call(channel, { campaign: campaignArg(ctx) });
  ctx.io.out(ctx.json ? json(statusJson(s)) : statusText(s));
}

async function follow(ctx: CliContext, first: CampaignStatus, warmWorkers: WarmComposeWorkers | null): Promise<number> {
  const service = ctx.service();
  const engine = new Engine(service.ctx, { campaignIds: [first.id], warmWorkers });
  let lastText = 0;
  let wake = () => {};
  let ended = false; // the engine said the run ended since the status was last read
  const unsubscribe = service.events.on('campaign:progress', (p: CampaignProgress) => {
    if (p.id !== first.id) return;
    if (FINISHED.has(p.state)) {
      ended = true;
      wake();
    }
    if (ctx.json) {
      ctx.io.out(json({ type: 'progress', ...counts(p), rate: p.rate, state: p.state, eta: p.eta.message }));
    } else if (Date.now() - lastText >= 1000) {
      lastText = Date.now();
      ctx.io.out(`${p.state}: ${p.sent} of ${p.total} sent, ${p.failed} failed, ${p.deferred} deferred${p.rate ? `, ${p.rate}/s` : ''}. ${p.eta.message}`);
    }
  });
  engine.start();
  // While it sends, its bounces are read every minute, so that a list that bounces heavily pauses (the desktop app
  // and `serve` do this all the time; this process only while it follows the campaign).
  const watcher = new MailboxWatcher(service.ctx, mailboxChecker(service.ctx));
  watcher.start();
  let interrupted = false;
  try {
    // Pause, resume and cancel may come from another process (`postroom pause`, the desktop app): watch the state.
    // The engine's progress says at once when its run ends; the status is read every second besides (counting a
    // big campaign's rows four times a second cost the engine's thread more than the rest of the progress output).
    for (;;) {
      ended = false;
      const s = await ctx.call('campaigns:status', { campaign: first.id });
      if (FINISHED.has(s.state)) break;
      if (ctx.io.stopSignal.aborted) {
        interrupted = true;
        break;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          ctx.io.stopSignal.removeEventListener('abort', done);
          wake = () => {};
          resolve();
        };
        wake = done;
        const t = setTimeout(done, ended ? 0 : 1000);
        ctx.io.stopSignal.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    await Promise.all([engine.stop(), watcher.stop()]);
    unsubscribe();
  }
  const last = await ctx.call('campaigns:status', { campaign: first.id });
  if (interrupted) {
    throw new PostroomError('CANCELLED', `Stopped before campaign "${last.campaign}" finished (it is ${last.state}, ${last.sent} of ${last.total} sent). Run 'postroom send ${shellArg(last.campaign)} --follow' to carry on.`);
  }
  if (ctx.json) ctx.io.out(json({ type: 'done', state: last.state, ...counts(last), rate: last.rate, pauseReason: last.pauseReason }));
  else ctx.io.out(statusText(last));
  if (last.state === 'paused' && last.pauseCode) {
    ctx.io.err(`postroom: campaign "${last.campaign}" paused: ${last.pauseReason ?? 'a problem needs you'} Then run 'postroom resume ${last.campaign}'.`);
    return 1;
  }
  return 0;
}

/** `postroom review --json`: the spec's fields, each item with the command that fixes it. */
function reviewJson(r: CampaignReview) {
  const item = (i: CampaignReview['blockers'][number]) => ({ ...i, action: reviewAction(i, r.campaign) });
  return {
    campaign: r.campaign,
    recipients: r.recipients,
    skipped: r.skipped,
    blockers: r.blockers.map(item),
    warnings: r.warnings.map(item),
    plan: r.plan ?? { perDay: [], finishesAt: null },
  };
}

function reviewText(r: CampaignReview): string {
  const lines = [
    `Campaign "${r.campaign}": ${people(r.recipients)}${r.list ? ` in "${r.list}"` : ''}${r.from ? ` from ${r.from}` : ''}${r.relay ? ` through ${r.relay}` : ''}` +
      (r.at ? `, scheduled for ${formatWhen(r.at)}` : '') +
      '.',
  ];
  if (r.skipped.suppressed) lines.push(`  ${people(r.skipped.suppressed)} skipped: on the suppression list.`);
  if (r.plan?.perDay.length) {
    lines.push(`  Plan: ${r.plan.perDay.map((d) => `${d.date} ${d.messages.toLocaleString('en-US')}`).join(', ')}` + (r.plan.finishesAt ? `; done about ${formatWhen(Date.parse(r.plan.finishesAt))}.` : '.'));
  }
  if (r.blockers.length) lines.push('', "Blockers (it can't be sent until these are fixed):", ...r.blockers.map((b) => `  - ${reviewLine(b, r.campaign)}`));
  if (r.warnings.length) lines.push('', 'Warnings:', ...r.warnings.map((w) => `  - ${reviewLine(w, r.campaign)}`));
  if (!r.blockers.length) lines.push('', `Ready to send: 'postroom send ${shellArg(r.campaign)} --follow'.`);
  return lines.join('\n');
}

export const sendingCommands: CliCommand[] = [
  {
    name: 'campaign create',
    usage:
      'NAME --list LIST --template TEMPLATE --relay RELAY[,FALLBACK...] [--at ISO-8601] [--unsubscribe mailto:ADDRESS|https://URL]... [--pause-on-bounces PERCENT] [--attachments-dir DIR]',
    details: [
      '--unsubscribe may be given twice: once mailto: (Postroom reads the requests from the mailbox) and once https:// (one click).',
      'Merge fields work in both ({{ email }}); they are checked by rendering. --pause-on-bounces (default 5%) pauses the',
      'campaign when that share of what it sent comes back as hard bounces, counted once 50 have gone.',
      "--attachments-dir DIR: the folder per-recipient attachments are read from (default: the template's folder, else",
      'the folder of the spreadsheet the list was imported from). Files outside it are refused.',
    ].join('\n'),
    summary: 'Create a campaign: who gets it, what they get, which relay sends it (others take over in order).',
    options: {
      'attachments-dir': { type: 'string' },
      list: { type: 'string' },
      template: { type: 'string' },
      relay: { type: 'string' },
      at: { type: 'string' },
      unsubscribe: { type: 'string', multiple: true },
      'pause-on-bounces': { type: 'string' },
    },
    positionals: 1,
    async run(ctx) {
      const { list, template, relay, at } = ctx.values as Record<string, string | undefined>;
      const unsubscribe = ctx.values.unsubscribe as string[] | undefined;
      const bounces = ctx.values['pause-on-bounces'] as string | undefined;
      if (!list) throw new UsageError('Missing --list LIST: the list the campaign is sent to.');
      if (!template) throw new UsageError('Missing --template TEMPLATE: the message the campaign sends.');
      if (!relay) throw new UsageError('Missing --relay RELAY: the relay that sends it (more, comma-separated, take over in order).');
      const relays = relay.split(',').map((r) => r.trim()).filter(Boolean);
      if (!relays.length) throw new UsageError('--relay needs at least one relay name.');
      const parsed = parseUnsubscribe(unsubscribe);
      if (!parsed.ok) throw new UsageError(`--unsubscribe: ${parsed.error}.`);
      const percent = bounces === undefined ? undefined : Number(bounces.trim().replace(/\s*%$/, ''));
      if (percent !== undefined && (!/^\d+(\.\d+)?\s*%?$/.test(bounces!.trim()) || percent > 100)) {
        throw new UsageError(`--pause-on-bounces takes a share from 0% to 100% (e.g. 5%), not "${bounces}".`);
      }
      if (at !== undefined && !Number.isFinite(Date.parse(at))) throw new UsageError(`--at "${at}" is not an ISO-8601 time (e.g. 2026-12-01T09:00:00+01:00).`);
      const dir = ctx.values['attachments-dir'] as string | undefined;
      const attachmentsDir = dir === undefined ? undefined : path.resolve(ctx.io.cwd, dir);
      const c = await ctx.call('campaigns:create', {
        name: ctx.positionals[0]!,
        list,
        template,
        relays,
        at,
        attachmentsDir,
        ...(unsubscribe?.length ? { unsubscribe } : {}),
        ...(percent !== undefined ? { pauseOnBounces: percent } : {}),
      });
      if (ctx.json) ctx.io.out(json(c));
      else
        ctx.io.out(
          `Created campaign "${c.name}": list ${c.listName}, template ${c.templateName}, relay ${c.relayNames.join(' then ')}` +
            (c.scheduledAt ? `, from ${new Date(c.scheduledAt).toLocaleString()}` : '') +
            `.\nSend it with 'postroom send ${shellArg(c.name)} --follow'.`,
        );
    },
  },
  {
    name: 'campaign list',
    usage: '[--json]',
    summary: 'Show your campaigns and how far each has got.',
    async run(ctx) {
      const campaigns = await ctx.call('campaigns:list', {});
      if (ctx.json) ctx.io.out(json(campaigns));
      else if (campaigns.length === 0) ctx.io.out("No campaigns yet. Create one with 'postroom campaign create NAME --list LIST --template TEMPLATE --relay RELAY'.");
      else ctx.io.out(table(['CAMPAIGN', 'STATE', 'LIST', 'TEMPLATE', 'SENT', 'FAILED', 'TOTAL'], campaigns.map((c) => [c.name, c.state, c.listName, c.templateName, c.sent, c.failed, c.total])));
    },
  },
  {
    name: 'campaign remove',
    usage: 'CAMPAIGN',
    summary: 'Delete a campaign and its outbox (not while it is sending).',
    positionals: 1,
    async run(ctx) {
      await ctx.call('campaigns:remove', { campaign: campaignArg(ctx) });
      ctx.io.out(ctx.json ? json({ removed: campaignArg(ctx) }) : `Deleted campaign "${campaignArg(ctx)}".`);
    },
  },
  {
    name: 'campaign log',
    usage: 'CAMPAIGN --recipient EMAIL [--json]',
    summary: "Every attempt for one recipient: when, through which relay, what happened, the server's words.",
    options: { recipient: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const email = ctx.values.recipient as string | undefined;
      if (!email) throw new UsageError('Missing --recipient EMAIL.');
      const r = await ctx.call('campaigns:attempts', { campaign: campaignArg(ctx), email });
      if (ctx.json) ctx.io.out(json(r));
      else {
        ctx.io.out(`${r.row.email}: ${r.row.state}, ${r.row.attempts} attempt(s), Message-ID ${r.row.messageId}${r.row.possibleDuplicate ? ' (may have gone twice)' : ''}`);
        if (r.attempts.length) ctx.io.out(table(['TIME', 'RELAY', 'OUTCOME', 'REPLY'], r.attempts.map((a) => [new Date(a.at).toISOString(), a.relay, a.outcome, a.response])));
      }
    },
  },
  {
    name: 'preview',
    usage: 'CAMPAIGN --recipient EMAIL [--raw]',
    summary: 'Show the message exactly as it would be sent to one recipient.',
    options: { recipient: { type: 'string' }, raw: { type: 'boolean' } },
    positionals: 1,
    async run(ctx) {
      const email = ctx.values.recipient as string | undefined;
      if (!email) throw new UsageError('Missing --recipient EMAIL: whose message to show.');
      const p = await ctx.call('campaigns:preview', { campaign: campaignArg(ctx), recipient: email });
      if (ctx.values.raw) ctx.io.out(p.raw);
      else if (ctx.json) ctx.io.out(json(p));
      else {
        const end = p.raw.search(/\r?\n\r?\n/);
        ctx.io.out(`${end >= 0 ? p.raw.slice(0, end) : p.raw}\n\n(${Buffer.byteLength(p.raw)} bytes; --raw prints the whole message.)`);
      }
    },
  },
  {
    name: 'send',
    usage: 'CAMPAIGN [--follow] [--skip-unreadable-attachments]',
    summary: 'Start (or carry on) sending a campaign; with --follow, send from this process until it is done.',
    details:
      'The first send fixes the recipients and their Message-IDs. Without --follow the campaign is handed to the engine\n' +
      '(the desktop app, or another `send --follow`). Exit code with --follow: 0 completed, or paused/cancelled by a person;\n' +
      '1 when a problem that needs you stopped it (e.g. the relay refused the login).\n' +
      "--skip-unreadable-attachments: send to everyone else when some recipients' files can't be read (they are skipped).",
    options: { follow: { type: 'boolean' }, 'skip-unreadable-attachments': { type: 'boolean' } },
    positionals: 1,
    async run(ctx) {
      // With --follow this process sends: its compose workers start now, while the campaign is reviewed and its
      // recipients are fixed, rather than after.
      const warm = ctx.values.follow ? new WarmComposeWorkers(ctx.service().ctx) : null;
      try {
        return await send(ctx, warm);
      } finally {
        await warm?.close();
      }
    },
  },
  {
    name: 'review',
    usage: 'CAMPAIGN [--json]',
    summary: 'The review before sending: what blocks it, what to know, and how long it takes at the relay\'s limits.',
    details: 'The same review the window shows before its Send button. Exit code 1 when something blocks the campaign.',
    positionals: 1,
    async run(ctx) {
      const r = await ctx.call('campaigns:review', { campaign: campaignArg(ctx) });
      ctx.io.out(ctx.json ? json(reviewJson(r)) : reviewText(r));
      if (r.blockers.length === 0) return 0;
      ctx.io.err(`postroom: campaign "${r.campaign}" can't be sent until ${r.blockers.length === 1 ? 'its blocker is' : `its ${r.blockers.length} blockers are`} fixed.`);
      return 1;
    },
  },
  {
    name: 'pause',
    usage: 'CAMPAIGN',
    summary: 'Pause a campaign (within a second; messages with the relay finish).',
    positionals: 1,
    run: (ctx) => control(ctx, 'campaigns:pause'),
  },
  {
    name: 'resume',
    usage: 'CAMPAIGN',
    summary: 'Clear a pause; sending goes on wherever an engine runs.',
    positionals: 1,
    run: (ctx) => control(ctx, 'campaigns:resume'),
  },
  {
    name: 'cancel',
    usage: 'CAMPAIGN',
    summary: 'Stop a campaign for good; recipients not yet sent are marked cancelled.',
    positionals: 1,
    run: (ctx) => control(ctx, 'campaigns:cancel'),
  },
  {
    name: 'status',
    usage: 'CAMPAIGN [--json]',
    summary: 'Where a campaign is: its state and how many recipients are in each state.',
    positionals: 1,
    async run(ctx) {
      const s = await ctx.call('campaigns:status', { campaign: campaignArg(ctx) });
      ctx.io.out(ctx.json ? json(statusJson(s)) : statusText(s));
    },
  },
  {
    name: 'report',
    usage: 'CAMPAIGN --csv FILE',
    summary: 'Write one row per recipient (email, state, attempts, last response, sent at, Message-ID) as CSV.',
    options: { csv: { type: 'string' } },
    positionals: 1,
    async run(ctx) {
      const file = ctx.values.csv as string | undefined;
      if (!file) throw new UsageError('Missing --csv FILE: where to write the report.');
      const r = await ctx.call('campaigns:report', { campaign: campaignArg(ctx), file: path.resolve(ctx.io.cwd, file) });
      ctx.io.out(ctx.json ? json(r) : `Wrote ${r.rows} recipient(s) to ${r.file}.`);
    },
  },
  {
    name: 'retry-failed',
    usage: 'CAMPAIGN',
    summary: 'Put the failed recipients of a campaign back in the queue.',
    positionals: 1,
    async run(ctx) {
      const r = await ctx.call('campaigns:retryFailed', { campaign: campaignArg(ctx) });
      ctx.io.out(ctx.json ? json({ ...statusJson(r), requeued: r.requeued }) : `${r.requeued} failed recipient(s) back in the queue.\n${statusText(r)}`);
    },
  },
];
