/** Relay and campaign commands (../shared/spec/cli.md, "Relays" and "Campaigns"). */
import type { CliCommand } from './types';
import { json, table } from './output';

export const sendingCommands: CliCommand[] = [
  {
    name: 'relay list',
    usage: '[--json]',
    summary: 'Show your relays (the accounts or servers your mail is sent through).',
    async run(ctx) {
      const relays = await ctx.call('relays:list', {});
      if (ctx.json) ctx.io.out(json(relays));
      else if (relays.length === 0) ctx.io.out("No relays yet. Add one with 'postroom relay add NAME --host HOST --port PORT'.");
      else ctx.io.out(table(['RELAY', 'HOST', 'PORT', 'SECURITY', 'USER'], relays.map((r) => [r.name, r.host, r.port, r.security, r.user])));
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
];
