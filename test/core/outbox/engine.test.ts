import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Engine } from '../../../electron/core/outbox/engine';
import { campaignState, closedPort, recipients, rowsOf, setup, startSmtp, until, type Setup, type TestServer } from './harness';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function world(
  opts: { n?: number; emails?: string[]; server?: Parameters<typeof startSmtp>[0]; connections?: number; relayUser?: string; perSecond?: number; retry?: { minMs: number; maxMs: number; giveUpMs: number } } = {},
) {
  const server = await startSmtp(opts.server);
  const s = setup({ emails: opts.emails ?? recipients(opts.n ?? 5) });
  s.addRelay('local', server.port, { connections: opts.connections ?? 2, user: opts.relayUser, perSecond: opts.perSecond, retry: opts.retry });
  cleanups.push(() => server.close(), () => s.close());
  return { s, server };
}

async function startEngine(s: Setup, options: ConstructorParameters<typeof Engine>[1] = {}): Promise<Engine> {
  const engine = new Engine(s.service.ctx, { pool: { timeouts: { socketMs: 1500, sendMs: 3000, connectMs: 1000, greetingMs: 1000 } }, ...options });
  engine.start();
  cleanups.push(() => engine.stop());
  return engine;
}

async function sendAll(s: Setup, server: TestServer, name = 'spring') {
  await s.call('campaigns:create', { name, list: 'customers', template: 'news', relays: ['local'] });
  await s.call('campaigns:send', { campaign: name });
  await startEngine(s);
  await until(() => ['completed', 'paused', 'cancelled'].includes(campaignState(s.db, name)), 15_000, `campaign ${name} to finish`);
  return { rows: rowsOf(s.db, name), server };
}

describe('the outbox engine', () => {
  it('sends every recipient exactly once, with the Message-ID fixed when the campaign started', async () => {
    const { s, server } = await world({ n: 20 });
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    const fixed = new Map(rowsOf(s.db, 'spring').map((r) => [r.email, r.message_id]));
    expect(fixed.size).toBe(20);
    await startEngine(s);
    await until(() => campaignState(s.db, 'spring') === 'completed', 15_000);
    const got = server.accepted();
    expect(got.map((d) => d.to).sort()).toEqual([...fixed.keys()].sort());
    for (const d of got) expect(d.messageId).toBe(fixed.get(d.to));
    expect(rowsOf(s.db, 'spring').every((r) => r.state === 'sent' && r.attempts === 1 && r.sent_at !== null)).toBe(true);
  });

  it('hands the relay a message’s final dot only once its row is marked sending in the database', async () => {
    const seen: Array<string | undefined> = [];
    let stateOf: (to: string) => string | undefined = () => undefined;
    const { s, server } = await world({ n: 12, connections: 3, server: { atDot: (to) => seen.push(stateOf(to)) } });
    // What another process would read: a connection of its own.
    const reader = new Database(path.join(s.dir, 'postroom.db'), { readonly: true });
    cleanups.push(() => void reader.close());
    stateOf = (to) => (reader.prepare(`SELECT state FROM outbox WHERE email = ?`).get(to) as { state: string } | undefined)?.state;
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    const engine = new Engine(s.service.ctx, { pool: { timeouts: { socketMs: 1500, sendMs: 3000, connectMs: 1000, greetingMs: 1000 } } });
    // Commits that come late (a busy disk): the envelope and the body are long at the relay by then.
    const commit = engine.commit.bind(engine);
    engine.commit = (fn) => new Promise((r) => setTimeout(r, 40)).then(() => commit(fn));
    engine.start();
    cleanups.push(() => engine.stop());
    await until(() => campaignState(s.db, 'spring') === 'completed', 15_000);
    expect(server.accepted()).toHaveLength(12);
    expect(seen).toEqual(Array(12).fill('sending'));
  });

  it('claims and composes ahead as many messages as their size allows: many small ones, two a connection of big ones', async () => {
    for (const [aheadBytes, least, most] of [[undefined, 32, 48], [1, 2, 4]] as const) {
      const { s } = await world({ n: 150, connections: 2, server: { delayMs: 10 } });
      await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
      await s.call('campaigns:send', { campaign: 'spring' });
      const engine = await startEngine(s, { aheadBytes });
      // Rows this engine holds and has not begun to send: the window, and at most one a connection on its way to a lane.
      const ahead = s.db.prepare(`SELECT count(*) FROM outbox WHERE lease_owner = ? AND state = 'queued'`).pluck();
      let seen = 0;
      const watch = setInterval(() => (seen = Math.max(seen, ahead.get(engine.id) as number)), 2);
      try {
        await until(() => campaignState(s.db, 'spring') === 'completed', 15_000);
      } finally {
        clearInterval(watch);
      }
      expect(seen, `aheadBytes ${aheadBytes}`).toBeGreaterThanOrEqual(least);
      expect(seen, `aheadBytes ${aheadBytes}`).toBeLessThanOrEqual(most + 2);
      await engine.stop();
    }
  });

  it('retries a recipient the server answered 450 twice, with the same Message-ID, until it is accepted', async () => {
    const { s, server } = await world({
      emails: ['slow@example.test', 'ok@example.test'],
      server: { script: (rcpt, n) => (rcpt === 'slow@example.test' && n <= 2 ? { code: 450, text: '4.2.0 Mailbox busy, try later' } : 'accept') },
    });
    const { rows } = await sendAll(s, server);
    const slow = rows.find((r) => r.email === 'slow@example.test')!;
    expect(slow).toMatchObject({ state: 'sent', attempts: 3 });
    const tries = server.deliveries.filter((d) => d.to === 'slow@example.test');
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((d) => d.messageId)).size).toBe(1);
    const log = await s.call('campaigns:attempts', { campaign: 'spring', email: 'slow@example.test' });
    expect(log.attempts.map((a) => a.outcome)).toEqual(['deferred', 'deferred', 'sent']);
    expect(log.attempts[0]!.response).toMatch(/450.*Mailbox busy/);
    expect(log.attempts[0]!.relay).toBe('local');
  });

  it('fails a recipient answered 550 at once and keeps the server’s words', async () => {
    const { s, server } = await world({
      emails: ['gone@example.test', 'ok@example.test'],
      server: { script: (rcpt) => (rcpt === 'gone@example.test' ? { code: 550, text: '5.1.1 <gone@example.test>: user unknown' } : 'accept') },
    });
    const { rows } = await sendAll(s, server);
    const gone = rows.find((r) => r.email === 'gone@example.test')!;
    expect(gone).toMatchObject({ state: 'failed', attempts: 1 });
    expect(gone.last_response).toMatch(/550.*user unknown/);
    expect(rows.find((r) => r.email === 'ok@example.test')!.state).toBe('sent');
    expect(campaignState(s.db, 'spring')).toBe('completed');
  });

  it('defers a message answered 421 with a closed connection, then sends it', async () => {
    const { s, server } = await world({
      emails: ['busy@example.test', 'ok@example.test'],
      server: { script: (rcpt, n) => (rcpt === 'busy@example.test' && n === 1 ? 'close-421' : 'accept') },
    });
    const { rows } = await sendAll(s, server);
    expect(rows.find((r) => r.email === 'busy@example.test')).toMatchObject({ state: 'sent', attempts: 2 });
    const log = await s.call('campaigns:attempts', { campaign: 'spring', email: 'busy@example.test' });
    expect(log.attempts[0]!.response).toMatch(/421/);
  });

  it('retries a message whose connection dropped after the final dot and marks it possibly duplicated', async () => {
    const { s, server } = await world({
      emails: ['drop@example.test', 'ok@example.test'],
      server: { script: (rcpt, n) => (rcpt === 'drop@example.test' && n === 1 ? 'drop-after-dot' : 'accept') },
    });
    const { rows } = await sendAll(s, server);
    const drop = rows.find((r) => r.email === 'drop@example.test')!;
    expect(drop).toMatchObject({ state: 'sent', attempts: 2, possible_duplicate: 1 });
    const copies = server.deliveries.filter((d) => d.to === 'drop@example.test');
    expect(copies).toHaveLength(2);
    expect(copies[0]!.messageId).toBe(copies[1]!.messageId);
    expect(rows.find((r) => r.email === 'ok@example.test')!.possible_duplicate).toBe(0);
  });

  it('gives up on a server that stalls after the final dot, and sends the message on the next try', async () => {
    const { s, server } = await world({
      emails: ['stall@example.test'],
      server: { script: (_rcpt, n) => (n === 1 ? 'stall' : 'accept') },
    });
    const { rows } = await sendAll(s, server);
    expect(rows[0]).toMatchObject({ state: 'sent', attempts: 2, possible_duplicate: 1 });
  });

  it('pauses the campaign when the relay refuses the login, without counting an attempt', async () => {
    const { s, server } = await world({ n: 3, server: { refuseAuth: true }, relayUser: 'shop' });
    await sendAll(s, server);
    expect(campaignState(s.db, 'spring')).toBe('paused');
    // The campaign pauses on the first refusal; a message another connection had begun is given back when that
    // connection's login is refused too, a moment later.
    await until(() => rowsOf(s.db, 'spring').every((r) => r.state !== 'sending'), 5_000, 'the messages in flight to be given back');
    const rows = rowsOf(s.db, 'spring');
    const status = await s.call('campaigns:status', { campaign: 'spring' });
    expect(status.pauseCode).toBe('AUTH_FAILED');
    expect(status.pauseReason).toMatch(/Couldn't log in to relay "local".*535/);
    expect(status.pauseNote).toMatchObject({ code: 'PAUSED_LOGIN_REFUSED', params: { relay: 'local', reply: expect.stringMatching(/^535/) } });
    expect(rows.every((r) => r.state === 'queued' && r.attempts === 0)).toBe(true);
    expect(server.deliveries).toHaveLength(0);
  });

  it('fails over to the next relay when the first can’t be reached, counting no attempt', async () => {
    const server = await startSmtp();
    const s = setup({ emails: recipients(4) });
    cleanups.push(() => server.close(), () => s.close());
    s.addRelay('down', await closedPort());
    s.addRelay('backup', server.port);
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['down', 'backup'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    await startEngine(s);
    await until(() => campaignState(s.db, 'spring') === 'completed', 15_000);
    const rows = rowsOf(s.db, 'spring');
    expect(rows.every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
    expect(server.accepted()).toHaveLength(4);
  });

  it('waits while no relay can be reached, and carries on by itself when it answers', async () => {
    const port = await closedPort();
    const s = setup({ emails: recipients(3) });
    cleanups.push(() => s.close());
    s.addRelay('local', port);
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    await startEngine(s);
    await until(() => campaignState(s.db, 'spring') === 'waiting', 5_000, 'waiting');
    const status = await s.call('campaigns:status', { campaign: 'spring' });
    expect(status.pauseReason).toMatch(/No relay could be reached/);
    expect(status.pauseNote).toMatchObject({ code: 'WAITING_UNREACHABLE', params: { relays: 'local' } });
    expect(rowsOf(s.db, 'spring').every((r) => r.attempts === 0 && r.state === 'queued')).toBe(true);
    const server = await startSmtp({ port });
    cleanups.push(() => server.close());
    await until(() => campaignState(s.db, 'spring') === 'completed', 20_000, 'completed after the relay came back');
    expect(server.accepted()).toHaveLength(3);
    expect(rowsOf(s.db, 'spring').every((r) => r.attempts === 1)).toBe(true);
  });

  it('skips a recipient suppressed after the campaign started, with the reason', async () => {
    const { s, server } = await world({ emails: ['keep@example.test', 'Leave@Example.test'] });
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    s.db.prepare(`INSERT INTO suppressions (email_key, email, reason, created_at) VALUES ('leave@example.test', 'leave@example.test', 'unsubscribed', 0)`).run();
    await startEngine(s);
    await until(() => campaignState(s.db, 'spring') === 'completed');
    const rows = rowsOf(s.db, 'spring');
    expect(rows.find((r) => r.email === 'Leave@Example.test')).toMatchObject({ state: 'skipped', attempts: 0 });
    expect(rows.find((r) => r.email === 'Leave@Example.test')!.last_response).toMatch(/suppression list \(unsubscribed\)/);
    // Postroom's own note, by code beside its English, on the row and on the attempt; the sent one has none.
    const note = { code: 'NOT_SENT_SUPPRESSED_WHY', params: { why: 'unsubscribed' } };
    const page = await s.call('campaigns:recipients', { campaign: 'spring' });
    expect(page.rows.find((r) => r.email === 'Leave@Example.test')!.lastNote).toEqual(note);
    expect(page.rows.find((r) => r.email === 'keep@example.test')).not.toHaveProperty('lastNote');
    expect((await s.call('campaigns:attempts', { campaign: 'spring', email: 'leave@example.test' })).attempts).toEqual([expect.objectContaining({ outcome: 'skipped', note })]);
    expect(server.accepted().map((d) => d.to)).toEqual(['keep@example.test']);
  });

  it('fails a message that is still deferred when --give-up runs out, with the last reply', async () => {
    const { s, server } = await world({
      emails: ['never@example.test'],
      server: { script: () => ({ code: 451, text: '4.3.0 Temporary local problem' }) },
      retry: { minMs: 100, maxMs: 200, giveUpMs: 700 },
    });
    const { rows } = await sendAll(s, server);
    expect(rows[0]!.state).toBe('failed');
    expect(rows[0]!.attempts).toBeGreaterThanOrEqual(3);
    expect(rows[0]!.last_response).toMatch(/^Gave up after .* the relay last said: 451 4\.3\.0 Temporary local problem/);
    const { row, attempts } = await s.call('campaigns:attempts', { campaign: 'spring', email: 'never@example.test' });
    expect(row.lastNote).toMatchObject({ code: 'GAVE_UP', params: { giveUp: '700ms', reply: '451 4.3.0 Temporary local problem' } });
    // The retries before it are the server's words only.
    expect(attempts.filter((a) => a.note)).toEqual([expect.objectContaining({ outcome: 'failed', response: row.lastResponse })]);
  });

  it('never lets the relay see more than its per-second limit in any one-second window', async () => {
    const { s, server } = await world({ n: 16, connections: 4, perSecond: 5 });
    await sendAll(s, server);
    const times = server.accepted().map((d) => d.at).sort((a, b) => a - b);
    expect(times).toHaveLength(16);
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(1000);
    // …and still uses most of it: 16 messages at 5/s take a little over 2 seconds, not much more.
    expect(times.at(-1)! - times[0]!).toBeLessThan(4500);
  });
});
