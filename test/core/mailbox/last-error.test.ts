import { afterEach, describe, expect, it } from 'vitest';
import { makeContext, type TestContext } from '../relay/helpers';
import { checkMailbox } from '../../../electron/core/mailbox/checker';
import { createMailbox, getMailbox, summaryOf } from '../../../electron/core/mailbox/store';
import { closedPort } from '../outbox/harness';

let ctx: TestContext | undefined;
afterEach(() => ctx?.cleanup());

describe('why the last check of a mailbox failed', () => {
  it('is kept in the core’s words and by code, and cleared by a check that works', async () => {
    ctx = makeContext();
    const m = createMailbox(ctx, { name: 'bounces', host: 'imap.example.test', user: 'u@example.test', passwordEnv: 'IMAP_PW' });
    await expect(checkMailbox(ctx, m, { env: {} })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const failed = summaryOf(ctx.db, getMailbox(ctx.db, 'bounces'));
    expect(failed.lastError).toBe('The mailbox "bounces" takes its password from the environment variable IMAP_PW, which is not set. Set it where Postroom runs and try again.');
    expect(failed.lastErrorNote).toEqual({ code: 'AUTH_FAILED', params: { mailbox: 'bounces', env: 'IMAP_PW', reason: 'mailboxEnvUnset' } });
  });

  it('names the server and port that could not be reached, the port as written', async () => {
    ctx = makeContext();
    const port = await closedPort();
    const m = createMailbox(ctx, { name: 'bounces', host: '127.0.0.1', port, security: 'none', user: 'u@example.test', passwordEnv: 'IMAP_PW' });
    await expect(checkMailbox(ctx, m, { env: { IMAP_PW: 'x' } })).rejects.toMatchObject({ code: 'RELAY_UNREACHABLE' });
    const failed = summaryOf(ctx.db, getMailbox(ctx.db, 'bounces'));
    expect(failed.lastErrorNote).toEqual({ code: 'RELAY_UNREACHABLE', params: { reason: 'mailbox', mailbox: 'bounces', host: '127.0.0.1', port: String(port), error: 'ECONNREFUSED' } });
    expect(failed.lastError).toBe(`Couldn't reach the mailbox "bounces" at 127.0.0.1:${port} (ECONNREFUSED). Check the server name and port, and that this computer is online.`);
  });
});
