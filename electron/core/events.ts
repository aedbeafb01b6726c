/**
 * A typed event bus for the contract's events. Hosts subscribe and forward them to their renderers.
 *
 * The check of payloads against the contract is given to the bus (checkEvent, shared/contract.ts) rather than
 * imported here: a compose worker's context needs a bus too, and loading zod and every schema for it cost the
 * worker ~0.1 s of its start, which a send waits for.
 */
import type { EventName, EventPayload } from '../../shared/contract';

export type Listener<E extends EventName> = (payload: EventPayload<E>) => void;
export type AnyListener = (event: EventName, payload: unknown) => void;
/** Throws when a payload doesn't match its event's schema. */
export type EventCheck = (event: EventName, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<AnyListener>();

  /** `check`: what payloads are checked with, in development and tests (the hosts' bus: checkEvent). */
  constructor(private readonly check?: EventCheck) {}

  /** Emits an event to every subscriber. The payload is checked against the contract in development and tests. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    if (this.check && process.env.NODE_ENV !== 'production') this.check(event, payload);
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch (err) {
        console.error('[postroom] event listener failed:', err);
      }
    }
  }

  /** Receives every event; returns the unsubscribe function. */
  onAny(listener: AnyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Receives one kind of event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    return this.onAny((name, payload) => {
      if (name === event) listener(payload as EventPayload<E>);
    });
  }
}
