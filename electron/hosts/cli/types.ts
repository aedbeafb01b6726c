/** The shape of a `postroom` command. Each area keeps its commands in a file of its own beside this one. */
import type { ParseArgsConfig } from 'node:util';
import type { LazyService } from '../../core/lazy-service';
import type { Channel, Input, Output } from '../../../shared/contract';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type ParsedValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running commands race against it. */
  stopSignal: AbortSignal;
}

export interface CliContext {
  io: CliIo;
  values: ParsedValues;
  positionals: string[];
  json: boolean;
  dataDir: string;
  /** Opens the service on the data folder (lazily, so `--help` never touches the database); its areas load as called. */
  service(): LazyService;
  /** Calls a contract request through the same router the window uses; throws PostroomError on failure. */
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
}

export interface CliCommand {
  /** One or two words: `import`, `suppress add`. */
  name: string;
  /** The arguments after the name, for the help text: `FILE --list NAME`. */
  usage: string;
  summary: string;
  /** Extra lines for `postroom <command> --help`. */
  details?: string;
  options?: OptionSpec;
  /** Exact number of positionals, or [min, max]. */
  positionals?: number | [number, number];
  run(ctx: CliContext): Promise<number | void>;
  /**
   * Starts work that can go on beside the rest of the start-up (the service, the database and the contract's schemas
   * are loaded after it, and `run` then), e.g. a worker thread. Called once the arguments are known to be valid.
   */
  prepare?(args: { values: ParsedValues; positionals: string[]; cwd: string }): void;
}

/**
 * What help and argument parsing need of a command, without loading its module: the command less `run`, plus the
 * area (./areas.ts) whose module has it. The built command line reads these from dist/cli-commands.json.
 */
export type CliCommandSpec = Omit<CliCommand, 'run' | 'prepare'> & { area: string };

/** The commands the command line knows, and how to load the one that runs. */
export interface CommandTable {
  specs: CliCommandSpec[];
  load(spec: CliCommandSpec): Promise<CliCommand>;
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
