import { afterEach, describe, expect, it } from 'vitest';
import * as R from '../../fixtures/mailbox/reports';
import { world } from './world';
import { MailboxWatcher } from '../../../electron/core/mailbox/watcher';
import { mailboxChecker } from '../../../electron/core/mailbox/handlers';
import { until } from '../outbox/harness';
import type { EventPayload } from '../../../shared/contract';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('the background mailbox check', () => {
  it('checks on its own, tells what changed, and new mail seen by IMAP IDLE brings the next check forward', async () => {
    const w = await world({ n: 2 });
    cleanups.push(() => w.close());
    const sent = await w.send('spring');
    const events: Array<EventPayload<'mailboxes:checked'>> = [];
    w.s.service.events.on('mailboxes:checked', (e) => events.push(e));
    await w.imap.append(R.dsn(sent.get('r0001@example.test')!, 'hard'));

    // Minutes between rounds: only IDLE can make the second check come within seconds.
    const watcher = new MailboxWatcher(w.s.service.ctx, mailboxChecker(w.s.service.ctx), { sendingMs: 600_000, idleMs: 600_000, settleMs: 200 });
    watcher.start();
    cleanups.push(() => watcher.stop());
    await until(() => events.length === 1, 15_000, 'the first background check');
    expect(events[0]).toMatchObject({ result: { read: 1, bounces: { hard: 1 }, suppressed: 1 }, summary: "1 bounce came back to bounces; 1 address won't be mailed again." });

    await new Promise((r) => setTimeout(r, 500)); // the IDLE connection settles in
    await w.imap.append(R.arf(sent.get('r0002@example.test')!));
    await until(() => events.length === 2, 15_000, 'a check brought forward by IDLE');
    expect(events[1]).toMatchObject({ result: { read: 1, complaints: 1, suppressed: 1 } });
    expect((await w.s.call('suppressions:list', {})).total).toBe(2);
  }, 60_000);
});
