/**
 * The `postroom` command line (../shared/spec/cli.md is its contract). The same core as the desktop window:
 * every command goes through the contract's router against the same data folder.
 *
 * Exit codes: 0 done · 1 the operation failed (one clear line on stderr) · 2 usage error.
 */
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../core/paths';
import type { LazyService } from '../core/lazy-service';
import { VERSION } from '../core/version';
import { PostroomError } from '../../shared/errors';
import { UsageError, type CliCommandSpec, type CliContext, type CliIo, type CommandTable, type OptionSpec, type ParsedValues } from './cli/types';
import { loadedTable } from './cli/table';
import { errorAction } from './cli/review-actions';

// Only what every command needs is imported above: `--help` and `--version` load nothing else. A command's module
// (./cli/areas.ts), the service and the contract's schemas are loaded when a command runs.

const globalOptions: OptionSpec = {
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

export function globalHelp(commands: CliCommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return [
    'Postroom: mail merge through your own SMTP relay.',
    '',
    'Usage: postroom <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Global options:',
    '  --data DIR     the data folder (default: $POSTROOM_DATA, else the desktop app\'s folder)',
    '  --json         machine-readable output',
    '  --help, -h     help for postroom or a command',
    '  --version, -v  print the version',
    '',
    'Exit codes: 0 done, 1 the operation failed, 2 usage error.',
    "Run 'postroom <command> --help' for a command's options.",
  ].join('\n');
}

/** The file beside the built command line (dist/) with the answers that need no module: bin/postroom.js prints them. */
export const QUICK_ANSWERS_FILE = 'cli-quick.json';

/**
 * What `postroom --version` and `postroom --help` print, written by the build: bin/postroom.js answers those two
 * from it before it loads the command line's bundle (that load is most of what they would cost over Node's own start).
 */
export function quickAnswers(commands: CliCommandSpec[]): Record<string, string> {
  const help = globalHelp(commands);
  return { '--version': VERSION, '-v': VERSION, '--help': help, '-h': help };
}

function commandHelp(c: CliCommandSpec): string {
  const opts = Object.entries(c.options ?? {}).map(([name, o]) => {
    const arg = o.type === 'string' ? ` ${name.toUpperCase().replace(/-/g, '_')}` : '';
    return `  --${name}${arg}${o.multiple ? ' (repeatable)' : ''}`;
  });
  return [
    `Usage: postroom ${c.name} ${c.usage}`.trimEnd(),
    '',
    c.summary,
    ...(c.details ? ['', c.details] : []),
    ...(opts.length ? ['', 'Options:', ...opts] : []),
    '',
    'Global options: --data DIR, --json, --help',
  ].join('\n');
}

/** Finds the command named by the first one or two words. */
function findCommand(commands: CliCommandSpec[], words: string[]): { command: CliCommandSpec; rest: string[] } | undefined {
  const two = words.slice(0, 2).join(' ');
  const byTwo = commands.find((c) => c.name === two);
  if (byTwo) return { command: byTwo, rest: words.slice(2) };
  const byOne = commands.find((c) => c.name === words[0]);
  if (byOne) return { command: byOne, rest: words.slice(1) };
  return undefined;
}

/** Runs the command line and returns its exit code. Never throws. `table` defaults to every command module loaded. */
export async function runCli(argv: string[], io: CliIo, table?: CommandTable | Promise<CommandTable>): Promise<number> {
  let service: LazyService | undefined;
  try {
    const { specs: commands, load } = await (table ?? loadedTable());
    // The first non-option words name the command; options may come anywhere.
    const firstPass = parseArgs({ args: argv, options: globalOptions, strict: false, allowPositionals: true });
    const words = firstPass.positionals;
    if (words.length === 0) {
      if (firstPass.values.version) {
        io.out(VERSION);
        return 0;
      }
      io.out(globalHelp(commands));
      return firstPass.values.help ? 0 : 2;
    }
    const found = findCommand(commands, words);
    if (!found) {
      const group = commands.filter((c) => c.name.startsWith(`${words[0]} `));
      if (group.length) {
        const msg = `postroom ${words[0]} needs one of: ${group.map((c) => c.name.split(' ')[1]).join(', ')}.`;
        if (firstPass.values.help) {
          io.out([msg, '', ...group.map((c) => `  postroom ${c.name} ${c.usage}\n      ${c.summary}`)].join('\n'));
          return 0;
        }
        throw new UsageError(words[1] ? `Unknown command "postroom ${words[0]} ${words[1]}". ${msg}` : msg);
      }
      throw new UsageError(`Unknown command "${words[0]}". Run 'postroom --help' to see the commands.`);
    }
    const { command } = found;
    if (firstPass.values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    let parsed: { values: ParsedValues; positionals: string[] };
    try {
      parsed = parseArgs({ args: argv, options: { ...globalOptions, ...command.options }, strict: true, allowPositionals: true }) as typeof parsed;
    } catch (err) {
      throw new UsageError(`${(err as Error).message.replace(/\. To specify a positional.*$/s, '.')} Run 'postroom ${command.name} --help'.`);
    }
    const nameWords = command.name.split(' ').length;
    const positionals = parsed.positionals.slice(nameWords);
    const want = command.positionals ?? 0;
    const [min, max] = typeof want === 'number' ? [want, want] : want;
    if (positionals.length < min) throw new UsageError(`Missing argument. Usage: postroom ${command.name} ${command.usage}`);
    if (positionals.length > max) throw new UsageError(`Too many arguments ("${positionals[max]}"). Usage: postroom ${command.name} ${command.usage}`);

    const dataDir = resolveDataDir(parsed.values.data as string | undefined, io.env);
    const run = await load(command);
    run.prepare?.({ values: parsed.values, positionals, cwd: io.cwd });
    const { openLazyService } = await import('../core/lazy-service');
    const ctx: CliContext = {
      io,
      values: parsed.values,
      positionals,
      json: Boolean(parsed.values.json),
      dataDir,
      service: () => (service ??= openLazyService({ dataDir, host: 'cli' })),
      async call(channel, input) {
        const result = await ctx.service().dispatch(channel, input);
        if (!result.ok) throw new PostroomError(result.error.code, result.error.message, result.error.params);
        return result.value;
      },
    };
    const code = await run.run(ctx);
    return code ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`postroom: ${err.message}`);
      return 2;
    }
    if (err instanceof PostroomError) {
      // The core says what is wrong; this door adds the command that helps (the window adds a button).
      const action = errorAction(err.code, err.params);
      io.err(`postroom: ${err.message}${action ? ` ${action}` : ''}`);
      return 1;
    }
    io.err(`postroom: something went wrong inside Postroom: ${(err as Error)?.message ?? String(err)}. Please report this.`);
    if (io.env.POSTROOM_DEBUG) io.err(String((err as Error)?.stack));
    return 1;
  } finally {
    await service?.close();
  }
}

/** The entry point of bin/postroom.js (./cli-main.ts), with the table of the built command line. */
export async function main(table: Promise<CommandTable>): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A reader that went away (`postroom recipients Customers | head -1`): nothing more is written, and the command
  // stops as on Ctrl+C, without a stack trace.
  let readerGone = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    readerGone = true;
    stop();
  });
  const io: CliIo = {
    out: (t) => void (readerGone || process.stdout.write(t.endsWith('\n') ? t : `${t}\n`)),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    env: process.env,
    cwd: process.cwd(),
    stopSignal: controller.signal,
  };
  const code = await runCli(process.argv.slice(2), io, table);
  process.exitCode = code;
}
