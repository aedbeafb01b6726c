/**
 * One router for every transport. It validates each request against the contract, runs the handler,
 * and answers with a Result value. Electron's ipcMain, the WebSocket host and the in-process test harness
 * all register through it, so they run exactly the same code.
 */
import { contract, channels, type Channel, type Handlers, type Output } from './contract';
import { PostroomError, toAppError, type Result } from './result';

/** Anything that can register a request handler: Electron's ipcMain (with a sender check), a WebSocket host, a Map. */
export interface HandlerHost {
  handle(channel: Channel, fn: (input: unknown) => Promise<Result<unknown>>): void;
}

/** Validates `input` against the channel's schema and runs the handler. Never throws. */
export async function dispatch<C extends Channel>(handlers: Handlers, channel: C, input: unknown): Promise<Result<Output<C>>> {
  // Own keys only: `__proto__` or `toString` would otherwise find Object.prototype's.
  if (!isChannel(channel)) {
    const name: unknown = channel;
    return { ok: false, error: { code: 'INVALID_INPUT', message: typeof name === 'string' ? `Unknown request "${name.slice(0, 100)}".` : 'The request names no channel.' } };
  }
  const spec = contract[channel];
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? ` (${issue.path.join('.')})` : '';
    return {
      ok: false,
      error: { code: 'INVALID_INPUT', message: `The request "${channel}" was not valid${where}: ${issue?.message ?? 'bad input'}.` },
    };
  }
  try {
    const handler = handlers[channel] as (i: unknown) => Promise<Output<C>> | Output<C>;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof PostroomError)) console.error(`[postroom] ${channel} failed:`, err);
    return { ok: false, error: toAppError(err) };
  }
}

/** Registers every channel of the contract on `host`. */
export function registerContract(host: HandlerHost, handlers: Handlers): void {
  for (const channel of channels) {
    host.handle(channel, (input) => dispatch(handlers, channel, input));
  }
}

/** Is `name` a request channel of the contract? (Hosts use it before dispatching anything that came over a wire.) */
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
