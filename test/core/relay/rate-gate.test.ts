import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelay, getRelay, openRelayPool, rateGate, updateRelay, type RateGate, type RelayProfile, type SmtpOutcome } from '../../../electron/core/relay';
import type { RelayCreate } from '../../../shared/contract/relays';
import type { Clock } from '../../../electron/core/context';
import { makeContext, manualClock, rawMessage, startServer, type ScriptedServer, type TestContext } from './helpers';

const contexts: TestContext[] = [];
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const c of contexts.splice(0)) c.cleanup();
});

function context(clock: Clock = manualClock(), dir?: string): TestContext {
  const ctx = makeContext({ clock, dir });
  contexts.push(ctx);
  return ctx;
}

function relay(ctx: TestContext, limits: RelayCreate['limits']): RelayProfile {
  return createRelay(ctx, { name: 'paced', host: '127.0.0.1', port: 2525, security: 'none', limits });
}

const sent: SmtpOutcome = { kind: 'sent', code: 250, response: '250 OK' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Largest number of timestamps inside any window [t, t + windowMs). */
function busiestWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('the rate gate', () => {
  it('holds 5 a second as the SMTP server sees it, and uses at least 90 % of it', async () => {
    const ctx = context({ now: () => Date.now() });
    server = await startServer();
    const profile = createRelay(ctx, { name: 'five', host: '127.0.0.1', port: server.port, security: 'none', limits: { perSecond: 5, connections: 3 } });
    const gate = rateGate(ctx, profile);
    const pool = openRelayPool(ctx, profile);
    const total = 21;
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const r = gate.tryReserve();
        if (!r.ok) {
          await sleep(r.waitMs);
          continue;
        }
        const i = next++;
        const outcome = await pool.send({ raw: rawMessage(`r${i}@example.com`), envelope: { from: 'shop@example.com', to: [`r${i}@example.com`] } }, r.slot);
        expect(outcome.kind).toBe('sent');
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    await pool.close();
    const times = server.accepted().map((m) => m.at);
    expect(times).toHaveLength(total);
    expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(5);
    // Steady pace: 20 gaps at 5 a second take 4 s at 100 %; at least 90 % means within 4.44 s.
    const span = Math.max(...times) - Math.min(...times);
    if (process.env.POSTROOM_DEBUG) console.log(`5/s: ${total} messages over ${span} ms`);
    expect(span).toBeLessThanOrEqual(4_000 / 0.9);
  });

  it('holds 30 a minute through bunching network delays, and uses at least 90 % of it (simulated clock)', () => {
    const clock = manualClock();
    const ctx = context(clock);
    const gate = rateGate(ctx, relay(ctx, { perMinute: 30, connections: 3 }));
    // Three connections; each send reaches the relay 0–3 s after reservation and is answered 0–0.5 s later.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    type Ev = { at: number; run: () => void };
    const events: Ev[] = [];
    const seen: number[] = [];
    const schedule = (at: number, run: () => void) => events.push({ at, run });
    const worker = () => {
      const r = gate.tryReserve();
      if (!r.ok) return schedule(clock.now() + r.waitMs, worker);
      const seenAt = clock.now() + random() * 3_000;
      const answeredAt = seenAt + random() * 500;
      schedule(seenAt, () => seen.push(clock.now()));
      schedule(answeredAt, () => {
        r.slot.settle(sent);
        worker();
      });
    };
    const start = clock.now();
    for (let i = 0; i < 3; i++) schedule(start, worker);
    const halfHour = 1_800_000;
    while (events.length) {
      events.sort((a, b) => a.at - b.at);
      const ev = events.shift()!;
      if (ev.at > start + halfHour) break;
      clock.set(Math.max(clock.now(), ev.at));
      ev.run();
    }
    expect(busiestWindow(seen, 60_000)).toBeLessThanOrEqual(30);
    expect(seen.length).toBeGreaterThanOrEqual(0.9 * 30 * 30);
  });

  it('holds one limit across two real processes sending at once, as the SMTP server sees it', async () => {
    const ctx = context({ now: () => Date.now() });
    server = await startServer();
    createRelay(ctx, { name: 'shared', host: '127.0.0.1', port: server.port, security: 'none', limits: { perSecond: 4, connections: 2 } });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-pace-'));
    try {
      const worker = path.join(out, 'pace-worker.cjs');
      buildSync({ entryPoints: [path.join(__dirname, 'fixtures', 'pace-worker.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: worker, logLevel: 'silent' });
      const run = (tag: string) =>
        new Promise<Record<string, number>>((resolve, reject) => {
          let stdout = '';
          const child = spawn(process.execPath, [worker, ctx.dataDir, 'shared', '8', tag], { env: { ...process.env, NODE_PATH: path.resolve('node_modules') } });
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr.pipe(process.stderr);
          child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`worker ${tag} exited ${code}`))));
        });
      const [a, b] = await Promise.all([run('a'), run('b')]);
      expect(a).toEqual({ sent: 8 });
      expect(b).toEqual({ sent: 8 });
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
    const times = server.accepted().map((m) => m.at);
    expect(times).toHaveLength(16);
    expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(4);
  });

  it('shares one limit between two processes on the same data folder', () => {
    const clock = manualClock();
    const a = context(clock);
    const profile = relay(a, { perSecond: 3, connections: 4 });
    const b = context(clock, a.dataDir); // a second database connection: what a second process has
    const gates: RateGate[] = [rateGate(a, profile), rateGate(b, profile)];
    const granted: number[] = [];
    for (let step = 0; step < 400; step++) {
      const gate = gates[step % 2]!;
      const r = gate.tryReserve();
      if (r.ok) {
        granted.push(clock.now());
        r.slot.settle(sent);
      }
      clock.advance(25);
    }
    expect(busiestWindow(granted, 1_000)).toBeLessThanOrEqual(3);
    expect(granted.length).toBeGreaterThanOrEqual(0.9 * 3 * 10);
  });

  it('remembers today’s count across a restart and stops at the daily limit', () => {
    const clock = manualClock();
    const first = context(clock);
    const profile = relay(first, { perDay: 5, connections: 1 });
    const gate = rateGate(first, profile);
    for (let i = 0; i < 3; i++) {
      const r = gate.tryReserve();
      if (!r.ok) throw new Error('expected a slot');
      r.slot.settle(sent);
      clock.advance(60_000);
    }
    first.db.close();
    const again = context(clock, first.dataDir);
    const gate2 = rateGate(again, profile);
    expect(gate2.usedToday()).toBe(3);
    for (let i = 0; i < 2; i++) {
      const r = gate2.tryReserve();
      expect(r.ok).toBe(true);
      if (r.ok) r.slot.settle(sent);
    }
    const blocked = gate2.tryReserve();
    expect(blocked).toMatchObject({ ok: false, reason: 'day' });
    // The first of the five leaves the rolling 24 hours 24 h after it was answered: 24 h − 3 min from now.
    if (!blocked.ok) expect(Math.abs(blocked.waitMs - (86_400_000 - 180_000))).toBeLessThanOrEqual(1);
    expect(gate2.quota()).toMatchObject({ usedToday: 5, dailyLimit: 5, nextFreeAt: clock.now() - 180_000 + 86_400_000 });
  });

  it('counts a send under way for as long as it lasts, renewing its lease', async () => {
    const ctx = context({ now: () => Date.now() });
    const gate = rateGate(ctx, relay(ctx, { perSecond: 1, connections: 1 }), { leaseMs: 150 });
    const r = gate.tryReserve();
    expect(r.ok).toBe(true);
    await sleep(1_300); // well past the lease and the window: still under way, so still counted
    expect(gate.tryReserve()).toMatchObject({ ok: false, reason: 'second' });
    if (r.ok) r.slot.settle(sent);
    gate.close();
  });

  it('frees the slot of a process killed mid-send once its lease runs out', () => {
    const clock = manualClock();
    const dead = context(clock);
    const profile = relay(dead, { perSecond: 1, connections: 1 });
    expect(rateGate(dead, profile, { leaseMs: 10_000 }).tryReserve().ok).toBe(true); // never settled, never renewed
    const other = context(clock, dead.dataDir);
    const gate = rateGate(other, profile);
    clock.advance(5_000);
    expect(gate.tryReserve()).toMatchObject({ ok: false, reason: 'second' });
    clock.advance(6_000);
    expect(gate.tryReserve().ok).toBe(true);
  });

  it('gives the slot back when the relay could not be reached', () => {
    const clock = manualClock();
    const ctx = context(clock);
    const gate = rateGate(ctx, relay(ctx, { perDay: 1, connections: 1 }));
    const r = gate.tryReserve();
    if (!r.ok) throw new Error('expected a slot');
    r.slot.settle({ kind: 'unreachable', stage: 'tcp', response: 'refused' });
    expect(gate.usedToday()).toBe(0);
    expect(gate.tryReserve().ok).toBe(true);
  });

  it('gives the slot back when the relay turned the connection away before the message (421 greeting)', () => {
    const clock = manualClock();
    const ctx = context(clock);
    const gate = rateGate(ctx, relay(ctx, { perDay: 1, connections: 1 }));
    const r = gate.tryReserve();
    if (!r.ok) throw new Error('expected a slot');
    r.slot.settle({ kind: 'throttled', code: 421, response: '421 busy', attempted: false });
    expect(gate.usedToday()).toBe(0);
  });

  it('counts a deferred message, which the relay did see', () => {
    const clock = manualClock();
    const ctx = context(clock);
    const gate = rateGate(ctx, relay(ctx, { perDay: 10, connections: 1 }));
    const r = gate.tryReserve();
    if (!r.ok) throw new Error('expected a slot');
    r.slot.settle({ kind: 'deferred', code: 450, response: '450 try later', maybeDelivered: false });
    expect(gate.usedToday()).toBe(1);
  });

  it('spreads per-second sends out instead of letting a burst through', () => {
    const clock = manualClock();
    const ctx = context(clock);
    const gate = rateGate(ctx, relay(ctx, { perSecond: 4, connections: 4 }));
    const first = gate.tryReserve();
    expect(first.ok).toBe(true);
    const second = gate.tryReserve();
    expect(second).toMatchObject({ ok: false, reason: 'gap', waitMs: 188 });
  });

  it('applies a changed limit to a gate already running', () => {
    const clock = manualClock();
    const ctx = context(clock);
    const profile = relay(ctx, { perDay: 100, connections: 1 });
    const gate = rateGate(ctx, profile);
    const r = gate.tryReserve();
    if (r.ok) r.slot.settle(sent);
    updateRelay(ctx, { relay: 'paced', limits: { perDay: 1 } });
    expect(gate.tryReserve()).toMatchObject({ ok: false, reason: 'day' });
  });

  /** A gate on a relay without limits that has sent one message. */
  function oneSentWithoutLimits(clock: ReturnType<typeof manualClock>) {
    const ctx = context(clock);
    relay(ctx, {});
    const gate = rateGate(ctx, getRelay(ctx, 'paced'));
    const r = gate.tryReserve();
    if (r.ok) r.slot.settle(sent);
    return { ctx, gate };
  }

  it('applies a limit given in this process to a relay without limits from the next send on', () => {
    const clock = manualClock();
    const { ctx, gate } = oneSentWithoutLimits(clock);
    updateRelay(ctx, { relay: 'paced', limits: { perDay: 1 } });
    // (A relay without limits writes its counts at most once a second: the ledger has that send once a second is up.)
    clock.advance(1_000);
    expect(gate.tryReserve()).toMatchObject({ ok: false, reason: 'day' });
  });

  it('applies a limit another process gives a relay without limits within a quarter of a second', async () => {
    const clock = manualClock();
    const { ctx, gate } = oneSentWithoutLimits(clock);
    // Another process: a connection of its own, writing the row as its updateRelay would.
    const other = context(clock, ctx.dataDir);
    other.db.prepare('UPDATE relays SET per_day = 1 WHERE name = ?').run('paced');
    other.db.close();
    await sleep(300);
    clock.advance(1_000);
    expect(gate.tryReserve()).toMatchObject({ ok: false, reason: 'day' });
  });

  it('still counts today’s sends on a relay without limits', () => {
    const clock = manualClock();
    const ctx = context(clock);
    const gate = rateGate(ctx, relay(ctx, {}));
    for (let i = 0; i < 4; i++) {
      const r = gate.tryReserve();
      if (r.ok) r.slot.settle(sent);
    }
    expect(gate.usedToday()).toBe(4);
  });

  it('keeps one ledger row a second for a relay without limits, however many it sends', () => {
    const clock = manualClock();
    const ctx = context(clock);
    const gate = rateGate(ctx, relay(ctx, {}));
    const send = () => {
      const r = gate.tryReserve();
      if (r.ok) r.slot.settle(sent);
    };
    let last = 0;
    for (let i = 0; i < 50; i++) {
      clock.advance(10);
      send();
      last = clock.now();
    }
    clock.advance(600);
    send(); // past the second: the 50 before are written (stamped with the last one's time), this one waits
    const rows = () => ctx.db.prepare('SELECT at, seen_by, n FROM relay_sends ORDER BY id').all();
    expect(rows()).toEqual([{ at: last, seen_by: last, n: 50 }]);
    expect(gate.usedToday()).toBe(51);
    expect(rows()).toHaveLength(2);
  });

  it('forgets sends older than a day, with or without limits', () => {
    const clock = manualClock();
    const ctx = context(clock);
    for (const [name, limits] of [['limited', { perDay: 1000 }], ['free', {}]] as const) {
      const gate = rateGate(ctx, createRelay(ctx, { name, host: 'h.example.com', limits }));
      const r = gate.tryReserve();
      if (r.ok) r.slot.settle(sent);
      gate.close();
      clock.advance(25 * 3_600_000);
      const again = gate.tryReserve();
      if (again.ok) again.slot.settle(sent);
      gate.close();
      clock.advance(-25 * 3_600_000);
    }
    expect(ctx.db.prepare('SELECT count(*) AS n FROM relay_sends').get()).toEqual({ n: 2 });
  });

  it('keeps a throttle gap between sends even without limits', () => {
    const clock = manualClock();
    const ctx = context(clock);
    const gate = rateGate(ctx, relay(ctx, {}));
    expect(gate.tryReserve({ minGapMs: 2_000 }).ok).toBe(true);
    clock.advance(500);
    expect(gate.tryReserve({ minGapMs: 2_000 })).toMatchObject({ ok: false, reason: 'gap', waitMs: 1_500 });
  });
});
