/**
 * Every area of the command line, each a module of commands, and how to load it. A module is loaded only when one of
 * its commands runs (or its help is shown from the sources): `postroom --help` and `--version` load none, so a module
 * may import whatever its commands need. To add commands, add them to an area's list, or add an area here with its
 * loader; the build writes every command's name, usage and options to dist/cli-commands.json (./table.ts).
 * The order here is the order of `postroom --help`.
 */
import type { CliCommand } from './types';

export const commandAreas: Record<string, () => Promise<CliCommand[]>> = {
  app: async () => (await import('./app')).appCommands,
  recipients: async () => (await import('./recipients')).recipientCommands,
  templates: async () => (await import('./templates')).templateCommands,
  relays: async () => (await import('./relays')).relayCommands,
  sending: async () => (await import('./sending')).sendingCommands,
  mailboxes: async () => (await import('./mailboxes')).mailboxCommands,
};
