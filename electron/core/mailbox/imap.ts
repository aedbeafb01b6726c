/**
 * The IMAP connection (imapflow): the only module that talks IMAP. Takes an auth provider — a password or an
 * OAuth2 access token (SASL XOAUTH2) — so that a sign-in from the relay work plugs in with one line in auth.ts.
 * Errors come back as PostroomErrors that say which step failed (DNS, TCP, TLS, login, folder).
 */
import { createRequire } from 'node:module';
import type { ImapFlow } from 'imapflow';
import type * as Imapflow from 'imapflow';
import { PostroomError } from '../../../shared/errors';
import type { MailboxRecord } from './store';
import { mailboxError } from './notes';

/** How Postroom logs in: a password, or an OAuth2 access token. */
export type MailboxAuth = { user: string; pass: string } | { user: string; accessToken: string };

export interface ImapTarget {
  host: string;
  port: number;
  security: MailboxRecord['security'];
  acceptSelfSigned: boolean;
  name: string;
}

// Loaded when first needed (as encoding.ts loads iconv-lite): imapflow takes a noticeable part of a second to load,
// which no command that never reads a mailbox should pay. require, not import(): it resolves the same in dist/,
// in the packaged app and in bundled benchmarks.
const load = createRequire(__filename);
let imapflowLib: typeof Imapflow | undefined;
const imapflow = (): typeof Imapflow => (imapflowLib ??= load('imapflow') as typeof Imapflow);

/** Opens a logged-in connection. Throws DNS_FAILED, RELAY_UNREACHABLE, TLS_FAILED or AUTH_FAILED with a plain sentence. */
export async function connectImap(target: ImapTarget, auth: MailboxAuth, opts: { timeoutMs?: number } = {}): Promise<ImapFlow> {
  const { ImapFlow } = imapflow();
  const client = new ImapFlow({
    host: target.host,
    port: target.port,
    secure: target.security === 'tls',
    // 'starttls' insists on it (RFC 8314 says never fall back to plain text); 'none' never upgrades.
    doSTARTTLS: target.security === 'starttls' ? true : target.security === 'none' ? false : undefined,
    auth,
    logger: false,
    tls: { rejectUnauthorized: !target.acceptSelfSigned },
    connectionTimeout: opts.timeoutMs ?? 20_000,
    greetingTimeout: opts.timeoutMs ?? 20_000,
    socketTimeout: 5 * 60_000,
    disableAutoIdle: true,
    emitLogs: false,
  });
  // An error after connecting (the server hangs up) must not crash the process: the next command fails instead.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw describeImapError(err, target);
  }
  return client;
}

/** A person's sentence for what went wrong talking to the mailbox. */
export function describeImapError(err: unknown, t: ImapTarget): PostroomError {
  if (err instanceof PostroomError) return err;
  const e = err as { code?: string; message?: string; authenticationFailed?: boolean; responseText?: string; serverResponseCode?: string };
  // The port as written (a number param would be grouped by the window: 1,143).
  const at = { mailbox: t.name, host: t.host, port: String(t.port) };
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    const reply = e.responseText ?? null;
    return reply === null ? mailboxError('AUTH_FAILED.mailboxLoginRefused', at) : mailboxError('AUTH_FAILED.mailboxLogin', { ...at, reply });
  }
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return mailboxError('DNS_FAILED.mailbox', { mailbox: t.name, host: t.host });
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'CONNECT_TIMEOUT':
    case 'GREEETING_TIMEOUT':
    case 'GREETING_TIMEOUT':
    case 'NoConnection':
      return mailboxError('RELAY_UNREACHABLE.mailbox', { ...at, error: e.code });
    default:
      break;
  }
  if (/certificate|self[- ]signed|SSL|TLS|wrong version number|handshake/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) {
    return mailboxError('TLS_FAILED.mailbox', { ...at, error: String(e.message) });
  }
  return mailboxError('RELAY_UNREACHABLE.mailboxAnswer', { ...at, reply: e.responseText ?? e.message ?? String(err) });
}

/**
 * The processed folder's full path in the server's own hierarchy (its delimiter and namespace prefix), created
 * when missing. `Postroom/Processed` is written with `/` whatever the server uses.
 */
export async function ensureFolder(client: ImapFlow, folder: string): Promise<string> {
  const parts = folder.split('/').filter(Boolean);
  try {
    return (await client.mailboxCreate(parts)).path;
  } catch (err) {
    // A server that refuses to create what exists without saying ALREADYEXISTS (RFC 5530): look for it.
    const leaf = parts[parts.length - 1]!;
    const found = (await client.list()).find((m) => m.name === leaf && m.path.split(m.delimiter).slice(-parts.length).join('/') === parts.join('/'));
    if (found) return found.path;
    throw err;
  }
}
