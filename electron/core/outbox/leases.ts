/**
 * Who may work on which outbox rows. Each running engine registers itself (id, pid, host name) and beats its
 * heart; a row's lease names the engine holding it and runs out unless the heartbeat extends it. An engine that
 * died is noticed promptly: on the same computer by its pid no longer running, elsewhere by a stale heartbeat.
 * Its rows are then taken back (in-flight ones marked possibly duplicated, see state.ts).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from '../store/db';
import { recoverExpired, recoverOwner, extendLeases } from './state';

/** How long a lease lasts without a heartbeat. */
export const LEASE_MS = 15_000;
/** How often a live engine beats. */
export const HEARTBEAT_MS = 1_000;
/** A heartbeat older than this means an engine on another computer is gone. */
export const STALE_MS = 10_000;
/**
 * On this computer the pid says whether the engine runs; only a heartbeat this old overrules it (the pid was
 * reused by another program). A process that slept with the laptop keeps its rows meanwhile.
 */
export const PID_REUSE_MS = 10 * 60_000;

export interface EngineRow {
  id: string;
  pid: number;
  hostname: string;
  host_kind: string;
  started_at: number;
  heartbeat_at: number;
}

export function newEngineId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
}

/** Adds this engine to the registry. */
export function registerEngine(db: Db, id: string, hostKind: string, now: number): void {
  db.prepare(`INSERT OR REPLACE INTO engines (id, pid, hostname, host_kind, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)`).run(
    id,
    process.pid,
    os.hostname(),
    hostKind,
    now,
    now,
  );
}

/** The heartbeat: refreshes the registry entry and every lease the engine holds. */
export function heartbeat(db: Db, id: string, now: number): void {
  db.transaction(() => {
    db.prepare(`UPDATE engines SET heartbeat_at = ? WHERE id = ?`).run(now, id);
    extendLeases(db, id, now + LEASE_MS);
  }).immediate();
}

/** Removes this engine from the registry, giving back what it holds (it has nothing in flight when it stops cleanly). */
export function unregisterEngine(db: Db, id: string, now: number): void {
  db.transaction(() => {
    recoverOwner(db, id, now);
    db.prepare(`DELETE FROM engines WHERE id = ?`).run(id);
  }).immediate();
}

/** Is a process with this pid running on this computer? */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a registered engine is still alive, as far as this process can tell. */
export function engineAlive(e: EngineRow, now: number): boolean {
  if (e.hostname === os.hostname()) return pidAlive(e.pid) && now - e.heartbeat_at <= PID_REUSE_MS;
  return now - e.heartbeat_at <= STALE_MS;
}

/**
 * Takes back the rows of every engine that died, and of rows whose lease ran out. Returns how many in-flight rows
 * were put back in the queue as possibly duplicated.
 */
/** Every engine registered on this data folder, oldest first. */
export function listEngines(db: Db): EngineRow[] {
  return db.prepare(`SELECT * FROM engines ORDER BY started_at`).all() as EngineRow[];
}

export function reapDeadEngines(db: Db, now: number, selfId?: string): number {
  const engines = db.prepare(`SELECT * FROM engines`).all() as EngineRow[];
  const dead = engines.filter((e) => e.id !== selfId && !engineAlive(e, now));
  const alive = new Set(engines.filter((e) => e.id === selfId || engineAlive(e, now)).map((e) => e.id));
  if (selfId) alive.add(selfId);
  // Leases held by an owner not in the registry at all (its entry was reaped by someone else) run out by time.
  const expired = (
    db.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'sending' AND lease_until < ? AND (lease_owner IS NULL OR lease_owner NOT IN (SELECT id FROM engines))`).get(now) as { n: number }
  ).n;
  const orphans = db
    .prepare(`SELECT DISTINCT lease_owner AS owner FROM outbox WHERE lease_owner IS NOT NULL AND lease_owner NOT IN (SELECT id FROM engines)`)
    .all() as Array<{ owner: string }>;
  const orphanDead = orphans.filter((o) => o.owner !== selfId && ownerDeadByName(o.owner));
  if (dead.length === 0 && expired === 0 && orphanDead.length === 0) return 0;
  return db
    .transaction(() => {
      let n = 0;
      for (const e of dead) {
        n += recoverOwner(db, e.id, now);
        db.prepare(`DELETE FROM engines WHERE id = ?`).run(e.id);
      }
      for (const o of orphanDead) n += recoverOwner(db, o.owner, now);
      n += recoverExpired(db, now, alive);
      return n;
    })
    .immediate();
}

/** Engine ids carry host name and pid: an owner missing from the registry on this computer whose pid is gone is dead. */
function ownerDeadByName(owner: string): boolean {
  const [host, pid] = owner.split(':');
  return host === os.hostname() && !pidAlive(Number(pid));
}
