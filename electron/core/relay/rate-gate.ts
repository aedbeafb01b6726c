/**
 * Pacing that never overshoots, as the relay sees it, shared by every connection, campaign and process.
 *
 * The ledger (`relay_sends`, SQLite) has one row per message handed to a relay. A row's `seen_by` is the latest
 * moment the relay can have received that message: the send's deadline while it is under way, the moment the
 * relay answered once it has. A slot is reserved, inside an IMMEDIATE transaction, before the message is
 * handed over, and only while fewer than N rows have `seen_by` within the last window W.
 *
 * Why that is enough: take any window [a, a+W) of the relay's clock and the last-reserved message m in it,
 * reserved at r_m. Every other message i in the window reached the relay at s_i ≥ a > s_m − W ≥ r_m − W, and
 * it was seen no later than seen_by_i, so seen_by_i > r_m − W when m was reserved (or i was still under way,
 * its seen_by in the future). So m's check counted every one of them: the window holds at most N. This holds
 * however the network delays, bunches or reorders the messages, across processes, and across restarts
 * (the ledger is on disk: today's count survives). While a send is under way its `seen_by` is a lease this
 * process renews; a process killed mid-send stops renewing, and its rows free themselves within the lease.
 *
 * Steady use: the (k)th send waits for the (k−N)th answer + W, so a relay answering in L ms gets N per (W + L):
 * 99 % of a per-second limit at 10 ms, more for longer windows. Per-second and per-minute limits are also
 * spread out (at most one send every ¾·W/N), so a window's allowance never goes out in one burst.
 */
import type { CoreContext } from '../context';
import { relayLimitsChanges, type RelayProfile } from './profiles';
import type { SmtpOutcome } from './classify';
import type { RelayQuota } from '../../../shared/contract/relays';
import { PostroomError } from '../../../shared/errors';

export type { RelayQuota };
export type LimitWindow = 'second' | 'minute' | 'hour' | 'day';

const WINDOW_MS: Record<LimitWindow, number> = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const DAY = WINDOW_MS.day;
const SPREAD = 0.75;
/** How long the check before a reservation may go on a relay's limits as read (see limitedRecently). */
const LIMITS_FRESH_MS = 250;

/** A reserved send. pool.send(msg, slot) settles it; settle it yourself if you don't send after all. */
export interface SendSlot {
  /** The outcome of the send: the relay saw the message (its answer time is recorded) or never got it (the slot is freed). */
  settle(outcome: SmtpOutcome): void;
  /** The message was never handed over (cancelled, paused before sending): frees the slot. */
  release(): void;
  readonly settled: boolean;
}

export type Reservation =
  | { ok: true; slot: SendSlot }
  | {
      ok: false;
      /** How long until a slot can free up (a lower bound when sends are still under way: ask again then). */
      waitMs: number;
      /** Which limit holds it back (`gap`: the even spacing of a per-second/minute limit, or a throttle's gap). */
      reason: LimitWindow | 'gap';
      /** In a person's words: "The daily limit of 500 is used up (500 in the last 24 hours)." */
      message: string;
    };

export interface RateGate {
  /**
   * Reserve one send slot now if every window of the relay's limits allows it (and `minGapMs` has passed since
   * the last send, e.g. the throttle controller's gap); otherwise how long to wait. Durable and shared across
   * processes and campaigns. `recipients`: how many recipients the message counts for (default 1).
   */
  tryReserve(opts?: { recipients?: number; minGapMs?: number }): Reservation;
  /** Recipients handed to the relay in the last 24 hours (rolling), by every process. */
  usedToday(): number;
  /** usedToday, the daily limit and when the next slot of it frees. */
  quota(): RelayQuota;
  /** Writes what is buffered (answers, counts of relays without limits) and stops renewing leases. Call when the engine stops. */
  close(): void;
}

export interface RateGateOptions {
  /**
   * A send under way holds its row as "maybe seen until now + leaseMs", renewed every leaseMs/3 while this
   * process lives. A process killed mid-send stops renewing, so its rows free themselves within leaseMs
   * (by then its sockets are long closed: the relay can't receive that message any more). Default 30 s.
   */
  leaseMs?: number;
}

interface LimitRow {
  per_second: number | null;
  per_minute: number | null;
  per_hour: number | null;
  per_day: number | null;
}

/** The durable pacing ledger of one relay. One per relay per process is enough; more are harmless. */
export function rateGate(ctx: CoreContext, profile: RelayProfile, options: RateGateOptions = {}): RateGate {
  const db = ctx.db;
  const relayId = profile.id;
  const lease = options.leaseMs ?? 30_000;
  // Whole milliseconds: the ledger's columns are integers (a test clock may tick in fractions).
  const clockNow = () => Math.floor(ctx.clock.now());
  const limitsOf = db.prepare(`SELECT per_second, per_minute, per_hour, per_day FROM relays WHERE id = ?`);
  const sumSince = db.prepare(`SELECT coalesce(sum(n), 0) AS used FROM relay_sends WHERE relay_id = ? AND seen_by > ?`);
  const oldestSince = db.prepare(`SELECT seen_by, n FROM relay_sends WHERE relay_id = ? AND seen_by > ? ORDER BY seen_by`);
  const lastAt = db.prepare(`SELECT max(at) AS last FROM relay_sends WHERE relay_id = ?`);
  const insert = db.prepare(`INSERT INTO relay_sends (relay_id, at, seen_by, n) VALUES (?, ?, ?, ?)`);
  const markSeen = db.prepare(`UPDATE relay_sends SET seen_by = min(seen_by, ?) WHERE id = ?`);
  const free = db.prepare(`DELETE FROM relay_sends WHERE id = ?`);
  const prune = db.prepare(`DELETE FROM relay_sends WHERE relay_id = ? AND seen_by < ?`);

  // Relays without any limit aren't paced, so their sends needn't cost a synchronous commit each: counts are
  // buffered here and written at most once a second (only the "today" figure depends on them), as one row stamped
  // with the latest send's time: a row a message came to 20,000 rows for 20,000 messages, each summed again by every
  // progress update. (Stamped late, the sends leave the windows a little late, never early: a limit given to the
  // relay later is never overshot because of them.)
  let buffered = { n: 0, at: 0 };
  let bufferedSince = 0;
  let lastPrune = -Infinity;
  // In-memory gap for unlimited relays under a throttle gap (no ledger rows to look at).
  let lastLocalAt = -Infinity;

  const flush = () => {
    if (!buffered.n) return;
    const { n, at } = buffered;
    buffered = { n: 0, at: 0 };
    db.transaction(() => {
      insert.run(relayId, at, at, n);
      pruneNow(clockNow());
    })();
  };
  /** Rows older than the longest window are no use to anyone: drop them (at most once a minute). */
  function pruneNow(now: number) {
    if (now - lastPrune < 60_000) return;
    prune.run(relayId, now - DAY - lease);
    lastPrune = now;
  }
  const maybeFlush = (now: number) => {
    if (buffered.n && now - bufferedSince >= 1_000) flush();
  };

  const limitsNow = (): LimitRow => {
    const row = limitsOf.get(relayId) as LimitRow | undefined;
    if (!row) throw new PostroomError('NOT_FOUND', `The relay "${profile.name}" was removed while it was in use.`);
    return row;
  };
  // The check that decides, before each reservation, whether the relay has limits at all goes on limits read at
  // most LIMITS_FRESH_MS ago: read outside a transaction, each read cost a read transaction of its own (~15 µs of the
  // engine's thread a message, 3-4 % of a fast send through a relay without limits). A change made in this process
  // counts at once (relayLimitsChanges); one made by another process within LIMITS_FRESH_MS, well inside the second
  // for which a relay without limits already buffers its counts. A relay with limits is read again inside the
  // reservation's transaction, as always.
  let known: { limited: boolean; at: number; changes: number } | undefined;
  const limitedRecently = (): boolean => {
    const now = performance.now();
    const changes = relayLimitsChanges();
    if (!known || now - known.at >= LIMITS_FRESH_MS || known.changes !== changes) known = { limited: activeOf(limitsNow()).length > 0, at: now, changes };
    return known.limited;
  };

  // Answers recorded in memory and written with the next reservation's commit (or within 100 ms), so a paced send
  // costs one synchronous commit, not two. Until written, the row keeps its deadline: later than the truth, so
  // other processes only ever see a stricter ledger; this process applies them before it decides anything.
  const answered = new Map<number, number | 'free'>();
  let answerTimer: NodeJS.Timeout | undefined;
  const applyAnswers = () => {
    for (const [id, at] of answered) {
      if (at === 'free') free.run(id);
      else markSeen.run(at, id);
    }
    answered.clear();
  };
  const writeAnswers = () => {
    clearTimeout(answerTimer);
    answerTimer = undefined;
    if (answered.size && db.open) db.transaction(applyAnswers)();
  };
  // Sends under way: their rows' leases are renewed while this process lives.
  const inFlight = new Set<number>();
  let renewTimer: NodeJS.Timeout | undefined;
  const renew = db.prepare(`UPDATE relay_sends SET seen_by = max(seen_by, ?) WHERE id = ?`);
  const renewLeases = () => {
    if (!inFlight.size || !db.open) {
      clearInterval(renewTimer);
      renewTimer = undefined;
      return;
    }
    const until = clockNow() + lease;
    try {
      db.transaction(() => {
        for (const id of inFlight) renew.run(until, id);
      })();
    } catch (err) {
      console.error('[postroom] could not renew the pacing ledger’s leases:', err);
    }
  };
  const track = (id: number) => {
    inFlight.add(id);
    if (!renewTimer) {
      renewTimer = setInterval(renewLeases, Math.max(10, Math.floor(lease / 3)));
      renewTimer.unref?.();
    }
  };

  const answer = (id: number, at: number | 'free') => {
    inFlight.delete(id);
    answered.set(id, at);
    if (!answerTimer) {
      answerTimer = setTimeout(writeAnswers, 100);
      answerTimer.unref?.();
    }
  };

  function ledgerSlot(id: number): SendSlot {
    let settled = false;
    track(id);
    return {
      get settled() {
        return settled;
      },
      settle(outcome) {
        if (settled) return;
        settled = true;
        answer(id, handedOver(outcome) ? clockNow() : 'free');
      },
      release() {
        if (settled) return;
        settled = true;
        answer(id, 'free');
      },
    };
  }

  function countedSlot(n: number): SendSlot {
    let settled = false;
    return {
      get settled() {
        return settled;
      },
      settle(outcome) {
        if (settled) return;
        settled = true;
        if (!handedOver(outcome)) return;
        const now = clockNow();
        if (!buffered.n) bufferedSince = now;
        buffered.n += n;
        buffered.at = Math.max(buffered.at, now);
        maybeFlush(now);
      },
      release() {
        settled = true;
      },
    };
  }

  /** When enough rows leave window W for `n` more to fit under `limit`; 0 when they fit now. */
  function waitFor(now: number, windowMs: number, limit: number, n: number): number {
    const used = (sumSince.get(relayId, now - windowMs) as { used: number }).used;
    if (used + n <= limit || used === 0) return 0;
    let excess = used + n - limit;
    for (const row of oldestSince.iterate(relayId, now - windowMs) as Iterable<{ seen_by: number; n: number }>) {
      excess -= row.n;
      // A send still under way (seen_by in the future) frees W after it is answered: W from now at the earliest.
      if (excess <= 0) return Math.max(1, Math.min(row.seen_by, now) + windowMs - now + 1);
    }
    return windowMs;
  }

  const activeOf = (l: LimitRow) =>
    ([['day', l.per_day], ['hour', l.per_hour], ['minute', l.per_minute], ['second', l.per_second]] as Array<[LimitWindow, number | null]>).filter(
      (x): x is [LimitWindow, number] => x[1] !== null,
    );

  /** A relay without limits: no ledger transaction per send (nothing to pace), only the throttle's gap, kept here. */
  const unpaced = (n: number, minGap: number): Reservation => {
    const now = clockNow();
    if (minGap > 0) {
      const since = now - lastLocalAt;
      if (since < minGap) return { ok: false, waitMs: Math.ceil(minGap - since), reason: 'gap', message: `Slowing down: the relay asked to send less often.` };
    }
    lastLocalAt = now;
    return { ok: true, slot: countedSlot(n) };
  };

  const reserve = db.transaction((n: number, minGap: number): Reservation => {
    const now = clockNow();
    const l = limitsNow();
    const active = activeOf(l);
    if (!active.length) return unpaced(n, minGap);
    applyAnswers();
    pruneNow(now);
    for (const [unit, limit] of active) {
      const wait = waitFor(now, WINDOW_MS[unit], limit, n);
      if (wait > 0) return { ok: false, waitMs: wait, reason: unit, message: limitMessage(unit, limit) };
    }
    // Spread per-second and per-minute limits out instead of sending N at the start of each window. 3/4 of the
    // even spacing: the windows above already forbid overshooting, and the slack lets a late send catch up
    // instead of pushing every later one back (which would cost the steady rate).
    const spacing = Math.max(minGap, SPREAD * Math.max(l.per_second ? 1_000 / l.per_second : 0, l.per_minute ? 60_000 / l.per_minute : 0));
    if (spacing > 0) {
      const last = (lastAt.get(relayId) as { last: number | null }).last;
      if (last !== null && now - last < spacing) {
        return { ok: false, waitMs: Math.ceil(spacing - (now - last)), reason: 'gap', message: `Spacing sends evenly to stay within the relay's limits.` };
      }
    }
    const id = Number(insert.run(relayId, now, now + lease, n).lastInsertRowid);
    return { ok: true, slot: ledgerSlot(id) };
  });

  return {
    tryReserve(opts = {}) {
      const n = Math.max(1, Math.floor(opts.recipients ?? 1));
      maybeFlush(clockNow());
      const minGap = opts.minGapMs ?? 0;
      // Looked at outside a transaction first: a relay without limits never takes the database's write lock here.
      if (!limitedRecently()) return unpaced(n, minGap);
      return reserve.immediate(n, minGap);
    },
    usedToday() {
      flush();
      writeAnswers();
      return (sumSince.get(relayId, clockNow() - DAY) as { used: number }).used;
    },
    quota() {
      flush();
      writeAnswers();
      return relayQuota(ctx, relayId);
    },
    close() {
      flush();
      writeAnswers();
      clearInterval(renewTimer);
      renewTimer = undefined;
    },
  };
}

/** Did the relay get (or may it have got) the message? Only then does it count against the limits. */
function handedOver(outcome: SmtpOutcome): boolean {
  switch (outcome.kind) {
    case 'sent':
    case 'deferred':
    case 'failed':
      return true;
    case 'throttled':
      return outcome.attempted;
    case 'auth':
    case 'unreachable':
      return false;
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

function limitMessage(unit: LimitWindow, limit: number): string {
  const n = limit.toLocaleString('en-US');
  switch (unit) {
    case 'day':
      return `The daily limit of ${n} is used up (${n} in the last 24 hours); sending carries on as the oldest of them pass 24 hours.`;
    case 'hour':
      return `The limit of ${n} an hour is reached; waiting for the next slot.`;
    case 'minute':
      return `The limit of ${n} a minute is reached; waiting for the next slot.`;
    case 'second':
      return `The limit of ${n} a second is reached; waiting for the next slot.`;
  }
}

/** The daily quota of a relay, read from the shared ledger (for the status bar, without a gate). */
export function relayQuota(ctx: CoreContext, relayId: number): RelayQuota {
  const now = Math.floor(ctx.clock.now());
  const limit = (ctx.db.prepare(`SELECT per_day FROM relays WHERE id = ?`).get(relayId) as { per_day: number | null } | undefined)?.per_day ?? null;
  const used = (ctx.db.prepare(`SELECT coalesce(sum(n), 0) AS used FROM relay_sends WHERE relay_id = ? AND seen_by > ?`).get(relayId, now - DAY) as { used: number }).used;
  let nextFreeAt: number | null = null;
  if (limit !== null && used >= limit) {
    let excess = used - limit + 1;
    for (const row of ctx.db.prepare(`SELECT seen_by, n FROM relay_sends WHERE relay_id = ? AND seen_by > ? ORDER BY seen_by`).iterate(relayId, now - DAY) as Iterable<{ seen_by: number; n: number }>) {
      excess -= row.n;
      if (excess <= 0) {
        nextFreeAt = Math.min(row.seen_by, now) + DAY;
        break;
      }
    }
  }
  return { usedToday: used, dailyLimit: limit, nextFreeAt };
}
