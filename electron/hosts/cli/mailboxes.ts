/** Mailbox commands: mailbox add/list/remove/test/check (../shared/spec/cli.md, "What comes back"). */
import type { CliCommand, CliContext } from './types';
import { UsageError } from './types';
import { json, table } from './output';
import type { MailboxCheckResult } from '../../../shared/contract/mailboxes';
import { PostroomError } from '../../../shared/errors';

function str(ctx: CliContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "bounces: read 13 new messages: 6 hard bounces, ..." */
export function describeResult(r: MailboxCheckResult): string {
  if (r.read === 0) return `${r.mailbox}: no new messages.`;
  const parts = [
    plural(r.bounces.hard, 'hard bounce'),
    `${r.bounces.soft} soft (temporary or delayed)`,
    plural(r.complaints, 'complaint'),
    plural(r.unsubscribes, 'unsubscribe request'),
    plural(r.autoReplies, 'auto-reply', 'auto-replies'),
    `${r.unrecognised} not recognised (left where they were, unread)`,
  ];
  let s = `${r.mailbox}: read ${plural(r.read, 'new message')}: ${parts.join(', ')}. ${plural(r.suppressed, 'address', 'addresses')} newly suppressed.`;
  for (const c of r.paused) s += `\nCampaign "${c}" paused: too many of its messages bounced. Check the list, then run 'postroom resume ${c}'.`;
  return s;
}

export const mailboxCommands: CliCommand[] = [
  {
    name: 'mailbox add',
    usage:
      'NAME --host HOST --port PORT [--security tls|starttls|none] --user USER (--password-env VAR | --oauth-from RELAY) [--folder INBOX] [--processed-folder Postroom/Processed] [--relay RELAY] [--accept-self-signed]',
    summary: 'Add an IMAP mailbox where bounces, complaints and unsubscribe requests come back (usually the sending account).',
    details: [
      'The password is never stored in plain text: --password-env VAR names an environment variable read at each check.',
      '--oauth-from RELAY logs in with the sign-in of that relay (accounts that take no password, such as Microsoft 365).',
      'Messages Postroom recognises move to the processed folder (created when missing); it never deletes mail.',
    ].join('\n'),
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      security: { type: 'string' },
      user: { type: 'string' },
      'password-env': { type: 'string' },
      'oauth-from': { type: 'string' },
      folder: { type: 'string' },
      'processed-folder': { type: 'string' },
      relay: { type: 'string' },
      'accept-self-signed': { type: 'boolean' },
    },
    positionals: 1,
    async run(ctx) {
      const host = str(ctx, 'host');
      const user = str(ctx, 'user');
      if (!host) throw new UsageError('Missing --host HOST: the IMAP server (e.g. imap.gmail.com).');
      if (!user) throw new UsageError('Missing --user USER: the mailbox login, usually its address.');
      const passwordEnv = str(ctx, 'password-env');
      const oauthFrom = str(ctx, 'oauth-from');
      if (!passwordEnv === !oauthFrom) throw new UsageError('Give one of --password-env VAR (an environment variable holding the password) or --oauth-from RELAY.');
      if (passwordEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(passwordEnv)) {
        throw new UsageError(`--password-env takes the NAME of an environment variable (e.g. IMAP_PASSWORD), not "${passwordEnv}".`);
      }
      const security = str(ctx, 'security') ?? 'tls';
      if (!['tls', 'starttls', 'none'].includes(security)) throw new UsageError(`--security must be one of tls, starttls, none, not "${security}".`);
      const portText = str(ctx, 'port');
      const port = portText === undefined ? undefined : Number(portText);
      if (port !== undefined && (!/^\d+$/.test(portText!) || port < 1 || port > 65535)) throw new UsageError(`--port must be a whole number from 1 to 65535, not "${portText}".`);
      const m = await ctx.call('mailboxes:create', {
        name: ctx.positionals[0]!,
        host,
        ...(port !== undefined ? { port } : {}),
        security: security as 'tls' | 'starttls' | 'none',
        user,
        ...(passwordEnv ? { passwordEnv } : {}),
        ...(oauthFrom ? { oauthFrom } : {}),
        ...(str(ctx, 'folder') ? { folder: str(ctx, 'folder') } : {}),
        ...(str(ctx, 'processed-folder') ? { processedFolder: str(ctx, 'processed-folder') } : {}),
        ...(str(ctx, 'relay') ? { relay: str(ctx, 'relay') } : {}),
        acceptSelfSigned: ctx.values['accept-self-signed'] === true,
      });
      ctx.io.out(ctx.json ? json(m) : `Added mailbox "${m.name}" (${m.user} at ${m.host}:${m.port}). Check it with 'postroom mailbox check ${m.name}'.`);
    },
  },
  {
    name: 'mailbox list',
    usage: '[--json]',
    summary: 'Show the mailboxes Postroom reads, when each was last checked and what came back.',
    async run(ctx) {
      const boxes = await ctx.call('mailboxes:list', {});
      if (ctx.json) ctx.io.out(json(boxes));
      else if (!boxes.length) ctx.io.out("No mailboxes yet. Add one with 'postroom mailbox add'.");
      else
        ctx.io.out(
          table(
            ['NAME', 'SERVER', 'USER', 'FOLDER', 'LAST CHECKED', 'BOUNCES', 'COMPLAINTS', 'UNSUBSCRIBES', 'PROBLEM'],
            boxes.map((b) => [
              b.name,
              `${b.host}:${b.port}`,
              b.user,
              b.folder,
              b.lastCheckedAt ? new Date(b.lastCheckedAt).toISOString().replace(/\.\d+Z$/, 'Z') : 'never',
              `${b.totals.hard} hard, ${b.totals.soft} soft`,
              b.totals.complaints,
              b.totals.unsubscribes,
              b.lastError ?? '',
            ]),
          ),
        );
    },
  },
  {
    name: 'mailbox remove',
    usage: 'NAME',
    summary: 'Stop reading a mailbox (its mail stays on the server; suppressions stay).',
    positionals: 1,
    async run(ctx) {
      const r = await ctx.call('mailboxes:remove', { mailbox: ctx.positionals[0]! });
      ctx.io.out(ctx.json ? json(r) : `Removed mailbox "${r.removed}".`);
    },
  },
  {
    name: 'mailbox test',
    usage: 'NAME',
    summary: 'Log in to a mailbox and open its folder: says exactly what failed, or ok.',
    positionals: 1,
    async run(ctx) {
      const r = await ctx.call('mailboxes:test', { mailbox: ctx.positionals[0]! });
      ctx.io.out(ctx.json ? json(r) : `ok: ${r.message}`);
    },
  },
  {
    name: 'mailbox check',
    usage: '[NAME] [--json]',
    summary: 'Read, once, the messages not read before: bounces, complaints and unsubscribes become suppressions.',
    positionals: [0, 1],
    async run(ctx) {
      const results = await ctx.call('mailboxes:check', ctx.positionals[0] ? { mailbox: ctx.positionals[0] } : {});
      if (!results.length) throw new PostroomError('NOT_FOUND', "There is no mailbox to check. Add one with 'postroom mailbox add'.");
      if (ctx.json) {
        // One mailbox: one JSON document; several: one a line (NDJSON).
        for (const r of results) ctx.io.out(json(r));
      } else for (const r of results) ctx.io.out(describeResult(r));
    },
  },
];
