import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { runCli } from '../../electron/hosts/cli';
import { captureIo } from '../helpers';
import { world, type World } from '../core/mailbox/world';
import * as R from '../fixtures/mailbox/reports';
import Database from 'better-sqlite3';
import { until } from '../core/outbox/harness';

const root = path.resolve(__dirname, '../..');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', 'core'], { cwd: root, stdio: 'ignore' });
}, 120_000);

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const c = captureIo(env);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await runCli(args, c.io);
    return { code, out: c.out.join('\n'), err: c.err.join('\n') };
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
  }
}

async function open(n: number): Promise<World> {
  const w = await world({ n, mailbox: false });
  cleanups.push(() => w.close());
  return w;
}

describe('postroom mailbox', () => {
  it('adds a mailbox, checks it once with the JSON the spec gives, and a second check reads 0', async () => {
    const w = await open(4);
    const sent = await w.send('spring');
    const d = w.s.dir;
    const env = { IMAP_PW: w.imap.password };
    const add = await cli(['mailbox', 'add', 'bounces', '--host', w.imap.host, '--port', String(w.imap.port), '--security', 'none', '--user', w.imap.user, '--password-env', 'IMAP_PW', '--data', d]);
    expect(add).toMatchObject({ code: 0 });
    expect(await cli(['mailbox', 'test', 'bounces', '--data', d], env)).toMatchObject({ code: 0, out: expect.stringMatching(/^ok: /) });
    await w.imap.appendMany([R.dsn(sent.get('r0001@example.test')!, 'hard'), R.dsn(sent.get('r0002@example.test')!, 'delayed'), R.arf(sent.get('r0003@example.test')!), R.humanReply(sent.get('r0004@example.test')!)]);

    const first = await cli(['mailbox', 'check', 'bounces', '--json', '--data', d], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ mailbox: 'bounces', read: 4, bounces: { hard: 1, soft: 1 }, complaints: 1, unsubscribes: 0, autoReplies: 0, unrecognised: 1, suppressed: 2 });
    const second = await cli(['mailbox', 'check', 'bounces', '--json', '--data', d], env);
    expect(JSON.parse(second.out)).toMatchObject({ read: 0, suppressed: 0 });

    const list = JSON.parse((await cli(['suppress', 'list', '--json', '--data', d])).out) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(2);
    expect(list.find((x) => x.email === 'r0001@example.test')).toMatchObject({ reason: 'hard-bounce', campaign: 'spring', detail: expect.stringContaining('5.1.1') });
    expect(list.find((x) => x.email === 'r0003@example.test')).toMatchObject({ reason: 'complaint', campaign: 'spring' });
    const status = JSON.parse((await cli(['status', 'spring', '--json', '--data', d])).out);
    expect(status).toMatchObject({ bounced: 1, softBounced: 1, complained: 1, unsubscribed: 0 });
  }, 60_000);

  it('says what failed when the password is wrong (exit 1), and refuses a missing way to log in (exit 2)', async () => {
    const w = await open(1);
    const d = w.s.dir;
    expect((await cli(['mailbox', 'add', 'b', '--host', w.imap.host, '--port', String(w.imap.port), '--user', w.imap.user, '--data', d])).code).toBe(2);
    // Only a relay that signs in (OAuth2) can lend its sign-in: `local` logs in with a password.
    const oauth = await cli(['mailbox', 'add', 'o', '--host', w.imap.host, '--user', w.imap.user, '--oauth-from', 'local', '--data', d]);
    expect(oauth).toMatchObject({ code: 1, err: expect.stringContaining("can't use its sign-in") });
    const same = await cli(['mailbox', 'add', 's', '--host', w.imap.host, '--user', w.imap.user, '--password-env', 'X', '--processed-folder', 'INBOX', '--data', d]);
    expect(same).toMatchObject({ code: 1, err: expect.stringContaining("can't be the folder Postroom reads") });
    await cli(['mailbox', 'add', 'b', '--host', w.imap.host, '--port', String(w.imap.port), '--security', 'none', '--user', w.imap.user, '--password-env', 'IMAP_PW', '--data', d]);
    const r = await cli(['mailbox', 'check', 'b', '--data', d], { IMAP_PW: 'wrong' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Couldn't log in to the mailbox "b"/);
    const listed = JSON.parse((await cli(['mailbox', 'list', '--json', '--data', d])).out);
    expect(listed[0]).toMatchObject({ name: 'b', lastError: expect.stringContaining("Couldn't log in") });
  }, 60_000);

  it('campaign create takes a mailto and an https unsubscribe with merge fields, and --pause-on-bounces', async () => {
    const w = await open(1);
    const d = w.s.dir;
    const r = await cli([
      'campaign', 'create', 'autumn', '--list', 'customers', '--template', 'news', '--relay', 'local',
      '--unsubscribe', 'mailto:bounces@example.test?subject=unsubscribe {{ email }}', '--unsubscribe', 'https://shop.example.com/u?e={{ email }}',
      '--pause-on-bounces', '2.5%', '--json', '--data', d,
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ unsubscribeMailto: 'mailto:bounces@example.test?subject=unsubscribe {{ email }}', unsubscribeUrl: 'https://shop.example.com/u?e={{ email }}', pauseOnBounces: 2.5 });
    const two = await cli(['campaign', 'create', 'x', '--list', 'customers', '--template', 'news', '--relay', 'local', '--unsubscribe', 'https://a.example', '--unsubscribe', 'https://b.example', '--data', d]);
    expect(two.code).toBe(2);
    const broken = await cli(['campaign', 'create', 'y', '--list', 'customers', '--template', 'news', '--relay', 'local', '--unsubscribe', 'mailto:{{ nothing }}', '--data', d]);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/doesn't give an e-mail address/);
  }, 60_000);

  it('survives SIGKILL at random moments while checking: nothing lost, nothing counted twice, nothing deleted', async () => {
    const w = await open(60);
    const sent = await w.send('spring');
    const d = w.s.dir;
    await w.s.close();
    const env = { ...process.env, IMAP_PW: w.imap.password, POSTROOM_MAILBOX_BATCH: '7' };
    await cli(['mailbox', 'add', 'bounces', '--host', w.imap.host, '--port', String(w.imap.port), '--security', 'none', '--user', w.imap.user, '--password-env', 'IMAP_PW', '--data', d]);
    const kinds = ['hard', 'soft', 'complaint', 'auto', 'human'] as const;
    const raws: string[] = [];
    const expected = { hard: 0, soft: 0, complaint: 0, auto: 0, human: 0 };
    [...sent.values()].forEach((s, i) => {
      const k = kinds[i % kinds.length]!;
      expected[k]++;
      raws.push(k === 'hard' ? R.dsn(s, 'hard') : k === 'soft' ? R.dsn(s, 'soft') : k === 'complaint' ? R.arf(s) : k === 'auto' ? R.autoReply(s) : R.humanReply(s));
    });
    await w.imap.appendMany(raws);

    const db = new Database(path.join(d, 'postroom.db'), { readonly: true });
    cleanups.push(() => void db.close());
    const recorded = () => db.prepare(`SELECT count(*) FROM mailbox_messages`).pluck().get() as number;
    const partial: number[] = [];
    for (let k = 0; k < 6 && recorded() < 60; k++) {
      const before = recorded();
      const child = spawn(process.execPath, [path.join(root, 'bin/postroom.js'), 'mailbox', 'check', 'bounces', '--data', d], { env, stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      // Killed once it has committed something: between a commit and its MOVE, or in the middle of the next batch.
      await until(() => recorded() > before || child.exitCode !== null, 20_000, 'the check to commit a batch');
      await new Promise((r) => setTimeout(r, Math.random() * 60));
      child.kill('SIGKILL');
      await exited;
      partial.push(recorded());
    }
    expect(partial.some((n) => n > 0 && n < 60)).toBe(true);
    const last = await cli(['mailbox', 'check', 'bounces', '--json', '--data', d], { IMAP_PW: w.imap.password });
    expect(last.code).toBe(0);

    const totals = JSON.parse((await cli(['mailbox', 'list', '--json', '--data', d])).out)[0].totals;
    expect(totals).toEqual({ read: 60, hard: expected.hard, soft: expected.soft, complaints: expected.complaint, unsubscribes: 0, autoReplies: expected.auto, unrecognised: expected.human });
    const suppressed = JSON.parse((await cli(['suppress', 'list', '--json', '--data', d])).out) as unknown[];
    expect(suppressed).toHaveLength(expected.hard + expected.complaint);
    const status = JSON.parse((await cli(['status', 'spring', '--json', '--data', d])).out);
    expect(status).toMatchObject({ bounced: expected.hard, softBounced: expected.soft, complained: expected.complaint });
    const snap = await w.imap.snapshot();
    expect(snap['INBOX']).toHaveLength(expected.human);
    expect(snap[`Postroom${w.imap.separator}Processed`]).toHaveLength(60 - expected.human);
  }, 120_000);
});
