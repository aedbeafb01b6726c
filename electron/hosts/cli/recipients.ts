/** Recipient commands: import, lists, recipients, suppress (../shared/spec/cli.md, "Recipients"). */
import type { CliCommand } from './types';
import { json, table } from './output';

export const recipientCommands: CliCommand[] = [
  {
    name: 'lists',
    usage: '[--json]',
    summary: 'Show your recipient lists with their counts and merge fields.',
    async run(ctx) {
      const lists = await ctx.call('lists:list', {});
      if (ctx.json) {
        ctx.io.out(json(lists.map((l) => ({ name: l.name, recipients: l.recipients, fields: l.fields }))));
      } else if (lists.length === 0) {
        ctx.io.out("No lists yet. Import a spreadsheet with 'postroom import FILE --list NAME'.");
      } else {
        ctx.io.out(table(['LIST', 'RECIPIENTS', 'FIELDS'], lists.map((l) => [l.name, l.recipients, l.fields.join(', ')])));
      }
    },
  },
];
