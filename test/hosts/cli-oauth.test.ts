/**
 * `postroom relay add --auth oauth2`, `relay login`, `relay list --json`, and a campaign that outlives several
 * access tokens, against a real authorization server (oidc-provider) and an SMTP server that checks each XOAUTH2
 * token with it (test/oauth-fixture.ts).
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/hosts/cli';
import { fileSecretBox } from '../../electron/core/secrets';
import { openDatabase } from '../../electron/core/store/db';
import { captureIo } from '../helpers';
import { recipients, setup } from '../core/outbox/harness';
import { CLIENT_ID, signInOverHttp, startAuthServer, startXOAuthSmtp } from '../oauth-fixture';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const root = path.resolve(__dirname, '../..');
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'core'], { cwd: root, stdio: 'ignore' });
}, 120_000);

const printed: string[] = [];
async function cli(args: string[]) {
  const c = captureIo();
  const code = await runCli(args, c.io);
  printed.push(...c.out, ...c.err);
  return { code, out: c.out.join('\n'), err: c.err.join('\n'), lines: c.out };
}

/** `relay login` in this process, with the person's browser played by an HTTP client. */
async function login(dir: string, browser: Parameters<typeof signInOverHttp>[1] = {}) {
  const c = captureIo();
  const running = runCli(['relay', 'login', 'office', '--no-browser', '--timeout', '30s', '--data', dir], c.io);
  while (c.out.length === 0) await new Promise((r) => setTimeout(r, 20));
  const first = c.out[0]!;
  const url = /^Open this address to sign in: (\S+)$/.exec(first)?.[1];
  expect(url, first).toBeTruthy();
  const page = await signInOverHttp(url!, browser);
  const code = await running;
  printed.push(...c.out, ...c.err);
  return { code, first, page, out: c.out.join('\n'), err: c.err.join('\n') };
}

function refreshTokenOf(dir: string): string {
  const db = openDatabase(dir);
  try {
    const row = db.prepare(`SELECT refresh_sealed FROM relay_oauth`).get() as { refresh_sealed: Buffer };
    return fileSecretBox(dir).decrypt(row.refresh_sealed);
  } finally {
    db.close();
  }
}

function filesOf(dir: string): Buffer[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name)));
}

describe('postroom relay login (OAuth2)', () => {
  it('signs in, sends a campaign that outlives several access tokens, pauses when access is revoked, and completes after signing in again', async () => {
    const auth = await startAuthServer({ accessTtlSeconds: 2 });
    cleanups.push(() => auth.close());
    // One message per session, as providers cap them: every message needs a login, so a fresh token.
    const smtp = await startXOAuthSmtp(auth, { messagesPerSession: 1 });
    cleanups.push(() => smtp.close());
    const s = setup({ emails: recipients(12) });
    await s.close();
    const dir = s.dir;

    const added = await cli(['relay', 'add', 'office', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', '--auth', 'oauth2',
      '--oauth-issuer', auth.issuer, '--oauth-client-id', CLIENT_ID, '--oauth-scope', 'openid email offline_access', '--rate', '2/s', '--retry-min', '200ms', '--retry-max', '1s', '--data', dir]);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/postroom relay login office/);
    expect(JSON.parse((await cli(['relay', 'list', '--json', '--data', dir])).out)[0]).toMatchObject({ name: 'office', auth: 'oauth2', signedIn: false });

    const first = await login(dir, { login: 'ann' });
    expect(first.code, first.err).toBe(0);
    expect(first.out.split('\n').at(-1)).toBe('Signed in to office as ann@example.test.');
    expect(JSON.parse((await cli(['relay', 'list', '--json', '--data', dir])).out)[0]).toMatchObject({ auth: 'oauth2', signedIn: true, user: 'ann@example.test' });

    const tested = await cli(['relay', 'test', 'office', '--json', '--data', dir]);
    expect(tested.code, tested.err).toBe(0);
    expect(JSON.parse(tested.out)).toMatchObject({ ok: true, passed: ['sign-in discovery', 'access token', 'DNS', 'TCP', 'SMTP', 'authentication'] });

    // 12 messages at 2 a second, each on its own session: about 6 s, three times the life of an access token.
    expect((await cli(['campaign', 'create', 'spring', '--list', 'customers', '--template', 'news', '--relay', 'office', '--data', dir])).code).toBe(0);
    const refreshesBefore = auth.refreshes;
    const sent = await cli(['send', 'spring', '--follow', '--json', '--data', dir]);
    expect(sent.code, sent.err).toBe(0);
    expect(JSON.parse(sent.lines.at(-1)!)).toMatchObject({ type: 'done', state: 'completed', sent: 12, failed: 0, deferred: 0 });
    expect(smtp.delivered).toHaveLength(12);
    expect(auth.refreshes - refreshesBefore).toBeGreaterThanOrEqual(2);

    // The person withdraws Postroom's access at the provider: the next campaign pauses, and nobody counts as failed.
    const s2 = setup({ dir });
    s2.addRecipients(recipients(4, 'b'));
    await s2.close();
    await auth.revoke(refreshTokenOf(dir));
    expect((await cli(['campaign', 'create', 'autumn', '--list', 'customers', '--template', 'news', '--relay', 'office', '--data', dir])).code).toBe(0);
    const paused = await cli(['send', 'autumn', '--follow', '--data', dir]);
    expect(paused.code).toBe(1);
    expect(paused.err).toMatch(/sign in .*again/i);
    const status = JSON.parse((await cli(['status', 'autumn', '--json', '--data', dir])).out);
    expect(status, JSON.stringify(status)).toMatchObject({ state: 'paused', pauseCode: 'AUTH_FAILED', failed: 0 });
    expect(status.pauseReason).toMatch(/needs you to sign in .* again/);
    expect(JSON.parse((await cli(['relay', 'list', '--json', '--data', dir])).out)[0]).toMatchObject({ signedIn: false });

    // Signing in again lets the paused campaign carry on.
    const again = await login(dir, { login: 'ann' });
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse((await cli(['status', 'autumn', '--json', '--data', dir])).out)).toMatchObject({ state: 'sending', pauseCode: null });
    const finished = await cli(['send', 'autumn', '--follow', '--json', '--data', dir]);
    expect(finished.code, finished.err).toBe(0);
    expect(JSON.parse(finished.lines.at(-1)!)).toMatchObject({ type: 'done', state: 'completed', failed: 0 });
    expect(smtp.delivered.filter((a) => a.startsWith('b'))).toHaveLength(4);

    // No token in plain text: not in the data folder, not in anything printed.
    // Each renewal above put a new access token on the wire, so there are several to look for (how many depends on
    // how the sends fell against the 2-second life of a token), and the refresh token as well.
    expect(smtp.tokens.size).toBeGreaterThanOrEqual(2);
    const secrets = [...smtp.tokens, refreshTokenOf(dir)];
    const files = filesOf(dir);
    for (const t of secrets) {
      for (const f of files) expect(f.includes(Buffer.from(t))).toBe(false);
      for (const line of printed) expect(line.includes(t)).toBe(false);
    }
  }, 60_000);

  it('renews once when several processes need a fresh token at the same moment (rotating refresh tokens survive)', async () => {
    // Tokens live a minute; the test makes the saved one due for renewal by hand, so that however slowly four
    // processes start on a busy machine, they all need a renewal at once and the renewed token stays fresh.
    const auth = await startAuthServer({ accessTtlSeconds: 60 });
    cleanups.push(() => auth.close());
    const smtp = await startXOAuthSmtp(auth);
    cleanups.push(() => smtp.close());
    const s = setup({});
    await s.close();
    await cli(['relay', 'add', 'office', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', '--auth', 'oauth2', '--oauth-issuer', auth.issuer, '--oauth-client-id', CLIENT_ID, '--data', s.dir]);
    expect((await login(s.dir)).code).toBe(0);
    const run = () => promisify(execFile)(process.execPath, [path.join(root, 'bin/postroom.js'), 'relay', 'test', 'office', '--data', s.dir]);
    for (const round of [1, 2]) {
      const db = openDatabase(s.dir);
      db.prepare(`UPDATE relay_oauth SET access_expires_at = ?`).run(Date.now() - 1000); // due for renewal
      db.close();
      const results = await Promise.all([run(), run(), run(), run()]);
      for (const r of results) expect(r.stdout.trim()).toBe('ok');
      expect(auth.refreshes).toBe(round); // one renewal for four processes, and the grant still good the next time
    }
  }, 60_000);

  it('exits 1 with the reason when the sign-in is declined or the state does not match', async () => {
    const auth = await startAuthServer();
    cleanups.push(() => auth.close());
    const s = setup({});
    await s.close();
    expect((await cli(['relay', 'add', 'office', '--host', '127.0.0.1', '--port', '2525', '--auth', 'oauth2', '--oauth-issuer', auth.issuer, '--oauth-client-id', CLIENT_ID, '--data', s.dir])).code).toBe(0);
    const declined = await login(s.dir, { decline: true });
    expect(declined.code).toBe(1);
    expect(declined.err).toMatch(/not signed in\. The sign-in to .* was declined/);
    const forged = await login(s.dir, { tamperState: true });
    expect(forged.code).toBe(1);
    expect(forged.err).toMatch(/did not match the sign-in Postroom started/);
    expect(forged.page.status).toBe(400);
  }, 30_000);

  it('refuses a pasted token and an issuer that is not https', async () => {
    const s = setup({});
    await s.close();
    const pasted = await cli(['relay', 'add', 'm', '--preset', 'm365', '--auth', 'oauth2', '--password-env', 'TOKEN', '--data', s.dir]);
    expect(pasted.code).toBe(1);
    expect(pasted.err).toMatch(/takes no password or token/);
    const plain = await cli(['relay', 'add', 'c', '--host', 'smtp.example.com', '--auth', 'oauth2', '--oauth-issuer', 'http://login.example.com', '--data', s.dir]);
    expect(plain.code).toBe(1);
    expect(plain.err).toMatch(/https/);
  });
});
