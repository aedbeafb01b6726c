import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/core/outbox/engine';
import { reapDeadEngines, registerEngine } from '../../../electron/core/outbox/leases';
import { begin, claim } from '../../../electron/core/outbox/state';
import { campaignState, recipients, rowsOf, setup, startSmtp, until } from './harness';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** The pid of a process that has just exited (so it is certainly not running). */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('leases', () => {
  it('two engines on one data folder never send the same recipient', async () => {
    const server = await startSmtp({ delayMs: 2 });
    const a = setup({ emails: recipients(400) });
    a.addRelay('local', server.port, { connections: 3 });
    const b = setup({ dir: a.dir });
    cleanups.push(() => server.close(), () => a.close(), () => b.close());
    await a.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await a.call('campaigns:send', { campaign: 'spring' });
    const ea = new Engine(a.service.ctx, { windowPerConnection: 2 });
    const eb = new Engine(b.service.ctx, { windowPerConnection: 2 });
    ea.start();
    eb.start();
    cleanups.push(() => ea.stop(), () => eb.stop());
    await until(() => campaignState(a.db, 'spring') === 'completed', 30_000);
    const to = server.deliveries.map((d) => d.to);
    expect(to).toHaveLength(400);
    expect(new Set(to).size).toBe(400);
    expect(ea.stats.sent).toBeGreaterThan(0);
    expect(eb.stats.sent).toBeGreaterThan(0);
    expect(ea.stats.sent + eb.stats.sent).toBe(400);
  });

  it('takes back the rows of an engine whose process died: in flight ones go back marked possibly duplicated', async () => {
    const s = setup({ emails: recipients(6) });
    s.addRelay('local', 1);
    cleanups.push(() => s.close());
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    const id = (s.db.prepare(`SELECT id FROM campaigns`).get() as { id: number }).id;
    const now = Date.now();
    const ghost = `${(await import('node:os')).hostname()}:${deadPid()}:dead`;
    registerEngine(s.db, ghost, 'cli', now);
    s.db.prepare(`UPDATE engines SET pid = ? WHERE id = ?`).run(Number(ghost.split(':')[1]), ghost);
    const rows = claim(s.db, id, ghost, 4, now, 60_000);
    s.db.transaction(() => {
      begin(s.db, rows[0]!, ghost, now, 60_000);
      begin(s.db, rows[1]!, ghost, now, 60_000);
    })();
    const before = rowsOf(s.db, 'spring');
    expect(before.filter((r) => r.state === 'sending')).toHaveLength(2);

    expect(reapDeadEngines(s.db, now + 10)).toBe(2);
    const after = rowsOf(s.db, 'spring');
    expect(after.filter((r) => r.possible_duplicate === 1).map((r) => r.id)).toEqual([rows[0]!.id, rows[1]!.id]);
    expect(after.every((r) => r.state === 'queued')).toBe(true);
    expect(after.map((r) => r.message_id)).toEqual(before.map((r) => r.message_id));
    expect(s.db.prepare(`SELECT count(*) AS n FROM outbox WHERE lease_owner IS NOT NULL`).get()).toEqual({ n: 0 });
    expect(s.db.prepare(`SELECT count(*) AS n FROM engines`).get()).toEqual({ n: 0 });
  });

  it('leaves the rows of a live engine alone, even when its heartbeat paused for a while (a laptop asleep)', async () => {
    const s = setup({ emails: recipients(2) });
    s.addRelay('local', 1);
    cleanups.push(() => s.close());
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    const id = (s.db.prepare(`SELECT id FROM campaigns`).get() as { id: number }).id;
    const now = Date.now();
    const me = `${(await import('node:os')).hostname()}:${process.pid}:alive`;
    registerEngine(s.db, me, 'test', now);
    const rows = claim(s.db, id, me, 2, now, 15_000);
    s.db.transaction(() => begin(s.db, rows[0]!, me, now, 15_000))();
    expect(reapDeadEngines(s.db, now + 10)).toBe(0);
    expect(reapDeadEngines(s.db, now + 120_000)).toBe(0);
    expect(rowsOf(s.db, 'spring').filter((r) => r.state === 'sending')).toHaveLength(1);
    // Another engine can't claim what is leased.
    expect(claim(s.db, id, 'other', 10, now, 15_000)).toHaveLength(0);
  });

  it('takes back the rows of an engine whose heartbeat is so old that its pid must have been reused', async () => {
    const s = setup({ emails: recipients(1) });
    s.addRelay('local', 1);
    cleanups.push(() => s.close());
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    const id = (s.db.prepare(`SELECT id FROM campaigns`).get() as { id: number }).id;
    const now = Date.now();
    const me = `${(await import('node:os')).hostname()}:${process.pid}:stale`;
    const then = now - 11 * 60_000;
    registerEngine(s.db, me, 'test', then);
    const rows = claim(s.db, id, me, 1, then, 15_000);
    s.db.transaction(() => begin(s.db, rows[0]!, me, then, 15_000))();
    expect(reapDeadEngines(s.db, now)).toBe(1);
    expect(rowsOf(s.db, 'spring')[0]).toMatchObject({ state: 'queued', possible_duplicate: 1 });
  });
});
