import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { harness, type Harness } from '../import/helpers';
import { listStats, StagingList } from '../../../electron/core/store/recipients';
import { getList } from '../../../electron/core/store/lists';
import { packRows } from '../../../electron/core/store/packed-rows';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.close();
});

/** Imports a CSV into a new list and answers its id. */
async function importList(name: string, csv: string): Promise<number> {
  return (await h.call('lists:import', { path: h.file(`${name}.csv`, csv), listName: name })).listId;
}

const empties = (s: { fields: Array<{ field: string; empty: number }> }) => Object.fromEntries(s.fields.map((f) => [f.field, f.empty]));

describe('lists:stats', () => {
  it('counts a list again only when the database changed since, by this connection or another', async () => {
    const id = await importList('Again', ['email,city', 'a@example.com,Bonn', 'b@example.com,', 'c@example.com,Wien'].join('\n'));
    const db = h.service.ctx.db;
    const prepare = vi.spyOn(db, 'prepare');
    const counted = () => prepare.mock.calls.filter(([sql]) => String(sql).includes('json_extract(r.fields')).length;
    const first = await h.call('lists:stats', { id });
    expect(first).toMatchObject({ total: 3, suppressed: 0 });
    expect(empties(first)).toEqual({ city: 1 });
    expect(counted()).toBe(1);
    // Nothing changed: the same answer, not counted again.
    expect(await h.call('lists:stats', { id })).toEqual(first);
    expect(counted()).toBe(1);
    // A write by this connection (a suppression): counted again.
    await h.call('suppressions:add', { emails: ['c@example.com'] });
    expect(await h.call('lists:stats', { id })).toMatchObject({ total: 3, suppressed: 1, suppressedSample: ['c@example.com'] });
    expect(counted()).toBe(2);
    // A write by another connection (another process): counted again.
    const other = new Database(db.name);
    other.prepare("UPDATE recipients SET fields = json_set(fields, '$.city', '') WHERE email = 'a@example.com'").run();
    expect(empties(await h.call('lists:stats', { id }))).toEqual({ city: 2 });
    expect(counted()).toBe(3);
    // A write while it counts (a list of more than one step, 2,500 recipients): that count is answered, not kept.
    const big = await importList('Big2', ['email,city', ...Array.from({ length: 6000 }, (_, i) => `u${i}@example.com,Bonn`)].join('\n'));
    const n = counted();
    await listStats(db, getList(db, big), async () => {
      other.prepare("UPDATE recipients SET fields = json_set(fields, '$.city', '') WHERE email = 'u5999@example.com'").run();
    });
    expect(counted()).toBe(n + 1);
    expect(empties(await listStats(db, getList(db, big)))).toEqual({ city: 1 });
    expect(counted()).toBe(n + 2);
    other.close();
  });

  it('counts a big list in steps, letting other work run between them, with the same answer as one pass', async () => {
    const lines = ['email,city,company'];
    for (let i = 0; i < 12_345; i++) lines.push(`user${i}@example.com,${i % 3 === 0 ? '' : 'Bonn'},${i % 7 === 0 ? ' ' : 'ACME'}`);
    const id = await importList('Big', lines.join('\n'));
    await h.call('suppressions:add', { emails: ['user5@example.com', 'user12344@example.com', 'user6000@example.com'] });
    let pauses = 0;
    const s = await listStats(h.service.ctx.db, getList(h.service.ctx.db, id), async () => {
      pauses++;
    });
    expect(pauses).toBe(4); // 12,345 recipients: four steps of 2,500, then 2,345
    let city = 0;
    let company = 0;
    for (let i = 0; i < 12_345; i++) {
      if (i % 3 === 0) city++;
      if (i % 7 === 0) company++;
    }
    expect(s).toMatchObject({ total: 12_345, suppressed: 3, suppressedSample: ['user12344@example.com', 'user5@example.com', 'user6000@example.com'] });
    expect(empties(s)).toEqual({ city, company });
  });

  it('counts recipients and, per field except email, those with it empty, in the list’s field order', async () => {
    const id = await importList('Club', ['email,city,company', 'a@example.com,Bonn,', 'b@example.com,,ACME', 'c@example.com,  ,ACME', 'd@example.com,Wien,Bolt'].join('\n'));
    const s = await h.call('lists:stats', { id });
    expect(s).toMatchObject({ listId: id, total: 4, suppressed: 0, suppressedSample: [] });
    expect(s.fields).toEqual([
      { field: 'city', empty: 2 },
      { field: 'company', empty: 1 },
    ]);
  });

  it('counts values that are only whitespace (tabs, no-break spaces, line breaks) as empty', async () => {
    const id = await importList('W', 'email,city\na@example.com,Bonn\nb@example.com,x\nc@example.com,y\nd@example.com,z\n');
    // The import trims what it stores; values written some other way are counted the same.
    const set = h.service.ctx.db.prepare("UPDATE recipients SET fields = json_set(fields, '$.city', ?) WHERE email = ?");
    set.run(' \t ', 'b@example.com');
    set.run('\u00a0\n', 'c@example.com');
    set.run(' Lyon ', 'd@example.com');
    expect(empties(await h.call('lists:stats', { id }))).toEqual({ city: 2 });
  });

  it('counts a field missing from a recipient’s data, or null there, as empty', async () => {
    const id = await importList('M', 'email,city,tier\na@example.com,Bonn,gold\nb@example.com,Paris,silver\nc@example.com,Rome,gold\n');
    const db = h.service.ctx.db;
    db.prepare("UPDATE recipients SET fields = json_remove(fields, '$.tier') WHERE email = 'b@example.com'").run();
    db.prepare("UPDATE recipients SET fields = json_set(fields, '$.city', json('null')) WHERE email = 'c@example.com'").run();
    expect(empties(await h.call('lists:stats', { id }))).toEqual({ city: 1, tier: 1 });
  });

  it('counts a field that no recipient has (a column added by a later import) as empty for everyone before', async () => {
    const id = await importList('L', 'email,city\na@example.com,Bonn\nb@example.com,Paris\n');
    await h.call('lists:import', { path: h.file('more.csv', 'email,city,vip\nc@example.com,Rome,yes\n'), listId: id });
    expect(empties(await h.call('lists:stats', { id }))).toEqual({ city: 0, vip: 2 });
  });

  it('counts the name a message would show: the recipient’s name, else the name field', async () => {
    const id = await importList('N', 'email,name\nAnna <a@example.com>,\nb@example.com,Bernd\nc@example.com,\n');
    expect(empties(await h.call('lists:stats', { id }))).toEqual({ name: 1 });
  });

  it('counts suppressed addresses without regard to case and names the first few as written on the list', async () => {
    const id = await importList('S', ['email', 'Zoe@Example.com', 'anna@example.com', 'BOB@example.com', 'carl@example.com'].join('\n'));
    await h.call('suppressions:add', { emails: ['bob@EXAMPLE.com', 'zoe@example.COM', 'nobody@example.com'] });
    const s = await h.call('lists:stats', { id });
    expect(s).toMatchObject({ total: 4, suppressed: 2, suppressedSample: ['BOB@example.com', 'Zoe@Example.com'] });
  });

  it('names at most five suppressed addresses but counts them all', async () => {
    const emails = Array.from({ length: 8 }, (_, i) => `u${i}@example.com`);
    const id = await importList('F', ['email', ...emails].join('\n'));
    await h.call('suppressions:add', { emails });
    const s = await h.call('lists:stats', { id });
    expect(s.suppressed).toBe(8);
    expect(s.suppressedSample).toEqual(emails.slice(0, 5));
  });

  it('counts only the list asked about, not the same addresses on other lists', async () => {
    const a = await importList('A', 'email,city\na@example.com,\nb@example.com,\n');
    await importList('B', 'email,city\na@example.com,Bonn\nc@example.com,\n');
    await h.call('suppressions:add', { emails: ['c@example.com'] });
    expect(await h.call('lists:stats', { id: a })).toMatchObject({ total: 2, suppressed: 0, fields: [{ field: 'city', empty: 2 }] });
  });

  it('answers zeros for an empty list', async () => {
    const l = await h.call('lists:create', { name: 'Empty' });
    expect(await h.call('lists:stats', { id: l.id })).toEqual({ listId: l.id, total: 0, suppressed: 0, suppressedSample: [], fields: [] });
  });

  it('stages batches written together in one transaction, each seeing the ones before', async () => {
    const db = h.service.ctx.db;
    const stage = new StagingList(db, Date.now());
    try {
      stage.together(() => {
        stage.write(packRows(['a@example.com', 'a@example.com', '', '{}']), [0]);
        expect(stage.has('a@example.com')).toBe(true);
        stage.write(packRows(['b@example.com', 'b@example.com', 'Bo', '{"x":"1"}']), [0]);
      });
      expect(db.prepare('SELECT email, name FROM recipients WHERE list_id = ? ORDER BY email').all(stage.id)).toEqual([
        { email: 'a@example.com', name: null },
        { email: 'b@example.com', name: 'Bo' },
      ]);
      // A key staged twice is an error (the importer never does it), and the whole group goes back.
      expect(() =>
        stage.together(() => {
          stage.write(packRows(['c@example.com', 'c@example.com', '', '{}']), [0]);
          stage.write(packRows(['A@example.com', 'a@example.com', '', '{}']), [0]);
        }),
      ).toThrow(/UNIQUE/);
      expect(stage.has('c@example.com')).toBe(false);
      expect(db.prepare('SELECT count(*) FROM recipients WHERE list_id = ?').pluck().get(stage.id)).toBe(2);
    } finally {
      await stage.discard();
      stage.close();
    }
  });

  it('refuses a list an import is still filling, and one that does not exist', async () => {
    const stage = new StagingList(h.service.ctx.db, Date.now());
    try {
      stage.write(packRows(['a@example.com', 'a@example.com', '', '{}']), [0]);
      expect((await h.fail('lists:stats', { id: stage.id })).code).toBe('NOT_FOUND');
    } finally {
      await stage.discard();
      stage.close();
    }
    expect((await h.fail('lists:stats', { id: 999 })).code).toBe('NOT_FOUND');
  });

  it('refuses to commit an import whose staging list was removed meanwhile, and its rows go with the discard', async () => {
    const db = h.service.ctx.db;
    const stage = new StagingList(db, Date.now());
    try {
      stage.write(packRows(['a@example.com', 'a@example.com', '', '{}', 'b@example.com', 'b@example.com', '', '{}']), [0, 1]);
      db.pragma('foreign_keys = OFF'); // as a careless tool would, leaving the staged rows behind
      db.prepare('DELETE FROM lists WHERE id = ?').run(stage.id);
      db.pragma('foreign_keys = ON');
      expect(() => stage.commit({ name: 'Lost' }, () => undefined)).toThrow(/lost its place/);
      await stage.discard();
    } finally {
      stage.close();
    }
    expect(db.prepare('SELECT count(*) FROM recipients WHERE list_id = ?').pluck().get(stage.id)).toBe(0);
    expect(db.prepare("SELECT count(*) FROM lists WHERE name = 'Lost'").pluck().get()).toBe(0);
  });
});
