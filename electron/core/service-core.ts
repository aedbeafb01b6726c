/**
 * What every service on a data folder has, whichever areas it loads: the core's context (database, events,
 * clock, secrets), the background tasks its areas register, and what they ask to have stopped at close.
 * createService (service.ts) builds every area on it; the command line's openLazyService (lazy-service.ts) only
 * the areas its command calls.
 */
import { openDatabase } from './store/db';
import { EventBus, type EventCheck } from './events';
import { systemClock, type Clock, type CoreContext, type HostKind, type SecretBox } from './context';
import { fileSecretBox } from './secrets';
import type { FolderPicker } from './app-handlers';
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

/** Hooks an area registers to be stopped when the service closes (engines, running imports). */
export type Closer = () => Promise<void> | void;

export interface ServiceCore {
  ctx: CoreContext;
  events: EventBus;
  /** Background work (the engine, …), registered by the areas and started by the host that wants it. */
  tasks: TaskRegistry;
  /** Registers what to stop when the service closes (stopped last registered first). */
  onClose(c: Closer): void;
  /** Stops background work (engines, imports) and closes the database. */
  close(): Promise<void>;
}

/** Opens the data folder's database and the context the areas share; `check`: the event bus's payload check. */
export function openServiceCore(options: ServiceOptions, check?: EventCheck): ServiceCore {
  const db = openDatabase(options.dataDir);
  const events = new EventBus(check);
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
  const tasks = createTaskRegistry();
  let closed = false;
  return {
    ctx,
    events,
    tasks,
    onClose: (c) => closers.push(c),
    async close() {
      if (closed) return;
      closed = true;
      await tasks.stop();
      for (const c of closers.reverse()) await c();
      db.close();
    },
  };
}
