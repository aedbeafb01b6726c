import { afterEach, describe, expect, it } from 'vitest';
import * as R from '../../fixtures/mailbox/reports';
import { world, type World } from './world';
import { getMailbox } from '../../../electron/core/mailbox/store';
import { checkMailbox } from '../../../electron/core/mailbox/checker';
import { startDovecot } from './dovecot';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function open(opts: Parameters<typeof world>[0] = {}): Promise<World> {
  const w = await world(opts);
  cleanups.push(() => w.close());
  return w;
}

/** Puts one of each kind of report into the inbox, about the messages the campaign sent; returns their Message-IDs by kind. */
async function corpus(w: World, sent: Map<string, R.Sent>) {
  const to = (n: number) => sent.get(`r${String(n).padStart(4, '0')}@example.test`)!;
  const messages: Record<string, string> = {
    dsnHard: R.dsn(to(1), 'hard'),
    dsnSoft: R.dsn(to(2), 'soft'),
    dsnDelayed: R.dsn(to(3), 'delayed'),
    exim: R.exim(to(4)),
    qmail: R.qmail(to(5)),
    m365: R.m365(to(6)),
    exchangeLegacy: R.exchangeLegacy(to(7)),
    gmail: R.gmail(to(8)),
    arf: R.arf(to(9)),
    // Sent from a forwarding address, not the recipient's: the token in the subject still names them.
    unsubscribe: R.unsubscribeRequest(to(10), 'forwarded-alias@elsewhere.example'),
    autoReply: R.autoReply(to(11)),
    human: R.humanReply(to(12)),
    foreign: R.foreignBounce('friend@example.org', 'shop@example.com'),
  };
  const ids: Record<string, string> = {};
  for (const [k, raw] of Object.entries(messages)) {
    await w.imap.append(raw);
    ids[k] = R.headerOf(raw, 'Message-ID');
  }
  return ids;
}

describe('checking the mailbox', () => {
  it('recognises each kind of report, suppresses with the reason, moves what it recognised and leaves the rest unread', async () => {
    const w = await open();
    const sent = await w.send('spring');
    expect(sent.size).toBe(12);
    const ids = await corpus(w, sent);

    const [r] = await w.s.call('mailboxes:check', { mailbox: 'bounces' });
    expect(r).toEqual({
      mailbox: 'bounces',
      read: 13,
      bounces: { hard: 6, soft: 2 },
      complaints: 1,
      unsubscribes: 1,
      autoReplies: 1,
      unrecognised: 2,
      suppressed: 8,
      paused: [],
    });

    const list = (await w.s.call('suppressions:list', {})).items;
    const by = new Map(list.map((i) => [i.email, i]));
    for (const n of [1, 4, 5, 6, 7, 8]) expect(by.get(`r000${n}@example.test`)).toMatchObject({ reason: 'hard-bounce', campaign: 'spring' });
    expect(by.get('r0001@example.test')!.detail).toContain('550 5.1.1');
    expect(by.get('r0001@example.test')!.detail).toContain('User unknown');
    expect(by.get('r0004@example.test')!.detail).toContain('No such user here');
    expect(by.get('r0005@example.test')!.detail).toContain('User unknown');
    expect(by.get('r0006@example.test')!.detail).toContain('RESOLVER.ADR.RecipientNotFound');
    expect(by.get('r0007@example.test')!.detail).toContain('RecipNotFound');
    expect(by.get('r0008@example.test')!.detail).toContain('does not exist');
    expect(by.get('r0009@example.test')).toMatchObject({ reason: 'complaint', campaign: 'spring' });
    expect(by.get('r0010@example.test')).toMatchObject({ reason: 'unsubscribe', campaign: 'spring' });
    for (const n of [2, 3, 11, 12]) expect(by.has(`r00${String(n).padStart(2, '0')}@example.test`)).toBe(false);
    expect(list).toHaveLength(8);

    const status = await w.s.call('campaigns:status', { campaign: 'spring' });
    expect(status).toMatchObject({ bounced: 6, softBounced: 2, complained: 1, unsubscribed: 1 });
    const rows = (await w.s.call('campaigns:recipients', { campaign: 'spring' })).rows;
    expect(rows.find((x) => x.email === 'r0002@example.test')!.feedback).toMatchObject({ kind: 'soft', detail: expect.stringContaining('Mailbox full') });
    expect(rows.find((x) => x.email === 'r0012@example.test')!.feedback).toBeNull();

    // Folders: recognised ones moved (still unread), the person's reply and the foreign bounce left unread; nothing deleted.
    const after = await w.imap.snapshot();
    const processed = `Postroom${w.imap.separator}Processed`;
    expect(Object.keys(after).sort()).toEqual(['INBOX', processed].sort());
    expect(after['INBOX']!.map((m) => m.messageId).sort()).toEqual([ids.human, ids.foreign].sort());
    expect(after['INBOX']!.every((m) => !m.seen)).toBe(true);
    const moved = Object.entries(ids).filter(([k]) => k !== 'human' && k !== 'foreign').map(([, id]) => id);
    expect(after[processed]!.map((m) => m.messageId).sort()).toEqual(moved.sort());

    // A second check reads nothing and changes nothing.
    const [again] = await w.s.call('mailboxes:check', { mailbox: 'bounces' });
    expect(again).toMatchObject({ read: 0, suppressed: 0, bounces: { hard: 0, soft: 0 }, unrecognised: 0 });
    expect(await w.imap.snapshot()).toEqual(after);
    expect((await w.s.call('suppressions:list', {})).total).toBe(8);
    expect(await w.s.call('campaigns:status', { campaign: 'spring' })).toMatchObject({ bounced: 6, softBounced: 2, complained: 1, unsubscribed: 1 });

    // The next campaign skips them.
    const next = await w.send('summer');
    expect([...next.keys()].sort()).toEqual(['r0002', 'r0003', 'r0011', 'r0012'].map((x) => `${x}@example.test`));
  }, 60_000);

  it('reads nothing again when the server renumbers the folder (a new UIDVALIDITY), and still reads what is new', async () => {
    const w = await open({ n: 3 });
    const sent = await w.send('spring');
    await w.imap.append(R.humanReply(sent.get('r0001@example.test')!));
    await w.imap.append(R.foreignBounce('friend@example.org', 'shop@example.com'));
    const [first] = await w.s.call('mailboxes:check', { mailbox: 'bounces' });
    expect(first).toMatchObject({ read: 2, unrecognised: 2 });

    // Restored from a backup: the two unread messages the person keeps get new UIDs under a new UIDVALIDITY.
    await w.imap.renumber();
    await w.imap.append(R.dsn(sent.get('r0002@example.test')!, 'hard'));
    const [again] = await w.s.call('mailboxes:check', { mailbox: 'bounces' });
    expect(again).toMatchObject({ read: 1, unrecognised: 0, bounces: { hard: 1, soft: 0 }, suppressed: 1 });
    const [third] = await w.s.call('mailboxes:check', { mailbox: 'bounces' });
    expect(third).toMatchObject({ read: 0, unrecognised: 0 });
    const inbox = (await w.imap.snapshot())['INBOX']!;
    expect(inbox).toHaveLength(2);
    expect(inbox.every((m) => !m.seen)).toBe(true);
  }, 30_000);

  it('puts a per-recipient token in the mailto unsubscribe, and merge fields in the https link work with spaces', async () => {
    const w = await open({ n: 2 });
    const sent = await w.send('spring', { unsubscribe: ['mailto:bounces@example.test?subject=Remove', 'https://shop.example.com/u?e={{ email }}&l={{list}}'] });
    const one = sent.get('r0001@example.test')!;
    const header = R.headerOf(one.raw, 'List-Unsubscribe');
    const token = /^<([0-9a-f]+)@/.exec(one.messageId)![1];
    expect(header).toContain(`<mailto:bounces@example.test?subject=Remove%20%5B${token}%5D>`);
    expect(header).toContain('<https://shop.example.com/u?e=r0001%40example.test&l=customers>');
  }, 30_000);

  it('a run that stops between recording and moving loses nothing and counts nothing twice', async () => {
    const w = await open({ n: 4 });
    const sent = await w.send('spring');
    await w.imap.append(R.dsn(sent.get('r0001@example.test')!, 'hard'));
    await w.imap.append(R.arf(sent.get('r0002@example.test')!));
    await w.imap.append(R.humanReply(sent.get('r0003@example.test')!));
    const ctx = w.s.service.ctx;
    // The process "dies" right after the commit, before its MOVE.
    await expect(
      checkMailbox(ctx, getMailbox(ctx.db, 'bounces'), {
        afterCommit: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow();
    expect((await w.imap.snapshot())['INBOX']).toHaveLength(3);
    expect((await w.s.call('suppressions:list', {})).total).toBe(2);

    const [r] = await w.s.call('mailboxes:check', { mailbox: 'bounces' });
    expect(r).toMatchObject({ read: 0, suppressed: 0 });
    const after = await w.imap.snapshot();
    expect(after['INBOX']!.map((m) => m.subject)).toEqual([expect.stringMatching(/^Re: /)]);
    expect(after[`Postroom${w.imap.separator}Processed`]).toHaveLength(2);
    expect((await w.s.call('suppressions:list', {})).total).toBe(2);
    expect(await w.s.call('campaigns:status', { campaign: 'spring' })).toMatchObject({ bounced: 1, complained: 1 });
  }, 30_000);

  it('pauses a sending campaign when its hard bounces pass the threshold, with a plain reason', async () => {
    const w = await open({ n: 60 });
    const sent = await w.send('spring', { pauseOnBounces: 5 });
    // Pretend it is still sending (its last messages went out as the bounces came in).
    w.s.db.prepare(`UPDATE campaigns SET state = 'sending', finished_at = NULL WHERE name = 'spring'`).run();
    const addrs = [...sent.keys()].sort().slice(0, 4); // 4 of 60 = 6.7 %
    for (const a of addrs) await w.imap.append(R.dsn(sent.get(a)!, 'hard'));
    const [r] = await w.s.call('mailboxes:check', {});
    expect(r!.paused).toEqual(['spring']);
    const status = await w.s.call('campaigns:status', { campaign: 'spring' });
    expect(status).toMatchObject({ state: 'paused', pauseCode: 'BOUNCE_RATE', bounced: 4 });
    expect(status.pauseReason).toMatch(/^7 % of addresses bounced \(4 of 60 sent\): the list may be out of date; sending more risks your account/);
    // The same reason by code, for the window to word in its language.
    expect(status.pauseNote).toEqual({ code: 'PAUSED_BOUNCE_RATE', params: { percent: 7, bounced: 4, sent: 60 } });
  }, 60_000);

  it('does not pause below the threshold, nor before 50 messages have gone', async () => {
    const w = await open({ n: 40 });
    const sent = await w.send('spring');
    w.s.db.prepare(`UPDATE campaigns SET state = 'sending' WHERE name = 'spring'`).run();
    for (const a of [...sent.keys()].slice(0, 10)) await w.imap.append(R.dsn(sent.get(a)!, 'hard'));
    const [r] = await w.s.call('mailboxes:check', {});
    expect(r).toMatchObject({ bounces: { hard: 10, soft: 0 }, paused: [] });
    expect((await w.s.call('campaigns:status', { campaign: 'spring' })).state).toBe('sending');
  }, 60_000);

  it('suppresses after three soft bounces in a row over at least a week, not sooner', async () => {
    const w = await open({ n: 1 });
    const day = 86_400_000;
    const t0 = Date.now() - 20 * day;
    const soft = async (name: string, at: number) => {
      const sent = await w.send(name);
      await w.imap.append(R.dsn(sent.get('r0001@example.test')!, 'soft'), { date: new Date(at) });
      return (await w.s.call('mailboxes:check', {}))[0]!;
    };
    expect(await soft('one', t0)).toMatchObject({ bounces: { soft: 1 }, suppressed: 0 });
    expect(await soft('two', t0 + 2 * day)).toMatchObject({ bounces: { soft: 1 }, suppressed: 0 });
    // Three in a row, but within six days: a full mailbox for a few days is not a dead address.
    expect(await soft('three', t0 + 6 * day)).toMatchObject({ bounces: { soft: 1 }, suppressed: 0 });
    // The last three now span 2 → 9 days: a week.
    const r = await soft('four', t0 + 9 * day);
    expect(r).toMatchObject({ bounces: { soft: 1 }, suppressed: 1 });
    const [entry] = (await w.s.call('suppressions:list', {})).items;
    expect(entry).toMatchObject({ email: 'r0001@example.test', reason: 'hard-bounce', campaign: 'four', detail: expect.stringMatching(/^3 temporary failures in a row over 7 days; the last: .*Mailbox full/) });
    expect(entry!.detailNote).toMatchObject({ code: 'SUPPRESSED_SOFT_STREAK_LAST', params: { count: 3, days: 7, last: expect.stringMatching(/Mailbox full/) } });
  }, 60_000);

  it('creates the processed folder in the server’s own hierarchy (a "." separator under an INBOX. prefix)', async () => {
    const imap = await startDovecot({ separator: '.', prefix: 'INBOX.' });
    cleanups.push(() => imap.stop());
    const w = await open({ n: 2, imap });
    const sent = await w.send('spring');
    await w.imap.append(R.dsn(sent.get('r0001@example.test')!, 'hard'));
    await w.imap.append(R.humanReply(sent.get('r0002@example.test')!));
    expect((await w.s.call('mailboxes:check', {}))[0]).toMatchObject({ read: 2, bounces: { hard: 1 }, unrecognised: 1 });
    const snap = await imap.snapshot();
    expect(snap['INBOX.Postroom.Processed']).toHaveLength(1);
    expect(snap['INBOX']).toHaveLength(1);
  }, 60_000);
});
