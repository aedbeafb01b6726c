/**
 * Implements the contract on top of the core's modules. Every host (desktop IPC, browser WebSocket, command
 * line, tests) creates one Service per data folder and routes requests to `handlers` through shared/router.ts.
 */
import { checkEvent, type Handlers } from '../../shared/contract';
import { openDatabase } from './store/db';
import { EventBus } from './events';
import { systemClock, type Clock, type CoreContext, type HostKind, type SecretBox } from './context';
import { fileSecretBox } from './secrets';
import { appHandlers, type FolderPicker } from './app-handlers';
import { recipientsHandlers } from './import/handlers';
import { templatesHandlers } from './compose/handlers';
import { relaysHandlers } from './relay/handlers';
import { sendingHandlers } from './outbox/handlers';
import { domainsHandlers } from './compose/domains';
import { mailboxesHandlers } from './mailbox/handlers';
import { VERSION } from './version';
import { createTaskRegistry, type TaskRegistry } from './tasks';

export interface ServiceOptions {
  dataDir: string;
  host: HostKind;
  clock?: Clock;
  secrets?: SecretBox;
  /** The system's folder picker (the desktop app); without one, `app:chooseFolder` answers UNSUPPORTED. */
  chooseFolder?: FolderPicker;
  /** DNS servers for the sender-domain checks; default: env POSTROOM_DNS_SERVERS (comma-separated), else the system's. */
  dnsServers?: string[];
  /** The operating system's locale, when the host knows it (the desktop app passes Electron's app.getLocale()). */
  locale?: string;
}

export interface Service {
  ctx: CoreContext;
  handlers: Handlers;
  events: EventBus;
  /** Background work (the engine, …), registered by the areas and started by the host that wants it. */
  tasks: TaskRegistry;
  /** Stops background work (engines, imports) and closes the database. */
  close(): Promise<void>;
}

/** Hooks an area registers to be stopped when the service closes (engines, running imports). */
export type Closer = () => Promise<void> | void;

export function createService(options: ServiceOptions): Service {
  const db = openDatabase(options.dataDir);
  const events = new EventBus(checkEvent);
  const ctx: CoreContext = {
    db,
    dataDir: options.dataDir,
    events,
    clock: options.clock ?? systemClock,
    secrets: options.secrets ?? fileSecretBox(options.dataDir),
    host: options.host,
    version: VERSION,
    dnsServers: options.dnsServers ?? process.env.POSTROOM_DNS_SERVERS?.split(',').map((s) => s.trim()).filter(Boolean),
    locale: options.locale ?? null,
  };
  const closers: Closer[] = [];
  const onClose = (c: Closer) => closers.push(c);
  const tasks = createTaskRegistry();
  const handlers: Handlers = {
    ...appHandlers(ctx, options.chooseFolder),
    ...recipientsHandlers(ctx, onClose),
    ...templatesHandlers(ctx, onClose),
    ...relaysHandlers(ctx, onClose),
    ...sendingHandlers(ctx, onClose, tasks),
    ...domainsHandlers(ctx),
    ...mailboxesHandlers(ctx, tasks),
  };
  let closed = false;
  return {
    ctx,
    handlers,
    events,
    tasks,
    async close() {
      if (closed) return;
      closed = true;
      await tasks.stop();
      for (const c of closers.reverse()) await c();
      db.close();
    },
  };
}
