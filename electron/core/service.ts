/**
 * Implements the contract on top of the core's modules. Every host (desktop IPC, browser WebSocket, command
 * line, tests) creates one Service per data folder and routes requests to `handlers` through shared/router.ts.
 */
import type { Handlers } from '../../shared/contract';
import { openDatabase } from './store/db';
import { EventBus } from './events';
import { systemClock, type Clock, type CoreContext, type HostKind, type SecretBox } from './context';
import { fileSecretBox } from './secrets';
import { appHandlers } from './app-handlers';
import { recipientsHandlers } from './import/handlers';
import { templatesHandlers } from './compose/handlers';
import { relaysHandlers } from './relay/handlers';
import { sendingHandlers } from './outbox/handlers';
import { VERSION } from './version';

export interface ServiceOptions {
  dataDir: string;
  host: HostKind;
  clock?: Clock;
  secrets?: SecretBox;
}

export interface Service {
  ctx: CoreContext;
  handlers: Handlers;
  events: EventBus;
  /** Stops background work (engines, imports) and closes the database. */
  close(): Promise<void>;
}

/** Hooks an area registers to be stopped when the service closes (engines, running imports). */
export type Closer = () => Promise<void> | void;

export function createService(options: ServiceOptions): Service {
  const db = openDatabase(options.dataDir);
  const events = new EventBus();
  const ctx: CoreContext = {
    db,
    dataDir: options.dataDir,
    events,
    clock: options.clock ?? systemClock,
    secrets: options.secrets ?? fileSecretBox(options.dataDir),
    host: options.host,
    version: VERSION,
  };
  const closers: Closer[] = [];
  const onClose = (c: Closer) => closers.push(c);
  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...recipientsHandlers(ctx, onClose),
    ...templatesHandlers(ctx, onClose),
    ...relaysHandlers(ctx, onClose),
    ...sendingHandlers(ctx, onClose),
  };
  let closed = false;
  return {
    ctx,
    handlers,
    events,
    async close() {
      if (closed) return;
      closed = true;
      for (const c of closers.reverse()) await c();
      db.close();
    },
  };
}
