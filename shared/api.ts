/**
 * Builds `window.postroom` from the contract: one named function per request channel, plus `on` for events.
 * The preload (over Electron IPC) and the browser's WebSocket client both use it, so the renderer sees the
 * same object whichever host it runs in.
 */
import type { Channel, EventName, EventPayload, PostroomApi } from './contract';
import { CHANNELS, methodName } from './channel-names';
import type { Result } from './result';

export type Invoke = (channel: Channel, input: unknown) => Promise<Result<unknown>>;
export type Subscribe = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;

export function buildApi(invoke: Invoke, subscribe: Subscribe): PostroomApi {
  const methods: Record<string, (input: unknown) => Promise<Result<unknown>>> = {};
  for (const channel of CHANNELS) {
    methods[methodName(channel)] = (input: unknown) => invoke(channel, input ?? {});
  }
  // The mapped type can't be built key by key with its precise types; the keys and arities come from the same list.
  return Object.freeze({ ...methods, on: subscribe }) as unknown as PostroomApi;
}

/** The single IPC channel on which the main process pushes the contract's events to the window. */
export const EVENT_CHANNEL = 'postroom:event';
