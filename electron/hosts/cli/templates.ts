/** Template commands: template add/list/check, preview (../shared/spec/cli.md, "Templates"). */
import type { CliCommand } from './types';
import { json, table } from './output';

export const templateCommands: CliCommand[] = [
  {
    name: 'template list',
    usage: '[--json]',
    summary: 'Show your templates.',
    async run(ctx) {
      const templates = await ctx.call('templates:list', {});
      if (ctx.json) ctx.io.out(json(templates));
      else if (templates.length === 0) ctx.io.out("No templates yet. Add one with 'postroom template add NAME --subject TEXT --from ADDRESS --html FILE'.");
      else ctx.io.out(table(['TEMPLATE', 'FORMAT', 'SUBJECT', 'FROM'], templates.map((t) => [t.name, t.format, t.subject, t.from])));
    },
  },
];
