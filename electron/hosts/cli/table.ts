/**
 * The command table: every command's name, usage and options (what help and argument parsing need), and the loader
 * of the module that runs it. From the sources (tests) the table is every area loaded; the built command line reads
 * the same specs from dist/cli-commands.json, written by the build, so `postroom --help` loads no command module.
 */
import fs from 'node:fs';
import path from 'node:path';
import { commandAreas } from './areas';
import type { CliCommand, CliCommandSpec, CommandTable } from './types';

/** The file beside the built command line (dist/) that holds every command's spec. */
export const COMMANDS_FILE = 'cli-commands.json';

function specOf(area: string, command: CliCommand): CliCommandSpec {
  const { run: _run, prepare: _prepare, ...spec } = command;
  return { ...spec, area };
}

/** Every area loaded: the table the sources run with, and where the build takes dist/cli-commands.json from. */
export async function loadedTable(): Promise<CommandTable> {
  const areas = await Promise.all(Object.entries(commandAreas).map(async ([area, load]) => ({ area, commands: await load() })));
  const byName = new Map<string, CliCommand>();
  const specs: CliCommandSpec[] = [];
  for (const { area, commands } of areas) {
    for (const c of commands) {
      byName.set(c.name, c);
      specs.push(specOf(area, c));
    }
  }
  return { specs, load: async (spec) => byName.get(spec.name)! };
}

/** A table from specs written earlier: a command's area is loaded only when the command runs. */
export function specTable(specs: CliCommandSpec[]): CommandTable {
  return {
    specs,
    async load(spec) {
      const load = commandAreas[spec.area];
      const found = load && (await load()).find((c) => c.name === spec.name);
      if (!found) throw new Error(`the command "${spec.name}" isn't in its module any more ("${spec.area}"): rebuild with 'npm run build'`);
      return found;
    },
  };
}

/** The contents of dist/cli-commands.json. */
export async function commandsJson(): Promise<string> {
  return JSON.stringify((await loadedTable()).specs);
}

/** The table of the built command line: the specs in `dir`/cli-commands.json, else (not built by the build) every area. */
export async function builtTable(dir: string): Promise<CommandTable> {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, COMMANDS_FILE), 'utf8');
  } catch {
    return loadedTable();
  }
  return specTable(JSON.parse(text) as CliCommandSpec[]);
}
