/**
 * A whole loop for mailbox tests: a service with a list, a template and a relay on a real SMTP server, a campaign
 * really sent through it, and a real Dovecot holding the sender's mailbox.
 */
import { Engine } from '../../../electron/core/outbox/engine';
import { campaignState, recipients, setup, startSmtp, until, type Setup, type TestServer } from '../outbox/harness';
import { startDovecot, type Dovecot } from './dovecot';
import type { Sent } from '../../fixtures/mailbox/reports';

export interface World {
  s: Setup;
  smtp: TestServer;
  imap: Dovecot;
  /** Sends a campaign to the list and returns what the server received, by recipient. */
  send(name: string, opts?: { unsubscribe?: string[]; pauseOnBounces?: number }): Promise<Map<string, Sent>>;
  close(): Promise<void>;
}

export async function world(opts: { n?: number; emails?: string[]; dir?: string; imap?: Dovecot; mailbox?: boolean } = {}): Promise<World> {
  const smtp = await startSmtp();
  const s = setup({ emails: opts.emails ?? recipients(opts.n ?? 12), ...(opts.dir ? { dir: opts.dir } : {}) });
  s.addRelay('local', smtp.port, { connections: 2 });
  const imap = opts.imap ?? (await startDovecot());
  if (opts.mailbox !== false) await s.call('mailboxes:create', { name: 'bounces', host: imap.host, port: imap.port, security: 'none', user: imap.user, password: imap.password, relay: 'local' });
  return {
    s,
    smtp,
    imap,
    async send(name, o = {}) {
      const before = new Set(smtp.accepted().map((d) => d.messageId));
      await s.call('campaigns:create', {
        name,
        list: 'customers',
        template: 'news',
        relays: ['local'],
        unsubscribe: o.unsubscribe ?? [`mailto:${imap.user}`, 'https://shop.example.com/unsubscribe?e={{ email }}'],
        ...(o.pauseOnBounces !== undefined ? { pauseOnBounces: o.pauseOnBounces } : {}),
      });
      await s.call('campaigns:send', { campaign: name });
      const engine = new Engine(s.service.ctx);
      engine.start();
      try {
        await until(() => ['completed', 'paused', 'cancelled'].includes(campaignState(s.db, name)), 20_000, `campaign ${name} to finish`);
      } finally {
        await engine.stop();
      }
      return new Map(
        smtp
          .accepted()
          .filter((d) => !before.has(d.messageId))
          .map((d) => [d.to, { raw: d.raw, to: d.to, messageId: d.messageId }]),
      );
    },
    async close() {
      await s.close();
      await smtp.close();
      if (!opts.imap) await imap.stop();
    },
  };
}
