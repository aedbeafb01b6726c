/**
 * `lists:stats` benchmark: a 100,000-recipient list (6 and 30 merge fields, every seventh value empty, one in 50
 * addresses suppressed) counted through the real handler. Run: `npm run bench -- list-stats`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createService } from '../../electron/core/service';
import { dispatch } from '../../shared/router';

const ROWS = 100_000;

async function run(fieldCount: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-bench-stats-'));
  const service = createService({ dataDir: path.join(dir, 'data'), host: 'test' });
  try {
    const db = service.ctx.db;
    const names = Array.from({ length: fieldCount }, (_, i) => (i === 0 ? 'name' : `field_${i}`));
    const now = Date.now();
    const listId = Number(db.prepare('INSERT INTO lists (name, fields, created_at, updated_at) VALUES (?, ?, ?, ?)').run('Bench', JSON.stringify(['email', ...names]), now, now).lastInsertRowid);
    const insert = db.prepare('INSERT INTO recipients (list_id, email, email_key, name, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const suppress = db.prepare('INSERT INTO suppressions (email_key, email, created_at) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const fields: Record<string, string> = {};
        names.forEach((n, j) => (fields[n] = (i + j) % 7 === 0 ? '' : `Value ${i} ${j}`));
        insert.run(listId, `User${i}@Example.com`, `user${i}@example.com`, fields.name || null, JSON.stringify(fields), now, now);
        if (i % 50 === 0) suppress.run(`user${i}@example.com`, `user${i}@example.com`, now);
      }
    })();
    // As after an import, which checkpoints as it goes: the rows are in the database file, not the WAL.
    db.pragma('wal_checkpoint(TRUNCATE)');
    const times: number[] = [];
    let answer: unknown;
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      const r = await dispatch(service.handlers, 'lists:stats', { id: listId });
      times.push(performance.now() - t);
      if (!r.ok) throw new Error(r.error.message);
      answer = r.value;
    }
    const a = answer as { total: number; suppressed: number; fields: Array<{ empty: number }> };
    times.sort((x, y) => x - y);
    console.log(
      `lists:stats, ${ROWS.toLocaleString('en')} recipients, ${fieldCount} fields: median ${times[2]!.toFixed(0)} ms (best ${times[0]!.toFixed(0)} ms); ` +
        `total ${a.total}, suppressed ${a.suppressed}, first field empty ${a.fields[0]!.empty}`,
    );
  } finally {
    await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

run(6)
  .then(() => run(30))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
