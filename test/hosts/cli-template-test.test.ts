import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { runCli } from '../../electron/hosts/cli';
import { createService } from '../../electron/core/service';
import { startServer, type ScriptedServer } from '../core/relay/helpers';
import { captureIo, tempDir } from '../helpers';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(data: string, args: string[], cwd = process.cwd()) {
  const c = captureIo();
  c.io.cwd = cwd;
  const code = await runCli([...args, '--data', data], c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
}

async function setUp() {
  const data = tempDir();
  const files = tempDir();
  server = await startServer();
  fs.writeFileSync(path.join(files, 'news.html'), '<p>Hi {{ first_name | default: "there" }}</p>');
  expect((await run(data, ['template', 'add', 'News', '--subject', 'Hello {{ first_name }}', '--from', 'Ann <ann@example.com>', '--html', 'news.html'], files)).code).toBe(0);
  expect((await run(data, ['relay', 'add', 'local', '--host', '127.0.0.1', '--port', String(server.port), '--security', 'none'])).code).toBe(0);
  const s = createService({ dataDir: data, host: 'test' });
  const listId = Number(s.ctx.db.prepare(`INSERT INTO lists (name, fields, created_at, updated_at) VALUES ('Customers', '["email","first_name"]', 1, 1)`).run().lastInsertRowid);
  const insert = s.ctx.db.prepare(`INSERT INTO recipients (list_id, email, email_key, name, fields, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, 1, 1)`);
  insert.run(listId, 'ann@example.net', 'ann@example.net', '{"first_name":"Ann"}');
  insert.run(listId, 'bob@example.net', 'bob@example.net', '{"first_name":"Bob"}');
  await s.close();
  return data;
}

describe('postroom template test', () => {
  it("sends the chosen recipient's message to --to with [TEST] in the subject", async () => {
    const data = await setUp();
    const r = await run(data, ['template', 'test', 'News', '--list', 'Customers', '--recipient', 'bob@example.net', '--relay', 'local', '--to', 'me@example.org', '--json']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, template: 'News', relay: 'local', to: 'me@example.org' });
    expect(server!.accepted().map((m) => m.to)).toEqual([['me@example.org']]);
    expect((await simpleParser(server!.accepted()[0]!.raw)).subject).toBe('[TEST] Hello Bob');
  });

  it('exits 2 without --to, and 1 with one clear line for an address that is not one', async () => {
    const data = await setUp();
    expect((await run(data, ['template', 'test', 'News', '--relay', 'local'])).code).toBe(2);
    const bad = await run(data, ['template', 'test', 'News', '--relay', 'local', '--to', 'nobody']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/can't be sent to that address/);
    expect(server!.received).toHaveLength(0);
  });
});
