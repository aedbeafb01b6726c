import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/core/store/db';
import { listSuppressions } from '../../../electron/core/store/suppressions';
import { getMailbox, summaryOf as mailboxSummaryOf } from '../../../electron/core/mailbox/store';
import { findCampaign, summaryOf as campaignSummaryOf } from '../../../electron/core/outbox/campaigns';
import { outboxRowWithAttempts } from '../../../electron/core/outbox/rows';
import { migrationsUpTo, tempDir } from '../../helpers';

describe('migration 011 (the core’s sentences by code)', () => {
  it('adds a note beside each stored sentence, keeping the English of rows written before, which then have no note', () => {
    const dir = tempDir('postroom-m011-');
    const old = openDatabase(dir, { migrations: migrationsUpTo(10) });
    expect(schemaVersion(old)).toBe(10);
    old.prepare(`INSERT INTO campaigns (name, relay_ids, state, pause_reason, pause_code, created_at, updated_at) VALUES ('spring', '[]', 'paused', 'Paused by you.', NULL, 1, 1)`).run();
    old.prepare(`INSERT INTO outbox (campaign_id, email, email_key, message_id, state, last_response) VALUES (1, 'a@x.test', 'a@x.test', '<1@x.test>', 'skipped', 'Not sent: the address is on the suppression list.')`).run();
    old.prepare(`INSERT INTO outbox_attempts (outbox_id, at, outcome, response) VALUES (1, 5, 'skipped', 'Not sent: the address is on the suppression list.')`).run();
    old.prepare(`INSERT INTO suppressions (email_key, email, reason, created_at, kind, detail) VALUES ('a@x.test', 'a@x.test', 'imported from old.csv', 1, 'import', 'imported from old.csv')`).run();
    old
      .prepare(`INSERT INTO mailboxes (name, host, port, security, user, auth, secret_env, last_checked_at, last_error, created_at, updated_at) VALUES ('bounces', 'imap.x.test', 993, 'tls', 'u', 'password', 'PW', 7, 'The mailbox "bounces" has no password saved.', 1, 1)`)
      .run();
    old.close();

    const db = openDatabase(dir, { migrations: migrationsUpTo(11) });
    expect(schemaVersion(db)).toBe(11);
    const campaign = campaignSummaryOf(db, findCampaign(db, 'spring'));
    expect(campaign).toMatchObject({ pauseReason: 'Paused by you.' });
    expect(campaign).not.toHaveProperty('pauseNote');
    const row = outboxRowWithAttempts(db, 1, 'a@x.test')!;
    expect(row.row).toMatchObject({ lastResponse: 'Not sent: the address is on the suppression list.' });
    expect(row.row).not.toHaveProperty('lastNote');
    expect(row.attempts).toEqual([{ at: 5, relay: null, outcome: 'skipped', response: 'Not sent: the address is on the suppression list.' }]);
    expect(listSuppressions(db).items).toEqual([{ email: 'a@x.test', reason: 'import', campaign: null, detail: 'imported from old.csv', createdAt: 1 }]);
    const mailbox = mailboxSummaryOf(db, getMailbox(db, 'bounces'));
    expect(mailbox).toMatchObject({ lastCheckedAt: 7, lastError: 'The mailbox "bounces" has no password saved.' });
    expect(mailbox).not.toHaveProperty('lastErrorNote');

    // A note written now is read back; one that isn't a note (hand-edited) is ignored, leaving the English.
    db.prepare(`UPDATE campaigns SET pause_note = '{"code":"PAUSED_BY_YOU","params":{}}'`).run();
    expect(campaignSummaryOf(db, findCampaign(db, 'spring')).pauseNote).toEqual({ code: 'PAUSED_BY_YOU', params: {} });
    db.prepare(`UPDATE suppressions SET detail_note = 'imported'`).run();
    expect(listSuppressions(db).items[0]).not.toHaveProperty('detailNote');
    db.close();
  });
});
