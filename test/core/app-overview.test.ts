import { describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/router';
import { createService } from '../../electron/core/service';
import { tempDir } from '../helpers';

describe('the overview behind the first-run checklist', () => {
  it('counts lists and recipients, but not a list whose import is still running', async () => {
    const service = createService({ dataDir: tempDir(), host: 'test' });
    const { db } = service.ctx;
    const addList = db.prepare('INSERT INTO lists (name, importing, created_at, updated_at) VALUES (?, ?, 0, 0)');
    const addRecipient = db.prepare("INSERT INTO recipients (list_id, email, email_key, fields, created_at, updated_at) VALUES (?, ?, ?, '{}', 0, 0)");
    const done = Number(addList.run('Customers', null).lastInsertRowid);
    const staging = Number(addList.run('stage-1', 'import-1').lastInsertRowid);
    addRecipient.run(done, 'anna@example.com', 'anna@example.com');
    addRecipient.run(staging, 'bob@example.com', 'bob@example.com');
    addRecipient.run(staging, 'cy@example.com', 'cy@example.com');
    const result = await dispatch(service.handlers, 'app:overview', {});
    expect(result).toMatchObject({ ok: true, value: { lists: 1, recipients: 1, relays: 0, templates: 0, campaigns: 0 } });
    await service.close();
  });
});
