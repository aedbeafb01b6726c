import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../../electron/core/mailbox/classify';
import * as R from '../../fixtures/mailbox/reports';

const sent: R.Sent = {
  to: 'anna@example.org',
  messageId: '<0123456789abcdef0123456789abcdef@shop.example.com>',
  raw: ['From: Shop <shop@example.com>', 'To: anna@example.org', 'Subject: Spring news', 'Message-ID: <0123456789abcdef0123456789abcdef@shop.example.com>', '', 'Hello', ''].join('\r\n'),
};

describe('the classifier', () => {
  it('tells each format apart and finds the original Message-ID in it', async () => {
    const cases: Array<[string, string, string, string]> = [
      [R.dsn(sent, 'hard'), 'hard', 'dsn', '5.1.1'],
      [R.dsn(sent, 'soft'), 'soft', 'dsn', '4.2.2'],
      [R.dsn(sent, 'delayed'), 'delayed', 'dsn', '4.4.1'],
      [R.exim(sent), 'hard', 'exim', '5.1.1'],
      [R.qmail(sent), 'hard', 'qmail', '5.1.1'],
      [R.m365(sent), 'hard', 'exchange', '5.1.10'],
      [R.exchangeLegacy(sent), 'hard', 'exchange', '5.1.1'],
      [R.gmail(sent), 'hard', 'dsn', '5.1.1'],
    ];
    for (const [raw, kind, format, status] of cases) {
      const c = await classifyMessage(raw);
      expect({ kind: c.kind, format: c.format, status: c.recipients[0]?.status, email: c.recipients[0]?.email }).toEqual({ kind, format, status, email: 'anna@example.org' });
      expect(c.originalMessageIds).toContain(sent.messageId);
    }
  });

  it('reads a complaint whose recipient is redacted, an auto-reply, and leaves a person’s reply alone', async () => {
    const arf = await classifyMessage(R.arf(sent));
    expect(arf).toMatchObject({ kind: 'complaint', format: 'arf', originalMessageIds: [sent.messageId] });
    expect(arf.recipients[0]).toMatchObject({
      email: 'redacted@yahoo.com',
      detail: 'abuse report (Yahoo!-Mail-Feedback/2.0)',
      note: { code: 'FEEDBACK_REPORT', params: { type: 'abuse', agent: 'Yahoo!-Mail-Feedback/2.0' } },
    });
    expect(await classifyMessage(R.autoReply(sent))).toMatchObject({ kind: 'auto-reply', originalMessageIds: [sent.messageId, sent.messageId] });
    expect(await classifyMessage(R.humanReply(sent))).toMatchObject({ kind: 'unrecognised' });
  });

  it('treats a "delivered" DSN and a not-spam feedback report as nothing to act on', async () => {
    const delivered = R.dsn(sent, 'hard').replace('Action: failed', 'Action: delivered').replace('Subject: Undelivered Mail Returned to Sender', 'Subject: Successful Mail Delivery Report');
    expect((await classifyMessage(delivered)).kind).not.toBe('hard');
    expect((await classifyMessage(R.arf(sent).replace('Feedback-Type: abuse', 'Feedback-Type: not-spam'))).kind).toBe('unrecognised');
  });

  it('never throws on bytes that are not mail', async () => {
    for (const junk of ['', '\u0000\u0001\u0002', 'Content-Type: multipart/report; boundary=\r\n\r\n--\r\n--', 'a'.repeat(100_000)]) {
      await expect(classifyMessage(junk)).resolves.toMatchObject({ kind: expect.any(String) });
    }
  });
});
