/** Relay commands: relay add/list/remove/test (../shared/spec/cli.md, "Relays"). */
import type { CliCommand } from './types';
import { json, table } from './output';

export const relayCommands: CliCommand[] = [
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
];
