import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/core/outbox/engine';
import { campaignState, recipients, rowsOf, setup, startSmtp, until, type Setup } from './harness';
import type { CampaignProgress } from '../../../shared/contract/sending';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function engineFor(s: Setup): Engine {
  const engine = new Engine(s.service.ctx);
  engine.start();
  cleanups.push(() => engine.stop());
  return engine;
}

describe('campaign control', () => {
  it('pauses within a second when another process pauses, and carries on after resume', async () => {
    const server = await startSmtp({ delayMs: 20 });
    const s = setup({ emails: recipients(200) });
    s.addRelay('local', server.port, { connections: 2 });
    cleanups.push(() => server.close(), () => s.close());
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    engineFor(s);
    await until(() => server.accepted().length >= 10, 10_000, 'sending to start');
    // Another process on the same data folder.
    const other = setup({ dir: s.dir });
    cleanups.push(() => other.close());
    const paused = await other.call('campaigns:pause', { campaign: 'spring' });
    expect(paused).toMatchObject({ pauseReason: 'Paused by you.', pauseCode: null, pauseNote: { code: 'PAUSED_BY_YOU', params: {} } });
    const pausedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    const countAfterSecond = server.accepted().length;
    await new Promise((r) => setTimeout(r, 500));
    expect(server.accepted().length).toBe(countAfterSecond); // nothing more went after the first second
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(1000);
    expect(countAfterSecond).toBeLessThan(200);
    expect(rowsOf(s.db, 'spring').filter((r) => r.state === 'sending')).toHaveLength(0);
    expect(await other.call('campaigns:resume', { campaign: 'spring' })).not.toHaveProperty('pauseNote');
    await until(() => campaignState(s.db, 'spring') === 'completed', 20_000, 'completed after resume');
    expect(server.accepted()).toHaveLength(200);
    expect(new Set(server.accepted().map((d) => d.to)).size).toBe(200);
  });

  it('cancels: what has not gone is marked cancelled and never sent', async () => {
    const server = await startSmtp({ delayMs: 20 });
    const s = setup({ emails: recipients(100) });
    s.addRelay('local', server.port, { connections: 1 });
    cleanups.push(() => server.close(), () => s.close());
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    engineFor(s);
    await until(() => server.accepted().length >= 5, 10_000);
    const st = await s.call('campaigns:cancel', { campaign: 'spring' });
    expect(st.state).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 600));
    const rows = rowsOf(s.db, 'spring');
    const sent = rows.filter((r) => r.state === 'sent').length;
    expect(server.accepted()).toHaveLength(sent);
    expect(rows.filter((r) => r.state === 'cancelled').length).toBe(100 - sent);
    await expect(s.call('campaigns:resume', { campaign: 'spring' })).rejects.toThrow(/cancelled/);
  });

  it('starts a scheduled campaign by itself when its time comes, not before, with the list as it is then', async () => {
    const server = await startSmtp();
    const s = setup({ emails: recipients(3) });
    s.addRelay('local', server.port);
    cleanups.push(() => server.close(), () => s.close());
    const at = new Date(Date.now() + 1500).toISOString();
    const made = await s.call('campaigns:create', { name: 'later', list: 'customers', template: 'news', relays: ['local'], at });
    expect(made.state).toBe('scheduled');
    // `send` before the time keeps it scheduled (it doesn't go early).
    expect((await s.call('campaigns:send', { campaign: 'later' })).state).toBe('scheduled');
    s.addRecipients(['late@example.test']);
    engineFor(s);
    await new Promise((r) => setTimeout(r, 700));
    expect(server.deliveries).toHaveLength(0);
    await until(() => campaignState(s.db, 'later') === 'completed', 10_000);
    expect(server.accepted()).toHaveLength(4);
    expect(Math.min(...server.accepted().map((d) => d.at))).toBeGreaterThanOrEqual(Date.parse(at));
  });

  it('puts failed recipients back in the queue with retry-failed, and sends them', async () => {
    let refuse = true;
    const server = await startSmtp({ script: (rcpt) => (refuse && rcpt.startsWith('r0002') ? { code: 550, text: '5.2.1 Mailbox disabled' } : 'accept') });
    const s = setup({ emails: recipients(3) });
    s.addRelay('local', server.port);
    cleanups.push(() => server.close(), () => s.close());
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    engineFor(s);
    await until(() => campaignState(s.db, 'spring') === 'completed');
    expect((await s.call('campaigns:status', { campaign: 'spring' })).failed).toBe(1);
    refuse = false;
    const r = await s.call('campaigns:retryFailed', { campaign: 'spring' });
    expect(r.requeued).toBe(1);
    expect(r.state).toBe('sending');
    await until(() => campaignState(s.db, 'spring') === 'completed' && rowsOf(s.db, 'spring').every((x) => x.state === 'sent'), 10_000);
    const ids = server.deliveries.filter((d) => d.to.startsWith('r0002')).map((d) => d.messageId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('keeps sending its own snapshot when the list changes after the first send', async () => {
    const server = await startSmtp();
    const s = setup({ emails: recipients(2) });
    s.addRelay('local', server.port);
    cleanups.push(() => server.close(), () => s.close());
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    s.addRecipients(['late@example.test']);
    engineFor(s);
    await until(() => campaignState(s.db, 'spring') === 'completed');
    expect(server.accepted().map((d) => d.to).sort()).toEqual(recipients(2));
  });

  it('reports progress at most 10 times a second, with counts per state, ending with the final counts', async () => {
    const server = await startSmtp();
    const s = setup({ emails: recipients(300) });
    s.addRelay('local', server.port, { connections: 4 });
    cleanups.push(() => server.close(), () => s.close());
    const events: Array<CampaignProgress & { t: number }> = [];
    s.service.events.on('campaign:progress', (p) => events.push({ ...p, t: Date.now() }));
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    engineFor(s);
    await until(() => campaignState(s.db, 'spring') === 'completed', 20_000);
    await until(() => events.at(-1)?.state === 'completed', 2_000, 'a last event');
    for (let i = 10; i < events.length; i++) expect(events[i]!.t - events[i - 10]!.t).toBeGreaterThanOrEqual(900);
    expect(events.at(-1)).toMatchObject({ total: 300, sent: 300, queued: 0, sending: 0 });
  });

  it('refuses to change a campaign once it has started', async () => {
    const server = await startSmtp();
    const s = setup({ emails: recipients(1) });
    s.addRelay('local', server.port);
    cleanups.push(() => server.close(), () => s.close());
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:update', { campaign: 'spring', name: 'summer' });
    await s.call('campaigns:send', { campaign: 'summer' });
    await expect(s.call('campaigns:update', { campaign: 'summer', name: 'autumn' })).rejects.toThrow(/has started/);
    await expect(s.call('campaigns:remove', { campaign: 'summer' })).rejects.toThrow(/Pause or cancel/);
  });

  it('pages through a campaign’s recipients by state and shows running engines and active campaigns in the overview', async () => {
    const server = await startSmtp({ script: (rcpt) => (rcpt.startsWith('r0003') ? { code: 550, text: '5.1.1 unknown' } : 'accept') });
    const s = setup({ emails: recipients(5) });
    s.addRelay('local', server.port);
    cleanups.push(() => server.close(), () => s.close());
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    const engine = engineFor(s);
    const overview = await s.call('outbox:overview', {});
    expect(overview.engines.map((e) => e.id)).toContain(engine.id);
    expect(overview.engines.find((e) => e.id === engine.id)!.alive).toBe(true);
    await until(() => campaignState(s.db, 'spring') === 'completed');
    const page = await s.call('campaigns:recipients', { campaign: 'spring', offset: 1, limit: 2 });
    expect(page.total).toBe(5);
    expect(page.rows.map((r) => r.email)).toEqual(['r0002@example.test', 'r0003@example.test']);
    const failed = await s.call('campaigns:recipients', { campaign: 'spring', state: 'failed' });
    expect(failed).toMatchObject({ total: 1, rows: [{ email: 'r0003@example.test', state: 'failed', attempts: 1, possibleDuplicate: false }] });
    expect((await s.call('campaigns:recipients', { campaign: 'spring', search: 'R0005' })).rows.map((r) => r.email)).toEqual(['r0005@example.test']);
    expect((await s.call('outbox:overview', {})).active).toHaveLength(0);
  });
});
