/**
 * A data folder holding one campaign per blocker and warning of the review before sending (and one that is
 * ready), built through the real core. The core's test, the command line's and the window's (e2e) use the same
 * set, so they can show that every door gives the same review.
 */
import { createList } from '../../../electron/core/store/lists';
import { insertTemplate } from '../../../electron/core/store/templates';
import type { ReviewCode } from '../../../shared/contract/sending';
import type { TemplateDraft } from '../../../shared/contract/templates';
import { recipients, setup, type Setup } from './harness';

export interface ReviewCase {
  campaign: string;
  /** The code this campaign is built to show (blocker or warning). */
  code: ReviewCode;
  blocker: boolean;
}

const base: TemplateDraft = {
  name: '',
  subject: 'News for {{ first_name | default: "you" }}',
  from: 'Shop <shop@example.com>',
  replyTo: null,
  format: 'html',
  body: '<p>Hello {{ first_name | default: "there" }} at {{ company | default: "your company" }}! <a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
  text: null,
  attachField: null,
};

/**
 * Builds the cases in a fresh data folder (or `dir`) and closes the service. The relay `local` points at `port`
 * (nothing is sent by a review). Returns the folder and the cases.
 */
export async function buildReviewCases(dir?: string, port = 2525): Promise<{ dir: string; cases: ReviewCase[] }> {
  const s: Setup = setup(dir ? { dir } : {});
  const now = Date.now();
  const db = s.db;
  s.addRecipients(recipients(6));
  // Every other customer has no company: `company` without a fallback is empty for them.
  db.prepare(`UPDATE recipients SET fields = json_set(fields, '$.company', '') WHERE id % 2 = 0`).run();
  s.addRelay('local', port);
  s.addRelay('nopass', port, { user: 'shop' });
  s.addRelay('oauth', port, { user: 'shop' });
  s.addRelay('small', port);
  // A relay whose stored password is gone (a lost keyring), and an OAuth2 account that never signed in.
  db.prepare(`UPDATE relays SET secret_sealed = NULL, secret_env = NULL WHERE name IN ('nopass', 'oauth')`).run();
  db.prepare(`UPDATE relays SET auth = 'oauth2' WHERE name = 'oauth'`).run();
  db.prepare(`UPDATE relays SET per_day = 3 WHERE name = 'small'`).run();
  createList(db, 'empty', now, ['email']);
  const gone = createList(db, 'gone', now, ['email']);
  db.prepare(`INSERT INTO recipients (list_id, email, email_key, name, fields, created_at, updated_at) VALUES (?, 'left@example.test', 'left@example.test', NULL, '{"email":"left@example.test"}', 0, 0)`).run(gone.id);
  await s.call('suppressions:add', { emails: ['left@example.test'] });
  // A list whose `invoice` column names a file that isn't in the attachments folder.
  const billing = createList(db, 'billing', now, ['email', 'invoice']);
  db.prepare(`INSERT INTO recipients (list_id, email, email_key, name, fields, created_at, updated_at) VALUES (?, 'ann@example.test', 'ann@example.test', NULL, '{"email":"ann@example.test","invoice":"no-such-invoice.pdf"}', 0, 0)`).run(billing.id);

  const template = (name: string, t: Partial<TemplateDraft>) => insertTemplate(db, { ...base, ...t, name }, now);
  template('fine', {});
  template('vip', { body: `${base.body}<p>{{ vip_code }}</p>` });
  template('broken', { body: `${base.body}{% if first_name %}no end` });
  template('nickname', { body: `${base.body}<p>{{ nickname | default: "friend" }}</p>` });
  template('gap', { body: `${base.body}<p>{{ company }}</p>` });
  template('nosubject', { subject: '' });
  template('nolink', { body: '<p>Hello {{ first_name | default: "there" }}</p>' });
  template('invoice', { attachField: 'invoice' });
  template('image', { body: `${base.body}<img src="cid:logo.png" alt="Logo">` });

  const cases: ReviewCase[] = [];
  const make = async (campaign: string, code: ReviewCode, blocker: boolean, c: { list?: string; template?: string; relays?: string[]; at?: number; unsubscribe?: string | null }) => {
    const unsubscribe = c.unsubscribe === undefined ? 'https://shop.example.com/leave?e={{email}}' : c.unsubscribe;
    await s.call('campaigns:create', {
      name: campaign,
      list: c.list ?? 'customers',
      template: c.template ?? 'fine',
      relays: c.relays ?? ['local'],
      ...(c.at ? { at: c.at } : {}),
      ...(unsubscribe ? { unsubscribe } : {}),
    });
    cases.push({ campaign, code, blocker });
  };
  await make('ready', 'DKIM_MISSING', false, {});
  await make('list empty', 'LIST_EMPTY', true, { list: 'empty' });
  await make('all suppressed', 'NOBODY_LEFT', true, { list: 'gone' });
  await make('unknown field', 'FIELD_MISSING', true, { template: 'vip' });
  await make('template error', 'TEMPLATE_ERROR', true, { template: 'broken' });
  await make('no password', 'RELAY_NEEDS_PASSWORD', true, { relays: ['nopass'] });
  await make('not signed in', 'RELAY_NEEDS_SIGN_IN', true, { relays: ['local', 'oauth'] });
  await make('too late', 'SCHEDULE_PAST', true, { at: now - 3 * 3_600_000 });
  await make('no unsubscribe', 'NO_UNSUBSCRIBE', false, { unsubscribe: null });
  await make('mailto only', 'UNSUBSCRIBE_MAILTO_ONLY', false, { unsubscribe: 'mailto:leave@example.com' });
  await make('no link in body', 'UNSUBSCRIBE_NOT_IN_BODY', false, { template: 'nolink' });
  await make('empty company', 'FIELD_EMPTY', false, { template: 'gap' });
  await make('fallback only', 'FIELD_NOT_ON_LIST', false, { template: 'nickname' });
  await make('no subject', 'SUBJECT_EMPTY', false, { template: 'nosubject' });
  await make('missing image', 'INLINE_IMAGE_MISSING', false, { template: 'image' });
  await make('missing invoice', 'ATTACHMENTS_UNREADABLE', true, { list: 'billing', template: 'invoice' });
  await make('over quota', 'QUOTA_SPILLS', false, { relays: ['small'] });
  await s.close();
  return { dir: s.dir, cases };
}
