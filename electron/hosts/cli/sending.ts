/** Campaign commands (../shared/spec/cli.md, "Campaigns"): create/list, preview, send, pause, resume, cancel, status, report, retry-failed. */
import path from 'node:path';
import type { CliCommand, CliContext } from './types';
import { UsageError } from './types';
import { json, shellArg, table } from './output';
import { PostroomError } from '../../../shared/result';
import type { CampaignStatus, CampaignProgress } from '../../../shared/contract/sending';
import { Engine } from '../../core/outbox/engine';

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
  };
}

function statusJson(s: CampaignStatus) {
  return { campaign: s.campaign, state: s.state, ...counts(s), rate: s.rate, pauseReason: s.pauseReason, eta: s.eta.message };
}

function statusText(s: CampaignStatus): string {
  const lines = [
    `Campaign "${s.campaign}" is ${s.state}.`,
    `  ${s.sent} sent, ${s.failed} failed, ${s.deferred} deferred (will retry), ${s.queued} queued, ${s.sending} sending` +
      (s.skipped ? `, ${s.skipped} skipped` : '') +
      (s.cancelled ? `, ${s.cancelled} cancelled` : '') +
      ` — ${s.total} in all.`,
  ];
  if (s.possibleDuplicates) lines.push(`  ${s.possibleDuplicates} may have gone twice (they were with the relay when a sending process stopped).`);
  if (s.pauseReason && (s.state === 'paused' || s.state === 'waiting')) lines.push(`  ${s.pauseReason}`);
  if (s.state === 'scheduled' && s.scheduledAt) lines.push(`  Sending starts at ${new Date(s.scheduledAt).toLocaleString()}.`);
  if (s.state === 'sending' || s.state === 'waiting') lines.push(`  ${s.eta.message}${s.rate ? ` (${s.rate}/s)` : ''}`);
  return lines.join('\n');
}

function campaignArg(ctx: CliContext): string {
  return ctx.positionals[0]!;
}

async function control(ctx: CliContext, channel: 'campaigns:pause' | 'campaigns:resume' | 'campaigns:cancel'): Promise<void> {
  const s = await ctx.call(channel, { campaign: campaignArg(ctx) });
  ctx.io.out(ctx.json ? json(statusJson(s)) : statusText(s));
}

async function follow(ctx: CliContext, first: CampaignStatus): Promise<number> {
  const service = ctx.service();
  const engine = new Engine(service.ctx, { campaignIds: [first.id] });
  let lastText = 0;
  const unsubscribe = service.events.on('campaign:progress', (p: CampaignProgress) => {
    if (p.id !== first.id) return;
    if (ctx.json) {
      ctx.io.out(json({ type: 'progress', ...counts(p), rate: p.rate, state: p.state, eta: p.eta.message }));
    } else if (Date.now() - lastText >= 1000) {
      lastText = Date.now();
      ctx.io.out(`${p.state}: ${p.sent} of ${p.total} sent, ${p.failed} failed, ${p.deferred} deferred${p.rate ? `, ${p.rate}/s` : ''}. ${p.eta.message}`);
    }
  });
  engine.start();
  let interrupted = false;
  try {
    // Pause, resume and cancel may come from another process (`postroom pause`, the desktop app): watch the state.
    for (;;) {
      const s = await ctx.call('campaigns:status', { campaign: first.id });
      if (FINISHED.has(s.state)) break;
      if (ctx.io.stopSignal.aborted) {
        interrupted = true;
        break;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 250);
        ctx.io.stopSignal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    }
  } finally {
    await engine.stop();
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

export const sendingCommands: CliCommand[] = [
  {
    name: 'campaign create',
    usage: 'NAME --list LIST --template TEMPLATE --relay RELAY[,FALLBACK...] [--at ISO-8601] [--unsubscribe mailto:ADDRESS|https://URL]',
    summary: 'Create a campaign: who gets it, what they get, which relay sends it (others take over in order).',
    options: {
      list: { type: 'string' },
      template: { type: 'string' },
      relay: { type: 'string' },
      at: { type: 'string' },
      unsubscribe: { type: 'string' },
    },
    positionals: 1,
    async run(ctx) {
      const { list, template, relay, at, unsubscribe } = ctx.values as Record<string, string | undefined>;
      if (!list) throw new UsageError('Missing --list LIST: the list the campaign is sent to.');
      if (!template) throw new UsageError('Missing --template TEMPLATE: the message the campaign sends.');
      if (!relay) throw new UsageError('Missing --relay RELAY: the relay that sends it (more, comma-separated, take over in order).');
      const relays = relay.split(',').map((r) => r.trim()).filter(Boolean);
      if (!relays.length) throw new UsageError('--relay needs at least one relay name.');
      if (unsubscribe && !/^(mailto:\S+@\S+|https:\/\/\S+)$/i.test(unsubscribe)) {
        throw new UsageError(`--unsubscribe must be mailto:ADDRESS or https://URL (got "${unsubscribe}").`);
      }
      if (at !== undefined && !Number.isFinite(Date.parse(at))) throw new UsageError(`--at "${at}" is not an ISO-8601 time (e.g. 2026-12-01T09:00:00+01:00).`);
      const c = await ctx.call('campaigns:create', { name: ctx.positionals[0]!, list, template, relays, at, unsubscribe });
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
    usage: 'CAMPAIGN [--follow]',
    summary: 'Start (or carry on) sending a campaign; with --follow, send from this process until it is done.',
    details:
      'The first send fixes the recipients and their Message-IDs. Without --follow the campaign is handed to the engine\n' +
      '(the desktop app, or another `send --follow`). Exit code with --follow: 0 completed, or paused/cancelled by a person;\n' +
      '1 when a problem that needs you stopped it (e.g. the relay refused the login).',
    options: { follow: { type: 'boolean' } },
    positionals: 1,
    async run(ctx) {
      const s = await ctx.call('campaigns:send', { campaign: campaignArg(ctx) });
      if (ctx.values.follow) return follow(ctx, s);
      if (ctx.json) ctx.io.out(json(statusJson(s)));
      else {
        const overview = await ctx.call('outbox:overview', {});
        const running = overview.engines.some((e) => e.alive && e.hostKind !== 'cli');
        ctx.io.out(
          statusText(s) +
            (running ? '' : `\nNo Postroom app is running to send it: keep the app open, or run 'postroom send ${shellArg(s.campaign)} --follow'.`),
        );
      }
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
