/** A typed event bus for the contract's events. Hosts subscribe and forward them to their renderers. */
import { events as eventSchemas, type EventName, type EventPayload } from '../../shared/contract';

export type Listener<E extends EventName> = (payload: EventPayload<E>) => void;
export type AnyListener = (event: EventName, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<AnyListener>();

  /** Emits an event to every subscriber. The payload is checked against the contract in development and tests. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    if (process.env.NODE_ENV !== 'production') {
      (eventSchemas[event] as { parse(v: unknown): unknown }).parse(payload);
    }
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
