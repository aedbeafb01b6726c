import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { getTemplate } from '../../../electron/core/store/templates';
import { attachmentsFolderOf } from '../../../electron/core/compose/attachments';
import { migrationsUpTo, tempDir } from '../../helpers';

describe('migration 007 (attachments folders, pinned certificates)', () => {
  it('adds the attachments folder to campaigns, templates and lists, and the pinned fingerprint to relays, keeping their rows', () => {
    const dir = tempDir();
    const old = openDatabase(dir, { migrations: migrationsUpTo(6) });
    expect(schemaVersion(old)).toBe(6);
    old.prepare(`INSERT INTO lists (name, fields, created_at, updated_at) VALUES ('customers', '["email"]', 1, 1)`).run();
    old.prepare(`INSERT INTO templates (name, subject, from_addr, format, body, attach_field, created_at, updated_at) VALUES ('t', 's', 'a <a@x.test>', 'html', 'b', 'invoice', 1, 1)`).run();
    old.prepare(`INSERT INTO campaigns (name, list_id, template_id, relay_ids, created_at, updated_at) VALUES ('spring', 1, 1, '[]', 1, 1)`).run();
    old.prepare(`INSERT INTO relays (name, host, port, security, accept_self_signed, created_at, updated_at) VALUES ('own', 'mail.x.test', 465, 'tls', 1, 1, 1)`).run();
    old.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(7) });
    expect(schemaVersion(db)).toBe(7);
    // Nothing chosen yet: no folder, so per-recipient attachments are refused until one is (never the old resolution).
    expect(attachmentsFolderOf(db, { campaignId: 1, templateId: 1, listId: 1 })).toBeNull();
    expect(getTemplate(db, 1)).toMatchObject({ name: 't', attachField: 'invoice', attachmentsDir: null });
    expect(db.prepare(`SELECT accept_self_signed, tls_fingerprint FROM relays`).get()).toEqual({ accept_self_signed: 1, tls_fingerprint: null });
    db.prepare(`UPDATE lists SET attachments_dir = '/srv/sheets'`).run();
    expect(attachmentsFolderOf(db, { campaignId: 1, templateId: 1, listId: 1 })).toBe('/srv/sheets');
    db.prepare(`UPDATE templates SET attachments_dir = '/srv/templates'`).run();
    expect(attachmentsFolderOf(db, { campaignId: 1, templateId: 1, listId: 1 })).toBe('/srv/templates');
    db.prepare(`UPDATE campaigns SET attachments_dir = '/srv/spring'`).run();
    expect(attachmentsFolderOf(db, { campaignId: 1, templateId: 1, listId: 1 })).toBe('/srv/spring');
    db.close();
  });
});
