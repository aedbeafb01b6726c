/** The contract's mailbox requests, and the background check the desktop app and `serve` run. */
import type { CoreContext } from '../context';
import type { TaskRegistry } from '../tasks';
import type { Handlers } from '../../../shared/contract';
import type { mailboxesContract, MailboxCheckResult } from '../../../shared/contract/mailboxes';
import { PostroomError } from '../../../shared/errors';
import { connectMailbox } from './auth';
import { checkMailbox, describeCheck, type CheckOptions } from './checker';
import { createMailbox, draftMailbox, getMailbox, listMailboxes, removeMailbox, summaryOf, type MailboxRecord } from './store';
import { MailboxWatcher } from './watcher';

type MailboxHandlers = Pick<Handlers, keyof typeof mailboxesContract>;

/** Messages handled per transaction and MOVE (POSTROOM_MAILBOX_BATCH tunes it; tests make batches small). */
function batchSize(): number | undefined {
  const n = Number(process.env.POSTROOM_MAILBOX_BATCH);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Checks run one at a time per mailbox in this process (a timer and a button press don't overlap); other
 * processes on the same data folder are kept from double counting by the records themselves (checker.ts).
 */
export function mailboxChecker(ctx: CoreContext) {
  const running = new Map<number, Promise<MailboxCheckResult>>();
  return async (m: MailboxRecord, opts: CheckOptions = {}): Promise<MailboxCheckResult> => {
    const busy = running.get(m.id);
    if (busy) await busy.catch(() => undefined);
    const p = checkMailbox(ctx, getMailbox(ctx.db, m.id), { batchSize: batchSize(), ...opts });
    running.set(m.id, p);
    try {
      const r = await p;
      const summary = describeCheck(r);
      if (summary) ctx.events.emit('mailboxes:checked', { result: r, summary });
      if (r.suppressed) ctx.events.emit('suppressions:changed', {});
      return r;
    } finally {
      if (running.get(m.id) === p) running.delete(m.id);
      ctx.events.emit('mailboxes:changed', { mailbox: m.name });
    }
  };
}

export function mailboxesHandlers(ctx: CoreContext, tasks: TaskRegistry): MailboxHandlers {
  const check = mailboxChecker(ctx);
  let watcher: MailboxWatcher | null = null;
  // The mailbox checker as a background task: the desktop app and `postroom serve` start it.
  tasks.register({
    name: 'mailboxes',
    start() {
      watcher = new MailboxWatcher(ctx, check);
      watcher.start();
    },
    async stop() {
      await watcher?.stop();
      watcher = null;
    },
  });
  const changed = (mailbox: string) => ctx.events.emit('mailboxes:changed', { mailbox });
  return {
    'mailboxes:list': () => listMailboxes(ctx.db).map((m) => summaryOf(ctx.db, m)),
    'mailboxes:create': (input) => {
      const m = createMailbox(ctx, input);
      changed(m.name);
      watcher?.poke(); // its first check comes now, not at the next round
      return summaryOf(ctx.db, m);
    },
    'mailboxes:remove': ({ mailbox }) => {
      const m = removeMailbox(ctx.db, mailbox);
      changed(m.name);
      return { removed: m.name };
    },
    'mailboxes:test': async (input) => {
      const m = 'draft' in input ? draftMailbox(ctx.db, input.draft) : getMailbox(ctx.db, input.mailbox);
      const client = await connectMailbox(ctx, m, 'draft' in input && input.draft.password !== undefined ? { draftPassword: input.draft.password } : {});
      try {
        const status = await client.status(m.folder, { messages: true }).catch(() => {
          throw new PostroomError('NOT_FOUND', `Logged in to the mailbox "${m.name}", but it has no folder "${m.folder}". Check the folder name (most servers call the inbox INBOX).`);
        });
        const n = status ? (status.messages ?? 0) : 0;
        return { ok: true as const, messages: n, message: `Logged in to ${m.host} as ${m.user}: ${m.folder} holds ${n} message${n === 1 ? '' : 's'}.` };
      } finally {
        await client.logout().catch(() => client.close());
      }
    },
    'mailboxes:check': async ({ mailbox }) => {
      const boxes = mailbox === undefined ? listMailboxes(ctx.db) : [getMailbox(ctx.db, mailbox)];
      const results: MailboxCheckResult[] = [];
      for (const m of boxes) results.push(await check(m));
      return results;
    },
  };
}
