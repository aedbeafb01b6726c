import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/hosts/cli';
import { DB_FILE } from '../../electron/core/store/db';
import { captureIo, tempDir } from '../helpers';
import { startServer, type ScriptedServer } from '../core/relay/helpers';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function cli(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const { io, out, err } = captureIo(env);
  const code = await runCli([...args, '--data', dir], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('postroom relay', () => {
  it('adds a relay with the spec’s defaults: starttls, 4 connections, no rate limit, retry 1m–1h, give up after 48h', async () => {
    const dir = tempDir();
    expect((await cli(dir, ['relay', 'add', 'office', '--host', 'smtp.example.com', '--port', '587'])).code).toBe(0);
    const { out } = await cli(dir, ['relay', 'list', '--json']);
    const [relay] = JSON.parse(out);
    expect(relay).toMatchObject({
      name: 'office',
      host: 'smtp.example.com',
      port: 587,
      security: 'starttls',
      user: null,
      auth: 'none',
      limits: { perSecond: null, perMinute: null, perHour: null, perDay: null, connections: 4 },
      retry: { minMs: 60_000, maxMs: 3_600_000, giveUpMs: 48 * 3_600_000 },
      quota: { usedToday: 0, dailyLimit: null },
    });
  });

  it('takes the Microsoft 365 preset’s limits: 30 a minute, 10,000 a day, 3 connections', async () => {
    const dir = tempDir();
    expect((await cli(dir, ['relay', 'add', 'm365', '--preset', 'm365', '--user', 'me@example.com', '--password-env', 'M365_PW'])).code).toBe(0);
    const [relay] = JSON.parse((await cli(dir, ['relay', 'list', '--json'])).out);
    expect(relay).toMatchObject({
      host: 'smtp.office365.com',
      port: 587,
      preset: 'm365',
      auth: 'password',
      passwordSource: 'env',
      passwordEnv: 'M365_PW',
      limits: { perMinute: 30, perDay: 10_000, connections: 3 },
    });
  });

  it('lets flags override a preset: --rate, --daily, --connections and the retry durations', async () => {
    const dir = tempDir();
    const args = ['relay', 'add', 'ses', '--preset', 'ses', '--rate', '14/s', '--daily', '50000', '--connections', '2', '--retry-min', '30s', '--retry-max', '2h', '--give-up', '3d', '--json'];
    const { code, out } = await cli(dir, args);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      host: 'email-smtp.us-east-1.amazonaws.com',
      limits: { perSecond: 14, perDay: 50_000, connections: 2 },
      retry: { minMs: 30_000, maxMs: 7_200_000, giveUpMs: 259_200_000 },
    });
  });

  it('never writes the password itself anywhere in the data folder', async () => {
    const dir = tempDir();
    const env = { SMTP_SECRET_FOR_TEST: 'hunter2-very-secret' };
    expect((await cli(dir, ['relay', 'add', 'x', '--host', 'h.example.com', '--port', '25', '--user', 'u', '--password-env', 'SMTP_SECRET_FOR_TEST'], env)).code).toBe(0);
    for (const f of fs.readdirSync(dir)) {
      const bytes = fs.readFileSync(path.join(dir, f));
      expect(bytes.includes(Buffer.from('hunter2'))).toBe(false);
    }
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(true);
  });

  it('exits 2 for a rate or duration it can’t read, naming the flag', async () => {
    const dir = tempDir();
    const bad = await cli(dir, ['relay', 'add', 'x', '--host', 'h', '--port', '25', '--rate', '5 per second']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--rate/);
    const badDuration = await cli(dir, ['relay', 'add', 'x', '--host', 'h', '--port', '25', '--retry-min', 'soon']);
    expect(badDuration.code).toBe(2);
    expect(badDuration.err).toMatch(/--retry-min.*500ms, 30s, 5m, 2h or 3d/);
  });

  it('exits 2 when a custom relay has no host', async () => {
    const r = await cli(tempDir(), ['relay', 'add', 'x', '--port', '25']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--host/);
  });

  it('exits 1 with one line when the name is taken', async () => {
    const dir = tempDir();
    await cli(dir, ['relay', 'add', 'x', '--host', 'h.example.com', '--port', '25']);
    const again = await cli(dir, ['relay', 'add', 'X', '--host', 'h.example.com', '--port', '25']);
    expect(again.code).toBe(1);
    expect(again.err.split('\n')).toHaveLength(1);
    expect(again.err).toMatch(/already a relay called "X"/);
  });

  it('edits only the settings given: a new daily limit keeps the preset’s per-minute limit', async () => {
    const dir = tempDir();
    await cli(dir, ['relay', 'add', 'm365', '--preset', 'm365', '--user', 'me@example.com', '--password-env', 'M365_PW']);
    const r = await cli(dir, ['relay', 'edit', 'm365', '--daily', '5000', '--retry-max', '30m', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ limits: { perMinute: 30, perDay: 5000, connections: 3 }, retry: { maxMs: 1_800_000 }, passwordEnv: 'M365_PW' });
    const none = await cli(dir, ['relay', 'edit', 'm365', '--no-password', '--json']);
    expect(JSON.parse(none.out)).toMatchObject({ auth: 'none', passwordSource: 'none', passwordEnv: null });
  });

  it('removes a relay, and says so when there is none by that name', async () => {
    const dir = tempDir();
    await cli(dir, ['relay', 'add', 'x', '--host', 'h.example.com', '--port', '25']);
    expect((await cli(dir, ['relay', 'remove', 'x'])).out).toBe('Removed relay "x".');
    expect(JSON.parse((await cli(dir, ['relay', 'list', '--json'])).out)).toEqual([]);
    const missing = await cli(dir, ['relay', 'remove', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no relay "x"/);
  });

  it('tests a working relay: prints ok, and with --send-to the server gets a test message', async () => {
    server = await startServer();
    const dir = tempDir();
    await cli(dir, ['relay', 'add', 'local', '--host', '127.0.0.1', '--port', String(server.port), '--security', 'none']);
    const r = await cli(dir, ['relay', 'test', 'local', '--send-to', 'me@example.com']);
    expect(r).toMatchObject({ code: 0, out: 'ok' });
    expect(server.accepted()).toHaveLength(1);
    expect(server.accepted()[0]!.to).toEqual(['me@example.com']);
    expect(server.accepted()[0]!.raw.toString()).toContain('Subject: Postroom test message');
  });

  it('says which step failed: a refused connection is TCP, exit 1', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const dir = tempDir();
    await cli(dir, ['relay', 'add', 'closed', '--host', '127.0.0.1', '--port', String(port), '--security', 'none']);
    const r = await cli(dir, ['relay', 'test', 'closed']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/TCP failed.*refused the connection on port/);
  });

  it('says which step failed: a wrong password is authentication, with the server’s reply', async () => {
    server = await startServer({ auth: { user: 'shop', pass: 'right' } });
    const dir = tempDir();
    process.env.POSTROOM_CLI_TEST_PW = 'wrong';
    await cli(dir, ['relay', 'add', 'local', '--host', '127.0.0.1', '--port', String(server.port), '--security', 'none', '--user', 'shop', '--password-env', 'POSTROOM_CLI_TEST_PW']);
    const r = await cli(dir, ['relay', 'test', 'local', '--json']);
    delete process.env.POSTROOM_CLI_TEST_PW;
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, step: 'auth', passed: ['DNS', 'TCP', 'SMTP'] });
    expect(r.err).toMatch(/authentication failed.*535 5\.7\.8/);
  });
});
