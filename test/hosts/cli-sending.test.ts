import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/hosts/cli';
import { captureIo, tempDir } from '../helpers';
import { recipients, rowsOf, setup, startSmtp, until } from '../core/outbox/harness';
import { openDatabase } from '../../electron/core/store/db';

const root = path.resolve(__dirname, '../..');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'core'], { cwd: root, stdio: 'ignore' });
}, 120_000);

/** A data folder with a list, a template and a relay `local` on a fresh scripted server. */
async function dataFolder(emails: string[], server: Parameters<typeof startSmtp>[0] = {}, relay: { connections?: number; user?: string } = {}) {
  const smtp = await startSmtp(server);
  const s = setup({ emails });
  s.addRelay('local', smtp.port, { connections: relay.connections ?? 2, user: relay.user, retry: { minMs: 100, maxMs: 300, giveUpMs: 60_000 } });
  await s.close();
  cleanups.push(() => smtp.close());
  return { dir: s.dir, smtp };
}

async function cli(args: string[]) {
  const c = captureIo();
  const code = await runCli(args, c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n'), lines: c.out };
}

function spawnCli(args: string[]): ChildProcess & { stdoutText: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(root, 'bin/postroom.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return Object.assign(child, { stdoutText: () => out, exited });
}

describe('postroom campaign / send / status / report', () => {
  it('creates a campaign and lists it', async () => {
    const { dir } = await dataFolder(recipients(2));
    const made = await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--relay', 'local', '--data', dir, '--json']);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({ name: 'spring', state: 'draft', listName: 'customers', templateName: 'news', relayNames: ['local'] });
    const list = await cli(['campaign', 'list', '--data', dir, '--json']);
    expect(JSON.parse(list.out)).toMatchObject([{ name: 'spring', state: 'draft', total: 0 }]);
  });

  it('says what is missing with exit code 2', async () => {
    const { dir } = await dataFolder(recipients(1));
    const r = await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--data', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--relay/);
    expect((await cli(['report', 'spring', '--data', dir])).code).toBe(2);
  });

  it('sends with --follow --json: NDJSON progress lines, then done; status --json has the spec shape', async () => {
    const { dir, smtp } = await dataFolder(recipients(50));
    await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--relay', 'local', '--data', dir]);
    const r = await cli(['send', 'spring', '--follow', '--json', '--data', dir]);
    expect(r.code).toBe(0);
    const events = r.lines.map((l) => JSON.parse(l));
    const done = events.at(-1);
    expect(done).toMatchObject({ type: 'done', state: 'completed', total: 50, queued: 0, sending: 0, sent: 50, deferred: 0, failed: 0 });
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(Object.keys(p)).toEqual(expect.arrayContaining(['type', 'total', 'queued', 'sending', 'sent', 'deferred', 'failed', 'rate']));
    expect(smtp.accepted()).toHaveLength(50);

    const st = await cli(['status', 'spring', '--data', dir, '--json']);
    expect(JSON.parse(st.out)).toMatchObject({ campaign: 'spring', state: 'completed', total: 50, queued: 0, sending: 0, sent: 50, deferred: 0, failed: 0 });
  });

  it('exits 1 with the reason on stderr when the relay refuses the login; the campaign is paused', async () => {
    const { dir } = await dataFolder(recipients(3), { refuseAuth: true }, { user: 'shop' });
    await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--relay', 'local', '--data', dir]);
    const r = await cli(['send', 'spring', '--follow', '--json', '--data', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/paused: Couldn't log in to relay "local".*535/);
    expect(JSON.parse(r.lines.at(-1)!)).toMatchObject({ type: 'done', state: 'paused', sent: 0, queued: 3 });
  });

  it('writes a report with one row per recipient and formula-like cells made inert', async () => {
    const { dir } = await dataFolder(['=1+2@example.test', 'ok@example.test'], {
      script: (rcpt) => (rcpt === 'ok@example.test' ? 'accept' : { code: 550, text: '5.1.1 no such user' }),
    });
    await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--relay', 'local', '--data', dir]);
    expect((await cli(['send', 'spring', '--follow', '--data', dir])).code).toBe(0);
    const file = path.join(tempDir(), 'report.csv');
    const r = await cli(['report', 'spring', '--csv', file, '--data', dir]);
    expect(r.code).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('email,state,attempts,last_response,sent_at,message_id');
    expect(lines[1]).toMatch(/^'=1\+2@example\.test,failed,1,550 5\.1\.1 no such user,,<[^>]+@example\.com>$/);
    expect(lines[2]).toMatch(/^ok@example\.test,sent,1,250 .*,\d{4}-\d\d-\d\dT[\d:.]+Z,<[^>]+>$/);
  });

  it('says in the report which messages may have gone twice, within the columns the spec names', async () => {
    const { dir } = await dataFolder(['a@example.test', 'b@example.test'], { script: () => 'accept' });
    await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--relay', 'local', '--data', dir]);
    expect((await cli(['send', 'spring', '--follow', '--data', dir])).code).toBe(0);
    // As an engine that died with a's message in flight leaves it (see outbox/leases.ts).
    const db = openDatabase(dir);
    db.prepare("UPDATE outbox SET possible_duplicate = 1 WHERE email = 'a@example.test'").run();
    db.close();
    const file = path.join(tempDir(), 'report.csv');
    expect((await cli(['report', 'spring', '--csv', file, '--data', dir])).code).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('email,state,attempts,last_response,sent_at,message_id');
    expect(lines[1]).toMatch(/^a@example\.test,sent,1,"?250 [^\n]* \[possibly delivered twice: it was being handed to the relay when Postroom stopped\]"?,\d{4}-[^,]+,<[^>]+>$/);
    expect(lines[2]).not.toContain('possibly');
  });

  it('retry-failed puts failed recipients back; pause and resume answer with the state', async () => {
    const { dir } = await dataFolder(['a@example.test'], { script: (_r, n) => (n === 1 ? { code: 550, text: '5.7.1 rejected' } : 'accept') });
    await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--relay', 'local', '--data', dir]);
    await cli(['send', 'spring', '--follow', '--data', dir]);
    const r = await cli(['retry-failed', 'spring', '--data', dir, '--json']);
    expect(JSON.parse(r.out)).toMatchObject({ requeued: 1, state: 'sending', queued: 1 });
    expect(JSON.parse((await cli(['pause', 'spring', '--data', dir, '--json'])).out)).toMatchObject({ state: 'paused' });
    expect(JSON.parse((await cli(['resume', 'spring', '--data', dir, '--json'])).out)).toMatchObject({ state: 'sending' });
    const done = await cli(['send', 'spring', '--follow', '--json', '--data', dir]);
    expect(JSON.parse(done.lines.at(-1)!)).toMatchObject({ state: 'completed', sent: 1, failed: 0 });
  });

  it('previews the exact message, and after sending keeps every attempt in the per-recipient log', async () => {
    const { dir, smtp } = await dataFolder(['anna@example.test'], { script: (_r, n) => (n === 1 ? { code: 451, text: '4.4.1 try again' } : 'accept') });
    await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--relay', 'local', '--data', dir]);
    const raw = await cli(['preview', 'spring', '--recipient', 'anna@example.test', '--raw', '--data', dir]);
    expect(raw.code).toBe(0);
    expect(raw.out).toMatch(/^Subject: News for Name0\r?$/m);
    expect(raw.out).toMatch(/^To: anna@example\.test\r?$/m);
    await cli(['send', 'spring', '--follow', '--data', dir]);
    // After the first send the preview shows the Message-ID the recipient really got.
    const sent = smtp.accepted()[0]!;
    expect((await cli(['preview', 'spring', '--recipient', 'anna@example.test', '--raw', '--data', dir])).out).toContain(`Message-ID: ${sent.messageId}`);
    const log = JSON.parse((await cli(['campaign', 'log', 'spring', '--recipient', 'anna@example.test', '--data', dir, '--json'])).out);
    expect(log.row).toMatchObject({ state: 'sent', attempts: 2, messageId: sent.messageId });
    expect(log.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['deferred', 'sent']);
    expect(log.attempts[0].response).toMatch(/451 4\.4\.1 try again/);
  });

  it('a pause from another process stops a running send --follow within a second; it exits 0', async () => {
    const { dir, smtp } = await dataFolder(recipients(300), { delayMs: 15 });
    await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--relay', 'local', '--data', dir]);
    const child = spawnCli(['send', 'spring', '--follow', '--json', '--data', dir]);
    await until(() => smtp.accepted().length >= 10, 15_000, 'the child to send');
    const t0 = Date.now();
    expect((await cli(['pause', 'spring', '--data', dir])).code).toBe(0);
    const code = await child.exited;
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(code).toBe(0);
    const done = JSON.parse(child.stdoutText().trim().split('\n').at(-1)!);
    expect(done).toMatchObject({ type: 'done', state: 'paused' });
    expect(done.sent).toBeLessThan(300);
  });

  it('survives SIGKILL at random moments: every recipient delivered, only in-flight messages repeated, same Message-ID, marked in the report', async () => {
    const n = 400;
    const connections = 3;
    const { dir, smtp } = await dataFolder(recipients(n), { delayMs: 4 }, { connections });
    await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--relay', 'local', '--data', dir]);
    const kills = 5;
    for (let k = 0; k < kills; k++) {
      const before = smtp.accepted().length;
      const child = spawnCli(['send', 'spring', '--follow', '--json', '--data', dir]);
      await until(() => smtp.accepted().length > before + 5 || child.exitCode !== null, 15_000, 'the child to send');
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      child.kill('SIGKILL');
      await child.exited;
    }
    expect(smtp.accepted().length).toBeLessThan(n + kills * connections); // it was killed before it could finish
    const last = spawnCli(['send', 'spring', '--follow', '--json', '--data', dir]);
    expect(await last.exited).toBe(0);

    const db = openDatabase(dir);
    cleanups.push(() => {
      db.close();
    });
    const rows = rowsOf(db, 'spring');
    const byTo = new Map<string, string[]>();
    for (const d of smtp.accepted()) byTo.set(d.to, [...(byTo.get(d.to) ?? []), d.messageId]);
    // Every recipient delivered.
    expect([...byTo.keys()].sort()).toEqual(recipients(n));
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    // Duplicates only of messages in flight at a kill: at most one per connection per kill, same Message-ID, marked.
    const dupes = [...byTo.entries()].filter(([, ids]) => ids.length > 1);
    expect(dupes.length).toBeLessThanOrEqual(kills * connections);
    const marked = new Set(rows.filter((r) => r.possible_duplicate === 1).map((r) => r.email));
    for (const [to, ids] of dupes) {
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toBe(rows.find((r) => r.email === to)!.message_id);
      expect(marked.has(to)).toBe(true);
    }
    const file = path.join(tempDir(), 'report.csv');
    await cli(['report', 'spring', '--csv', file, '--data', dir]);
    const csv = fs.readFileSync(file, 'utf8');
    for (const [to] of dupes) expect(csv).toMatch(new RegExp(`^${to.replace(/[.]/g, '\\.')},sent,\\d+,[^\\n]*possibly delivered twice`, 'm'));
  }, 90_000);
});
