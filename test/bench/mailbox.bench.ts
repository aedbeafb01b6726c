/**
 * Mailbox benchmark (issue 13): 10,000 messages in a real Dovecot inbox — DSN hard and soft bounces, Exim, Gmail,
 * ARF complaints, mailto unsubscribe requests, auto-replies and people's replies — read, classified, matched to
 * the outbox of a 10,000-recipient campaign, recorded with their suppressions and moved to Postroom/Processed by
 * one `mailboxes:check`. Prints messages/s and the process's peak RSS; a second check shows the cost of finding
 * nothing new. `POSTROOM_BENCH_MAILBOX` changes the count.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createService } from '../../electron/core/service';
import { dispatch } from '../../shared/router';
import { startDovecot } from '../core/mailbox/dovecot';
import * as R from '../fixtures/mailbox/reports';
import { checkMailbox, type CheckTimings } from '../../electron/core/mailbox/checker';
import { getMailbox } from '../../electron/core/mailbox/store';

const N = Number(process.env.POSTROOM_BENCH_MAILBOX ?? 10_000);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-bench-mailbox-'));
  const imap = await startDovecot();
  const service = createService({ dataDir: dir, host: 'test' });
  const call = async (channel: Parameters<typeof dispatch>[1], input: unknown) => {
    const r = await dispatch(service.handlers, channel, input as never);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as never;
  };
  try {
    // A campaign that went to N recipients: its outbox as the engine leaves it (sent, with Message-IDs).
    const db = service.ctx.db;
    const now = Date.now();
    db.prepare(`INSERT INTO campaigns (name, relay_ids, state, created_at, updated_at) VALUES ('spring', '[]', 'completed', ?, ?)`).run(now, now);
    const sent: R.Sent[] = [];
    const ins = db.prepare(`INSERT INTO outbox (campaign_id, email, email_key, message_id, state, attempts, first_attempt_at, sent_at) VALUES (1, ?, ?, ?, 'sent', 1, ?, ?)`);
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const to = `r${i}@example.test`;
        const messageId = `<${crypto.randomBytes(16).toString('hex')}@shop.example.com>`;
        ins.run(to, to, messageId, now - 3600_000, now - 3600_000);
        const raw = [
          'From: Shop <shop@example.com>',
          `To: ${to}`,
          'Subject: Spring news',
          `Message-ID: ${messageId}`,
          `List-Unsubscribe: <mailto:${imap.user}?subject=Unsubscribe%20%5B${messageId.slice(1, 33)}%5D>`,
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Hello! Here is what is new this spring.'.repeat(20),
          '',
        ].join('\r\n');
        sent.push({ raw, to, messageId });
      }
    })();
    const makers = [
      (s: R.Sent) => R.dsn(s, 'hard'),
      (s: R.Sent) => R.dsn(s, 'hard'),
      (s: R.Sent) => R.dsn(s, 'soft'),
      (s: R.Sent) => R.exim(s),
      (s: R.Sent) => R.gmail(s),
      (s: R.Sent) => R.m365(s),
      (s: R.Sent) => R.arf(s),
      (s: R.Sent) => R.unsubscribeRequest(s, s.to),
      (s: R.Sent) => R.autoReply(s),
      (s: R.Sent) => R.humanReply(s),
    ];
    const raws = sent.map((s, i) => makers[i % makers.length]!(s));
    const bytes = raws.reduce((a, r) => a + r.length, 0);
    await imap.seedMaildir(raws);
    await call('mailboxes:create', { name: 'bounces', host: imap.host, port: imap.port, security: 'none', user: imap.user, password: imap.password });

    global.gc?.();
    const rss0 = process.memoryUsage.rss();
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // The same check `mailboxes:check` runs, with a stopwatch per stage.
    const timings: CheckTimings = { list: 0, fetch: 0, classify: 0, commit: 0, move: 0 };
    const r = await checkMailbox(service.ctx, getMailbox(db, 'bounces'), { timings });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());

    const t1 = performance.now();
    const [again] = (await call('mailboxes:check', { mailbox: 'bounces' })) as Array<{ read: number }>;
    const idleMs = performance.now() - t1;

    console.log(`messages: ${N.toLocaleString('en-US')} (${(bytes / 1048576).toFixed(1)} MB), read ${r.read}, hard ${r.bounces.hard}, soft ${r.bounces.soft}, unrecognised ${r.unrecognised}, suppressed ${r.suppressed}`);
    console.log(`check: ${seconds.toFixed(2)} s = ${Math.round(r.read / seconds).toLocaleString('en-US')} messages/s; CPU ${((cpu.user + cpu.system) / 1000 / r.read).toFixed(2)} ms/message in this process`);
    console.log(`where the time goes: ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ')}`);
    console.log(`RSS: ${(rss0 / 1048576).toFixed(0)} MB before, peak ${(peak / 1048576).toFixed(0)} MB (+${((peak - rss0) / 1048576).toFixed(0)} MB)`);
    console.log(`second check (nothing new): read ${again!.read} in ${idleMs.toFixed(0)} ms`);
  } finally {
    await service.close();
    await imap.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
