/**
 * The background check: every minute while a campaign sends (its bounces decide whether it should pause), every
 * few minutes otherwise. Where the server offers IMAP IDLE (RFC 2177), a new message in the folder brings the
 * next check forward. Started by the hosts that stay up (the desktop app, `serve`); never by a one-off command.
 */
import type { ImapFlow } from 'imapflow';
import type { CoreContext } from '../context';
import type { MailboxCheckResult } from '../../../shared/contract/mailboxes';
import { connectMailbox } from './auth';
import { listMailboxes, type MailboxRecord } from './store';
import { activeCampaignIds } from '../outbox/campaigns';

export interface WatcherTimes {
  /** Between checks while a campaign sends. */
  sendingMs: number;
  /** Between checks otherwise. */
  idleMs: number;
  /** How soon after IDLE reports new mail a check runs (a burst of bounces arrives together). */
  settleMs: number;
}

export const DEFAULT_TIMES: WatcherTimes = { sendingMs: 60_000, idleMs: 5 * 60_000, settleMs: 5_000 };

type Check = (m: MailboxRecord) => Promise<MailboxCheckResult>;

export class MailboxWatcher {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly lastRun = new Map<number, number>();
  private readonly idlers = new Map<number, ImapFlow>();
  private wakeAt: number | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly check: Check,
    private readonly times: WatcherTimes = DEFAULT_TIMES,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(1_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const idlers = [...this.idlers.values()];
    this.idlers.clear();
    await Promise.all(idlers.map((c) => c.logout().catch(() => c.close())));
    await this.running; // a check under way finishes (its batch commits) before the database closes
  }

  /** A mailbox was added (or a person asked): check what is due soon rather than at the next round. */
  poke(): void {
    if (this.wakeAt === null || this.wakeAt - Date.now() > this.times.settleMs) this.schedule(this.times.settleMs);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = null));
    }, ms);
    this.timer.unref?.();
  }

  private sending(): boolean {
    return activeCampaignIds(this.ctx.db, this.ctx.clock.now()).length > 0;
  }

  /** Checks every mailbox that is due, then sleeps until the next one is. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    const every = this.sending() ? this.times.sendingMs : this.times.idleMs;
    const now = Date.now();
    for (const m of listMailboxes(this.ctx.db)) {
      if (this.stopped) return;
      if (now - (this.lastRun.get(m.id) ?? 0) < every) continue;
      this.lastRun.set(m.id, now);
      try {
        await this.check(m);
      } catch {
        // The reason is recorded on the mailbox (last_error) and shown on the relay page; try again next round.
      }
      void this.watch(m);
    }
    this.schedule(Math.min(every, this.times.idleMs));
  }

  /** Keeps an IDLE connection on the folder (where offered): new mail brings the next check forward. */
  private async watch(m: MailboxRecord): Promise<void> {
    if (this.idlers.has(m.id) || this.stopped) return;
    let client: ImapFlow;
    try {
      client = await connectMailbox(this.ctx, m);
    } catch {
      return;
    }
    if (this.stopped || !client.capabilities.has('IDLE')) return void client.logout().catch(() => client.close());
    this.idlers.set(m.id, client);
    client.on('exists', () => {
      this.lastRun.delete(m.id);
      this.poke();
    });
    client.on('close', () => this.idlers.delete(m.id));
    try {
      await client.mailboxOpen(m.folder, { readOnly: true });
      // idle() returns when the server ends it (after about 30 minutes, RFC 2177 §3): start it again.
      while (!this.stopped && client.usable) await client.idle();
    } catch {
      this.idlers.delete(m.id);
      client.close();
    }
  }
}
