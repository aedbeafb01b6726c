import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../import/helpers';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.close();
});

describe('lists', () => {
  it('creates, renames and deletes lists; names are unique without regard to case', async () => {
    const a = await h.call('lists:create', { name: 'Customers' });
    expect(a).toMatchObject({ name: 'Customers', recipients: 0, fields: ['email'], source: null });
    expect((await h.fail('lists:create', { name: 'customers' })).code).toBe('ALREADY_EXISTS');
    const b = await h.call('lists:create', { name: 'Club' });
    expect((await h.fail('lists:rename', { id: b.id, name: 'CUSTOMERS' })).code).toBe('ALREADY_EXISTS');
    expect(await h.call('lists:rename', { id: a.id, name: 'Clients' })).toMatchObject({ id: a.id, name: 'Clients' });
    expect(await h.call('lists:delete', { id: b.id })).toEqual({ deleted: 0 });
    expect((await h.call('lists:list', {})).map((l) => l.name)).toEqual(['Clients']);
    expect((await h.fail('lists:delete', { id: b.id })).code).toBe('NOT_FOUND');
  });

  it('announces changes so list views can reload', async () => {
    const seen: Array<number | null> = [];
    h.service.events.on('lists:changed', (e) => seen.push(e.listId));
    const a = await h.call('lists:create', { name: 'A' });
    await h.call('lists:rename', { id: a.id, name: 'B' });
    await h.call('lists:delete', { id: a.id });
    expect(seen).toEqual([a.id, a.id, a.id]);
  });

  it('pages through recipients in address order and searches addresses, names and fields', async () => {
    const rows = ['email,first_name,city', ...Array.from({ length: 250 }, (_, i) => `u${String(i).padStart(3, '0')}@example.com,N${i},${i % 50 === 0 ? 'Zürich' : 'Bonn'}`)];
    const s = await h.call('lists:import', { path: h.file('p.csv', rows.join('\n')), listName: 'P' });
    const page = await h.call('lists:recipients', { id: s.listId, offset: 100, limit: 100 });
    expect(page.total).toBe(250);
    expect(page.recipients[0]!.email).toBe('u100@example.com');
    expect(page.recipients).toHaveLength(100);
    const found = await h.call('lists:recipients', { id: s.listId, search: 'zürich' });
    expect(found.total).toBe(5);
    expect((await h.call('lists:recipients', { id: s.listId, search: 'U007@' })).recipients.map((r) => r.email)).toEqual(['u007@example.com']);
    expect((await h.call('lists:recipients', { id: s.listId, search: 'n249' })).total).toBe(1);
    // Field names are not values: searching for one finds nothing.
    expect((await h.call('lists:recipients', { id: s.listId, search: 'first_name' })).total).toBe(0);
  });

  it('removes recipients by id', async () => {
    const s = await h.call('lists:import', { path: h.file('r.csv', 'email\na@example.com\nb@example.com\n'), listName: 'R' });
    const [a] = (await h.call('lists:recipients', { id: s.listId })).recipients;
    expect(await h.call('lists:removeRecipients', { id: s.listId, recipientIds: [a!.id] })).toEqual({ removed: 1 });
    expect((await h.call('lists:list', {}))[0]!.recipients).toBe(1);
  });
});

describe('suppressions', () => {
  it('adds, lists (newest first) and removes suppressions by normalised address', async () => {
    expect(await h.call('suppressions:add', { emails: ['Bob@Example.com', 'info@müller.de'], reason: 'asked' })).toEqual({ added: 2, already: 0 });
    expect(await h.call('suppressions:add', { emails: ['bob@example.COM'] })).toEqual({ added: 0, already: 1 });
    const list = await h.call('suppressions:list', {});
    expect(list.total).toBe(2);
    expect(list.items.map((i) => i.email).sort()).toEqual(['Bob@Example.com', 'info@müller.de']);
    expect((await h.call('suppressions:list', { search: 'müller' })).total).toBe(1);
    expect(await h.call('suppressions:remove', { emails: ['BOB@example.com', 'INFO@xn--mller-kva.de'] })).toEqual({ removed: 2 });
    expect((await h.call('suppressions:list', {})).total).toBe(0);
  });

  it('refuses to add anything when one entry is not an address', async () => {
    const e = await h.fail('suppressions:add', { emails: ['ok@example.com', 'not an address'] });
    expect(e.code).toBe('INVALID_INPUT');
    expect((await h.call('suppressions:list', {})).total).toBe(0);
  });

  it('imports a file of addresses, reporting the invalid rows', async () => {
    const r = await h.call('suppressions:import', { path: h.file('s.txt', 'a@example.com\nB@example.com\nnope\n\nb@example.com\n') });
    expect(r).toMatchObject({ rows: 4, added: 2, already: 1, invalid: 1, errors: [{ row: 3, kind: 'invalid', reason: 'invalid e-mail address "nope": it has no @' }] });
  });

  it('says where imported suppressions came from, in words and by code, unless the person gave a reason', async () => {
    await h.call('suppressions:import', { path: h.file('old.txt', 'a@example.com\n') });
    await h.call('suppressions:import', { path: h.file('new.txt', 'b@example.com\n'), reason: 'Importiert aus new.txt' });
    const { items } = await h.call('suppressions:list', {});
    expect(items.find((i) => i.email === 'a@example.com')).toMatchObject({ detail: 'imported from old.txt', detailNote: { code: 'SUPPRESSED_IMPORTED', params: { file: 'old.txt' } } });
    expect(items.find((i) => i.email === 'b@example.com')).toMatchObject({ detail: 'Importiert aus new.txt' });
    expect(items.find((i) => i.email === 'b@example.com')).not.toHaveProperty('detailNote');
  });
});

describe('staging lists of imports', () => {
  it('clears away the hidden staging list an import left when its process died, and never shows it', async () => {
    const { createService } = await import('../../../electron/core/service');
    const db = h.service.ctx.db;
    const dead = JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), startedAt: 0 });
    const alive = JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), startedAt: 0 });
    db.prepare('INSERT INTO lists (id, name, importing, created_at, updated_at) VALUES (50, ?, ?, 0, 0), (51, ?, ?, 0, 0)').run('(import in progress) dead', dead, '(import in progress) live', alive);
    db.prepare("INSERT INTO recipients (list_id, email, email_key, created_at, updated_at) VALUES (50, 'a@example.com', 'a@example.com', 0, 0), (51, 'b@example.com', 'b@example.com', 0, 0)").run();
    expect(await h.call('lists:list', {})).toEqual([]);
    const second = createService({ dataDir: h.service.ctx.dataDir, host: 'test' });
    await new Promise((r) => setTimeout(r, 50));
    expect(db.prepare('SELECT id FROM lists ORDER BY id').pluck().all()).toEqual([51]);
    expect(db.prepare('SELECT list_id FROM recipients').pluck().all()).toEqual([51]);
    await second.close();
  });
});
