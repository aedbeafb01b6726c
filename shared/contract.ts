/**
 * The contract between the renderer and the core: every request and every event, each with a zod schema.
 *
 * Each area declares its channels in `shared/contract/<area>.ts`, beside its schemas, so that the people
 * working on one area don't edit each other's lines; this file is the one place that joins them, and the only
 * place the rest of the code takes channel names from. The main process validates every request against
 * these schemas (the renderer is untrusted); the preload, the WebSocket host and the in-process test harness
 * all derive from the same objects.
 */
import type { z } from 'zod';
import { appContract, appEvents } from './contract/app';
import { recipientsContract, recipientsEvents } from './contract/recipients';
import { templatesContract, templatesEvents } from './contract/templates';
import { relaysContract, relaysEvents } from './contract/relays';
import { sendingContract, sendingEvents } from './contract/sending';
import { domainsContract, domainsEvents } from './contract/domains';
import { mailboxesContract, mailboxesEvents } from './contract/mailboxes';
import type { Result } from './result';

export const contract = {
  ...appContract,
  ...recipientsContract,
  ...templatesContract,
  ...relaysContract,
  ...sendingContract,
  ...domainsContract,
  ...mailboxesContract,
} as const;

export const events = {
  ...appEvents,
  ...recipientsEvents,
  ...templatesEvents,
  ...relaysEvents,
  ...sendingEvents,
  ...domainsEvents,
  ...mailboxesEvents,
} as const;

/** Throws when an event's payload doesn't match its schema (the hosts' event bus checks with it in development). */
export function checkEvent(event: EventName, payload: unknown): void {
  (events[event] as { parse(v: unknown): unknown }).parse(payload);
}

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Events = typeof events;
export type EventName = keyof Events;

export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> = z.output<Contract[C]['output']>;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const channels = Object.keys(contract) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

/** `lists:import` → `listsImport`: the name of the function the renderer calls. */
export type MethodName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : C;

export { methodName } from './channel-names';

/**
 * What `window.postroom` is, in the desktop window (preload) and in the browser (WebSocket client):
 * one named function per request, and `on` for events, which returns its unsubscribe function.
 */
export type PostroomApi = {
  [C in Channel as MethodName<C>]: (input: Input<C>) => Promise<Result<Output<C>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** The same table, for code that wants to call by channel name (the router, the hosts). */
export type Handlers = {
  [C in Channel]: (input: ParsedInput<C>) => Promise<Output<C>> | Output<C>;
};
