/**
 * `scanAttachments` benchmark (the review's check that every recipient's own file can be sent): 50,000
 * recipients, each naming their own file in the attachments folder, one in a hundred missing. Every file is looked
 * up through compose/attachments.ts as the engine would. Run: `npm run bench -- attachments-review`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createService } from '../../electron/core/service';
import { attachmentsFolderOf, scanAttachments } from '../../electron/core/compose/attachments';

const ROWS = 50_000;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-bench-attach-'));
  const files = path.join(dir, 'invoices');
  fs.mkdirSync(files);
  const service = createService({ dataDir: path.join(dir, 'data'), host: 'test' });
  try {
    for (let i = 0; i < ROWS; i++) if (i % 100 !== 0) fs.writeFileSync(path.join(files, `invoice-${i}.pdf`), '%PDF-1.4');
    const db = service.ctx.db;
    const now = Date.now();
    const listId = Number(db.prepare('INSERT INTO lists (name, fields, created_at, updated_at) VALUES (?, ?, ?, ?)').run('Bench', '["email","invoice"]', now, now).lastInsertRowid);
    const templateId = Number(
      db
        .prepare(`INSERT INTO templates (name, subject, from_addr, format, body, attach_field, created_at, updated_at) VALUES ('t', 's', 'a <a@x.test>', 'html', 'b', 'invoice', ?, ?)`)
        .run(now, now).lastInsertRowid,
    );
    const insert = db.prepare('INSERT INTO recipients (list_id, email, email_key, name, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < ROWS; i++) insert.run(listId, `user${i}@example.com`, `user${i}@example.com`, null, JSON.stringify({ invoice: `invoice-${i}.pdf` }), now, now);
    })();
    const campaignId = Number(
      db
        .prepare(`INSERT INTO campaigns (name, list_id, template_id, relay_ids, attachments_dir, created_at, updated_at) VALUES ('c', ?, ?, '[]', ?, ?, ?)`)
        .run(listId, templateId, files, now, now).lastInsertRowid,
    );
    const times: number[] = [];
    let count = 0;
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      count = scanAttachments(service.ctx, { field: 'invoice', folder: attachmentsFolderOf(db, { campaignId }), startedId: null, listId }).count;
      times.push(performance.now() - t);
    }
    times.sort((x, y) => x - y);
    console.log(`scanAttachments, ${ROWS.toLocaleString('en')} recipients with their own file: median ${times[2]!.toFixed(0)} ms (best ${times[0]!.toFixed(0)} ms); ${count} unreadable`);
  } finally {
    await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
