/**
 * One router for every transport. It validates each request against the contract, runs the handler,
 * and answers with a Result value. Electron's ipcMain, the WebSocket host and the in-process test harness
 * all register through it, so they run exactly the same code.
 */
import { contract, channels, type Channel, type Handlers, type Output } from './contract';
import type { Result } from './result';
import { answer, unknownChannel } from './dispatch';

/** Anything that can register a request handler: Electron's ipcMain (with a sender check), a WebSocket host, a Map. */
export interface HandlerHost {
  handle(channel: Channel, fn: (input: unknown) => Promise<Result<unknown>>): void;
}

/** Validates `input` against the channel's schema and runs the handler. Never throws. */
export async function dispatch<C extends Channel>(handlers: Handlers, channel: C, input: unknown): Promise<Result<Output<C>>> {
  // Own keys only: `__proto__` or `toString` would otherwise find Object.prototype's.
  if (!isChannel(channel)) return unknownChannel(channel);
  return answer(channel, contract[channel], handlers[channel] as (i: unknown) => unknown, input) as Promise<Result<Output<C>>>;
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
