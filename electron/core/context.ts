/** What every area of the core is given: the database, the data folder, the event bus, a clock, secrets. */
import type { Db } from './store/db';
import type { EventBus } from './events';

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Keeps secrets (relay passwords, OAuth tokens, DKIM keys) out of the database in plain text.
 * The desktop app backs it with Electron's safeStorage; other hosts with a key file readable only by the user.
 */
export interface SecretBox {
  /** Whether secrets can be kept at all on this host (e.g. safeStorage on a Linux without a keyring can't). */
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

export type HostKind = 'desktop' | 'browser' | 'cli' | 'test';

export interface CoreContext {
  db: Db;
  dataDir: string;
  events: EventBus;
  clock: Clock;
  secrets: SecretBox;
  host: HostKind;
  version: string;
  /** DNS servers for the sender-domain checks (`ip` or `ip:port`); the system's when absent. */
  dnsServers?: string[];
  /** The operating system's locale when the host knows it (desktop), else null: the window then asks its browser. */
  locale?: string | null;
}
