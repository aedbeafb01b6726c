/**
 * The engine that drains the outbox. One per process (the desktop app, `postroom serve`, or `postroom send
 * --follow`); several may run on one data folder: each works only on rows it holds the lease of (leases.ts).
 *
 * Per campaign, a few "lanes" (one per relay connection) each repeat:
 *   take the next composed message (rows are claimed and composed a small window ahead, off the critical path)
 *   → wait for the relay's rate gate → commit [the previous message's result + this row `sending`] (one group
 *   commit across lanes) → hand it to the relay → classify the reply.
 * So every acceptance is on disk before that lane hands the relay its next message, every message is marked
 * `sending` on disk before it goes, and a kill can repeat at most one message per lane.
 *
 * Nothing is kept in memory that the outbox already holds: the window of composed messages is small and bounded.
 */
import type { CoreContext } from '../context';
import { prepareComposer, type ComposedMessage, type StoredRecipient } from '../compose';
import {
  getRelay,
  openRelayPool,
  rateGate,
  throttleController,
  nextRetryDelayMs,
  hasGivenUp,
  probeDelayMs,
  formatDuration,
  type RelayProfile,
  type SmtpOutcome,
  type RateGate,
  type SendSlot,
  type PoolOptions,
  type ThrottleController,
} from '../relay';
import { PostroomError } from '../../../shared/errors';
import { Committer } from './committer';
import { activeCampaignIds, campaignOf, composeOptionsOf, engineTransition, findCampaign, isActive, type CampaignRow } from './campaigns';
import { HEARTBEAT_MS, LEASE_MS, heartbeat, newEngineId, reapDeadEngines, registerEngine, unregisterEngine } from './leases';
import { begin, claim, release, releaseCampaign, settle, skip, type ClaimedRow, type Settlement } from './state';
import { assertNever } from '../../../shared/assert-never';
import { ProgressThrottle, statusOf } from './progress';
import { quotaOf } from './quota';
import { ComposePool, defaultWorkerFile, type WarmComposeWorkers } from './compose-pool';
import { isRunawayTemplate } from '../compose/liquid';
import { noteOfError, type CoreNote } from '../notes';
import { outboxNote } from './notes';

export interface EngineOptions {
  /** Work only on these campaigns (`postroom send CAMPAIGN --follow`); every active campaign when absent. */
  campaignIds?: number[];
  /** Messages claimed and composed ahead per connection, at most (default AHEAD_PER_CONNECTION; see CampaignRun's window). */
  windowPerConnection?: number;
  /** What the messages composed ahead may hold (bytes; default AHEAD_BYTES). */
  aheadBytes?: number;
  /** How often the engine looks for campaigns to start and for pause/cancel from other processes (ms). */
  pollMs?: number;
  /**
   * The built compose worker (dist/compose-worker.cjs next to the bundle by default); null composes on the
   * engine's own thread.
   */
  composeWorker?: string | null;
  /** How many compose workers (default: one per spare CPU, 1 to 4). */
  composeWorkers?: number;
  /** Compose workers started ahead (`postroom send --follow`): the first campaign's pool takes them. */
  warmWorkers?: WarmComposeWorkers | null;
  /** Options for the relays' connection pools (timeouts, TLS trust, resolver); connections come from the throttle. */
  pool?: Omit<PoolOptions, 'connections'>;
}

export interface EngineStats {
  composeMs: number;
  claimMs: number;
  sendMs: number;
  gateWaitMs: number;
  sent: number;
  commit: Committer['stats'];
}

type RelayPool = ReturnType<typeof openRelayPool>;

/** A relay that answers a message within this (ms, on average) is near: a commit waits for its answers. */
const QUICK_RELAY_MS = 5;

/** A relay as the engine uses it: one pool, gate and throttle per relay per process, shared by campaigns. */
interface RelayChannel {
  profile: RelayProfile;
  pool: RelayPool;
  gate: RateGate;
  throttle: ThrottleController;
  users: number;
}

/** Messages claimed and composed ahead per connection, at most (see CampaignRun's window). */
const AHEAD_PER_CONNECTION = 24;
/** What the messages composed ahead may hold in memory, beyond the least of two a connection (see CampaignRun's window). */
const AHEAD_BYTES = 8 * 1024 * 1024;

interface Item {
  row: ClaimedRow;
  composed: Promise<ComposedMessage>;
  ready: boolean;
}

export class Engine {
  readonly id = newEngineId();
  readonly stats: EngineStats;
  private readonly committer: Committer;
  private readonly runs = new Map<number, CampaignRun>();
  private readonly channels = new Map<number, RelayChannel>();
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;
  private started = false;
  /** Messages with a relay right now (their results will ask for a commit soon). */
  inFlight = 0;
  /** How long the relay takes to answer a message, on average (ms). */
  private avgSendMs = 0;

  constructor(
    readonly ctx: CoreContext,
    readonly options: EngineOptions = {},
  ) {
    // Other connections' answers are worth waiting for only from a relay that answers within milliseconds (a
    // LAN or local relay); from one across the internet they are tens of milliseconds away.
    this.committer = new Committer(ctx.db, () => (this.avgSendMs <= QUICK_RELAY_MS ? this.inFlight : 0));
    this.stats = { composeMs: 0, claimMs: 0, sendMs: 0, gateWaitMs: 0, sent: 0, commit: this.committer.stats };
  }

  /** Registers the engine, takes back what dead engines left, and starts working. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.ctx.clock.now();
    registerEngine(this.ctx.db, this.id, this.ctx.host, now);
    reapDeadEngines(this.ctx.db, now, this.id);
    const beat = setInterval(() => this.guard(() => {
      const t = this.ctx.clock.now();
      heartbeat(this.ctx.db, this.id, t);
      reapDeadEngines(this.ctx.db, t, this.id);
    }), HEARTBEAT_MS);
    const scan = setInterval(() => this.guard(() => this.scan()), this.options.pollMs ?? 250);
    beat.unref();
    scan.unref();
    this.timers.push(beat, scan);
    this.scan();
  }

  /** Stops every campaign run (messages with the relay finish and are recorded), gives back leases, unregisters. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all([...this.runs.values()].map((r) => r.stop()));
    for (const ch of this.channels.values()) await closePool(ch.pool);
    this.channels.clear();
    if (this.started) unregisterEngine(this.ctx.db, this.id, this.ctx.clock.now());
    this.committer.close();
  }

  /** Resolves when no run is active (for tests and `send --follow`). */
  async idle(): Promise<void> {
    while (this.runs.size) await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  commit<T>(fn: () => T): Promise<T> {
    return this.committer.run(fn);
  }

  /** A message came back from the relay after `ms` (it counted in inFlight while there): a commit waiting for it may go. */
  returned(ms: number): void {
    this.inFlight--;
    this.avgSendMs = this.avgSendMs * 0.9 + ms * 0.1;
    this.committer.poke();
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      // SQLITE_BUSY under a long write by another process: the next tick tries again.
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') console.error('[postroom] outbox engine:', err);
    }
  }

  /** Starts runs for campaigns that should be sending (and scheduled ones whose time came). */
  private scan(): void {
    if (this.stopping) return;
    const now = this.ctx.clock.now();
    for (const id of activeCampaignIds(this.ctx.db, now)) {
      if (this.options.campaignIds && !this.options.campaignIds.includes(id)) continue;
      if (this.runs.has(id)) continue;
      const c = findCampaign(this.ctx.db, id);
      if (c.state === 'scheduled' && !engineTransition(this.ctx.db, id, 'due', now)) continue;
      const run = new CampaignRun(this, id);
      this.runs.set(id, run);
      if (this.runs.size === 1) this.ctx.events.emit('outbox:busy', { busy: true, engine: this.id });
      void run.done.finally(() => {
        this.runs.delete(id);
        if (this.runs.size === 0) this.ctx.events.emit('outbox:busy', { busy: false, engine: this.id });
      });
    }
  }

  /** The channel of a relay, opened on first use. */
  acquireChannel(profile: RelayProfile): RelayChannel {
    let ch = this.channels.get(profile.id);
    if (!ch) {
      const throttle = throttleController(profile, this.ctx.clock);
      ch = {
        profile,
        throttle,
        gate: rateGate(this.ctx, profile),
        pool: openRelayPool(this.ctx, profile, { ...this.options.pool, connections: throttle.connections() }),
        users: 0,
      };
      this.channels.set(profile.id, ch);
    }
    ch.users++;
    return ch;
  }

  async releaseChannel(ch: RelayChannel): Promise<void> {
    ch.users--;
    if (ch.users > 0) return;
    this.channels.delete(ch.profile.id);
    await closePool(ch.pool);
    // Writes the last buffered answers to the pacing ledger and frees this process's leased slots at once,
    // so another process starting right after doesn't wait out the lease on a per-second limit.
    ch.gate.close();
  }
}

async function closePool(pool: RelayPool): Promise<void> {
  try {
    await pool.close();
  } catch {
    // closing a pool whose connections are already gone
  }
}

/** Why the lanes of a run stopped. */
type LaneExit = 'drained' | 'stopped' | 'unreachable' | 'problem';

/** One campaign being sent by one engine. */
class CampaignRun {
  readonly done: Promise<void>;
  private stopped = false;
  private interrupt: 'unreachable' | 'problem' | null = null;
  private unreachableWhy = '';
  private readonly wakers = new Set<() => void>();
  private readonly ctx: CoreContext;
  private readonly owner: string;
  private buffer: Item[] = [];
  private refilling: Promise<void> | null = null;
  private drained = false;
  private waiting = false;
  private progress: ProgressThrottle;
  private composePool: ComposePool | null = null;
  private relays: RelayProfile[] = [];
  private relayIndex = 0;
  private laneLimit = 1;
  /** The size of the messages composed lately (bytes; 0 before the first): see window(). */
  private messageBytes = 0;

  constructor(
    private readonly engine: Engine,
    private readonly campaignId: number,
  ) {
    this.ctx = engine.ctx;
    this.owner = engine.id;
    this.progress = new ProgressThrottle(() => this.emitProgress());
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done;
  }

  private wake(): void {
    for (const w of this.wakers) w();
    this.wakers.clear();
  }

  /** Sleeps `ms`, or less when the run is stopped or interrupted. */
  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wakers.add(done);
    });
  }

  private stillActive(): boolean {
    const c = this.ctx.db.prepare(`SELECT state FROM campaigns WHERE id = ?`).get(this.campaignId) as { state: CampaignRow['state'] } | undefined;
    return Boolean(c && isActive(c.state));
  }

  private campaign(): CampaignRow {
    return findCampaign(this.ctx.db, this.campaignId);
  }

  private emitProgress(): void {
    try {
      const c = this.campaign();
      const now = this.ctx.clock.now();
      const relay = this.relays[this.relayIndex];
      const status = statusOf(this.ctx.db, c, now, relay ? quotaOf(this.ctx, relay) : null);
      this.ctx.events.emit('campaign:progress', { ...status, at: now });
    } catch (err) {
      if (!(err instanceof PostroomError)) console.error('[postroom] progress:', err);
    }
  }

  private async run(): Promise<void> {
    // Watch for pause / cancel / deletion made by anyone (another process included) at least 4 times a second.
    const control = setInterval(() => {
      try {
        const c = this.ctx.db.prepare(`SELECT state FROM campaigns WHERE id = ?`).get(this.campaignId) as { state: CampaignRow['state'] } | undefined;
        if (!c || !isActive(c.state)) {
          this.stopped = true;
          this.wake();
        }
      } catch {
        // busy: next time
      }
    }, 250);
    try {
      if (!this.setUp()) return;
      releaseCampaign(this.ctx.db, this.campaignId, this.owner);
      this.progress.flush();
      let failures = 0;
      while (!this.stopped) {
        const relay = this.relays[this.relayIndex]!;
        const ch = this.engine.acquireChannel(relay);
        let exit: LaneExit;
        try {
          exit = await this.runLanes(ch);
        } finally {
          await this.engine.releaseChannel(ch);
        }
        if (this.stopped || exit === 'stopped' || exit === 'problem') break;
        if (exit === 'unreachable') {
          this.interrupt = null;
          // Fail over to the next relay at once; when every relay failed, wait and probe from the first again.
          if (this.relayIndex + 1 < this.relays.length) {
            this.relayIndex++;
            continue;
          }
          this.relayIndex = 0;
          failures++;
          const delay = probeDelayMs(failures);
          this.waiting = true;
          const relays = this.relays.map((r) => r.name).join(', ');
          const waiting = outboxNote('WAITING_UNREACHABLE', { relays, why: this.unreachableWhy, delay: formatDuration(delay) });
          engineTransition(this.ctx.db, this.campaignId, 'unreachable', this.ctx.clock.now(), { ...waiting, code: 'RELAY_UNREACHABLE' });
          this.progress.flush();
          await this.sleep(delay);
          continue;
        }
        failures = 0;
        // drained: finished, or what is left is deferred to later (or held by another engine).
        if (engineTransition(this.ctx.db, this.campaignId, 'finished', this.ctx.clock.now())) {
          this.progress.flush();
          break;
        }
        await this.sleep(this.untilNextDue());
        this.drained = false;
      }
    } catch (err) {
      const message = err instanceof PostroomError ? err.message : `Something went wrong inside Postroom: ${(err as Error).message}`;
      if (!(err instanceof PostroomError)) console.error('[postroom] outbox engine:', err);
      try {
        engineTransition(this.ctx.db, this.campaignId, 'problem', this.ctx.clock.now(), { text: message, code: err instanceof PostroomError ? err.code : 'INTERNAL', note: noteOfError(err) });
      } catch {
        // the database itself is failing; the campaign stays as it was and the next engine carries on
      }
    } finally {
      clearInterval(control);
      await this.refilling?.catch(() => undefined);
      this.giveBackBuffer();
      await this.composePool?.close();
      this.progress.stop();
      this.emitProgress();
    }
  }

  /** Loads the template and the relays; a problem a person must fix pauses the campaign. */
  private setUp(): boolean {
    const c = this.campaign();
    try {
      if (c.template_id === null) throw new PostroomError('NOT_FOUND', `The template of campaign "${c.name}" was deleted. The campaign can't go on.`);
      const options = composeOptionsOf(this.ctx.db, { ...c, template_id: c.template_id });
      const workerFile = this.engine.options.composeWorker === undefined ? defaultWorkerFile() : this.engine.options.composeWorker;
      const warm = this.engine.options.warmWorkers;
      // With workers started ahead, they prepare the campaign (their code is loaded) and this thread makes its own
      // composer only if it must compose after all; otherwise it is made now, and its layout goes to the workers.
      const local = warm?.has(workerFile) ? () => prepareComposer(this.ctx, options) : prepareComposer(this.ctx, options);
      this.composePool = new ComposePool(this.ctx, options, local, workerFile, this.engine.options.composeWorkers, warm);
      const ids = campaignOf(c).relayIds;
      this.relays = ids.map((id) => getRelay(this.ctx, id));
      if (this.relays.length === 0) throw new PostroomError('NOT_FOUND', `Campaign "${c.name}" has no relay to send through. Add one with campaign update.`);
      return true;
    } catch (err) {
      const e = err instanceof PostroomError ? err : new PostroomError('INTERNAL', (err as Error).message);
      engineTransition(this.ctx.db, this.campaignId, 'problem', this.ctx.clock.now(), { text: e.message, code: e.code, note: noteOfError(e) });
      return false;
    }
  }

  /** How long until the next deferred row is due (capped, so control stays responsive). */
  private untilNextDue(): number {
    const r = this.ctx.db
      .prepare(`SELECT min(next_attempt_at) AS t FROM outbox WHERE campaign_id = ? AND state IN ('queued', 'deferred')`)
      .get(this.campaignId) as { t: number | null };
    const now = this.ctx.clock.now();
    return r.t === null ? 500 : Math.min(1000, Math.max(20, r.t - now));
  }

  private async runLanes(ch: RelayChannel): Promise<LaneExit> {
    this.drained = false;
    const max = Math.max(1, ch.profile.limits.connections);
    const lanes = Array.from({ length: max }, (_, i) => this.lane(i, ch));
    await Promise.all(lanes);
    if (this.stopped) return 'stopped';
    if (this.interrupt) return this.interrupt;
    return 'drained';
  }

  /**
   * Claims (in the next group commit, sharing its fsync) and starts composing up to a window of rows. Resolves
   * when the claim is committed.
   */
  private refill(): Promise<void> {
    if (this.refilling) return this.refilling;
    if (this.drained) return Promise.resolve();
    const want = this.window() - this.buffer.length;
    if (want <= 0) return Promise.resolve();
    const t0 = performance.now();
    this.refilling = this.engine
      .commit(() => claim(this.ctx.db, this.campaignId, this.owner, want, this.ctx.clock.now(), LEASE_MS))
      .then((rows) => {
        this.engine.stats.claimMs += performance.now() - t0;
        if (rows.length < want) this.drained = true;
        for (const row of rows) {
          const item: Item = { row, composed: undefined as unknown as Promise<ComposedMessage>, ready: false };
          const t1 = performance.now();
          item.composed = this.composeRow(row)
            .then((m) => (this.composedBytes(m.raw.length), m))
            .finally(() => {
              item.ready = true;
              this.engine.stats.composeMs += performance.now() - t1;
            });
          item.composed.catch(() => undefined); // handled where it is awaited
          this.buffer.push(item);
        }
      })
      .finally(() => {
        this.refilling = null;
      });
    return this.refilling;
  }

  /**
   * How many rows are claimed and composed ahead: enough that a connection's next message is ready when it asks, and
   * that claims come in batches (each claim walks past the rows leased before it: 8 a connection cost twice the
   * time of 24). Bounded by their size, since composed messages wait in memory: a campaign with a big file for
   * each recipient keeps only two a connection ahead. Until a message has been composed its size is unknown: the
   * least, then.
   */
  private window(): number {
    const connections = Math.max(2, this.laneLimit);
    const least = 2 * connections;
    if (!this.messageBytes) return least;
    const most = connections * (this.engine.options.windowPerConnection ?? AHEAD_PER_CONNECTION);
    return Math.max(least, Math.min(most, Math.floor((this.engine.options.aheadBytes ?? AHEAD_BYTES) / this.messageBytes)));
  }

  /** A message was composed: the sizes seen lately, leaning to the largest (a few recipients may have a big file). */
  private composedBytes(bytes: number): void {
    this.messageBytes = Math.max(bytes, Math.round(this.messageBytes * 0.98));
  }

  private async composeRow(row: ClaimedRow): Promise<ComposedMessage> {
    // The fields go as the outbox stores them (JSON), parsed where the message is composed: off this thread when a
    // compose worker does it. The composer checks the recipient (address, attachment) wherever it runs.
    const recipient: StoredRecipient = { email: row.email, name: row.name, fieldsJson: row.fields };
    return this.composePool!.compose(recipient, row.messageId);
  }


  private async next(): Promise<Item | null> {
    // Top up at half the window, so composition stays ahead of the connections.
    if (this.buffer.length <= this.window() / 2 && !this.drained) void this.refill().catch(() => undefined);
    while (this.buffer.length === 0) {
      if (this.drained && !this.refilling) return null;
      await this.refill();
    }
    return this.buffer.shift()!;
  }

  private giveBackBuffer(): void {
    const items = this.buffer;
    this.buffer = [];
    if (!items.length) return;
    try {
      this.ctx.db.transaction(() => {
        for (const it of items) release(this.ctx.db, it.row.id, this.owner);
      })();
    } catch {
      // leases run out by themselves
    }
  }

  private async lane(i: number, ch: RelayChannel): Promise<void> {
    let pending: { rowId: number; settlement: Settlement } | null = null;
    const db = this.ctx.db;
    const flush = async () => {
      if (!pending) return;
      const p = pending;
      pending = null;
      await this.engine.commit(() => settle(db, p.rowId, this.owner, p.settlement, this.ctx.clock.now()));
      this.progress.changed();
    };
    try {
      while (!this.stopped && !this.interrupt) {
        // Throttled relays use fewer connections; a relay being probed gets one.
        this.laneLimit = this.waiting ? 1 : Math.max(1, ch.throttle.connections());
        if (i >= this.laneLimit) {
          await flush();
          if (this.drained && this.buffer.length === 0) break;
          await this.sleep(100);
          continue;
        }
        const item = await this.next();
        if (!item) break;
        // The rate gate: never more than the relay allows, counted across lanes, campaigns and processes.
        let slot: SendSlot | null = null;
        const g0 = performance.now();
        while (!this.stopped && !this.interrupt) {
          const r = ch.gate.tryReserve({ minGapMs: ch.throttle.gapMs() });
          if (r.ok) {
            slot = r.slot;
            break;
          }
          await flush();
          this.progress.changed();
          await this.sleep(Math.min(r.waitMs, 250));
        }
        this.engine.stats.gateWaitMs += performance.now() - g0;
        if (!slot) {
          this.buffer.unshift(item);
          break;
        }
        if (!item.ready) await flush(); // don't keep an acceptance waiting on a slow composition
        let message: ComposedMessage | null = null;
        let problem: string | null = null;
        let skipped: string | null = null;
        try {
          message = await item.composed;
        } catch (err) {
          const why = `Not sent: ${err instanceof Error ? err.message : String(err)}`;
          // Its attachment is missing or refused (compose/attachments.ts): skipped with the reason, never sent without it.
          if (err instanceof PostroomError && err.code === 'FILE_UNREADABLE') skipped = why;
          else problem = why;
          // A template that breaks Liquid's limits would take seconds and fail for every recipient: a person must fix it.
          if (err instanceof PostroomError && err.code === 'TEMPLATE_INVALID' && isRunawayTemplate(err.message)) {
            slot.release();
            await flush();
            await this.engine.commit(() => release(db, item.row.id, this.owner));
            if (!this.interrupt) {
              this.interrupt = 'problem';
              engineTransition(db, this.campaignId, 'problem', this.ctx.clock.now(), { text: `${err.message} Then resume the campaign.`, code: 'TEMPLATE_INVALID' });
              this.progress.flush();
            }
            break;
          }
        }
        const p = pending;
        pending = null;
        const now = this.ctx.clock.now();
        const began = this.engine.commit(() => {
          if (p) settle(db, p.rowId, this.owner, p.settlement, now);
          const b = skipped ? skip(db, item.row, this.owner, skipped, now) : begin(db, item.row, this.owner, now, LEASE_MS);
          if (b === 'go' && problem) settle(db, item.row.id, this.owner, { kind: 'failed', response: problem, relayId: null }, now);
          // Not ours to send after all (the campaign was paused or cancelled a moment ago): give the row back.
          if (b === 'lost') release(db, item.row.id, this.owner);
          return b;
        });
        // The envelope and the body go to the relay while that commit is made; the final dot, with which the relay
        // takes the message, waits until the row's `sending` mark is on disk (pool.sendWhen). From the dot on, the
        // message counts as being with the relay (a commit may wait for its answer).
        let s0 = 0;
        const goAhead = message && !problem && !skipped
          ? began.then(
              (b) => {
                if (b !== 'go') return false;
                s0 = performance.now();
                this.engine.inFlight++;
                return true;
              },
              () => false,
            )
          : null;
        const sending = goAhead && message ? ch.pool.sendWhen({ raw: message.raw, envelope: message.envelope, stuffed: message.stuffed }, slot, goAhead) : null;
        let result: Awaited<typeof began>;
        try {
          result = await began;
        } finally {
          if (!goAhead) slot.release();
        }
        if (result === 'lost' && !this.stillActive()) {
          await sending; // withheld: its connection is given back first
          this.stopped = true;
          this.wake();
          break;
        }
        if (p) this.progress.changed();
        let outcome: SmtpOutcome | null = null;
        try {
          outcome = sending ? await sending : null;
        } finally {
          if (s0) this.engine.returned(performance.now() - s0);
        }
        if (result !== 'go' || !outcome) {
          this.progress.changed();
          continue;
        }
        this.engine.stats.sendMs += performance.now() - s0;
        ch.throttle.observe(outcome);
        ch.pool.setConnections(ch.throttle.connections());
        pending = { rowId: item.row.id, settlement: this.settlementOf(item.row, outcome, ch.profile) };
        if (outcome.kind === 'sent') {
          this.engine.stats.sent++;
          if (this.waiting) {
            this.waiting = false;
            engineTransition(db, this.campaignId, 'reachable', this.ctx.clock.now());
            this.progress.flush();
          }
        }
      }
    } finally {
      await flush();
    }
  }

  /** What the outbox records for the relay's outcome; also reacts to outcomes that concern the whole campaign. */
  private settlementOf(row: ClaimedRow, outcome: SmtpOutcome, relay: RelayProfile): Settlement {
    const now = this.ctx.clock.now();
    const relayId = relay.id;
    const retry = (response: string, maybeDelivered: boolean): Settlement => {
      const attempts = row.attempts + 1;
      if (hasGivenUp(relay.retry, row.firstAttemptAt ?? now, now)) {
        const gaveUp = outboxNote('GAVE_UP', { after: formatDuration(now - (row.firstAttemptAt ?? now)), giveUp: formatDuration(relay.retry.giveUpMs), reply: response });
        return { kind: 'failed', relayId, response: gaveUp.text, note: gaveUp.note };
      }
      return { kind: 'deferred', relayId, response, retryAt: now + nextRetryDelayMs(relay.retry, attempts), maybeDelivered };
    };
    switch (outcome.kind) {
      case 'sent':
        return { kind: 'sent', relayId, response: outcome.response };
      case 'deferred':
        return retry(outcome.response, outcome.maybeDelivered);
      case 'failed':
        return { kind: 'failed', relayId, response: outcome.response };
      case 'throttled':
        return outcome.attempted ? retry(outcome.response, false) : { kind: 'notAttempted', relayId, response: outcome.response };
      case 'auth': {
        if (!this.interrupt) {
          this.interrupt = 'problem';
          engineTransition(this.ctx.db, this.campaignId, 'problem', now, { ...authPause(relay, outcome), code: 'AUTH_FAILED' });
          this.progress.flush();
        }
        return { kind: 'notAttempted', relayId, response: outcome.response };
      }
      case 'unreachable':
        if (!this.interrupt) {
          this.interrupt = 'unreachable';
          this.unreachableWhy = outcome.response.replace(/[.\s]+$/, '');
        }
        return { kind: 'notAttempted', relayId, response: outcome.response };
      default:
        return assertNever(outcome);
    }
  }
}

/** Why a refused login pauses the campaign, in a person's words (by code where the core has one). */
function authPause(relay: RelayProfile, outcome: Extract<SmtpOutcome, { kind: 'auth' }>): { text: string; note?: CoreNote } {
  if (!outcome.signIn) return outboxNote('PAUSED_LOGIN_REFUSED', { relay: relay.name, host: relay.host, reply: outcome.response });
  // A refused OAuth2 renewal says in whole words that the person must sign in again (relay/oauth.ts).
  const p = outcome.params;
  if (p?.reason === 'needsSignIn' && typeof p.relay === 'string' && typeof p.provider === 'string') return outboxNote('PAUSED_SIGN_IN', { relay: p.relay, provider: p.provider });
  return { text: `${outcome.response.replace(/\.?\s*$/, '.')} Once you sign in again, the campaign carries on.` };
}
