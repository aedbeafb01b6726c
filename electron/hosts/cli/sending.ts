/** Campaign commands (../shared/spec/cli.md, "Campaigns"). */
import type { CliCommand } from './types';
import { json, table } from './output';

export const sendingCommands: CliCommand[] = [
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
