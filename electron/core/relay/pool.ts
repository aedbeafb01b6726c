/**
 * A small pool of SMTP connections to one relay, on nodemailer's SMTPConnection. Not nodemailer's SMTP pool:
 * Postroom needs what that one hides — which stage failed (DNS, TCP, TLS, greeting, login, transaction), a hard
 * deadline per message, whether a lost connection happened before or after the final dot, and no queue or
 * requeue of its own (the outbox is the queue; `maxRequeues: 0` in spirit) and no `rateLimit` (the rate gate
 * paces, durably). Every send resolves with exactly one SmtpOutcome; it never rejects.
 */
import type * as Dns from 'node:dns';
import net from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { onFirstUse } from '../first-use';
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/errors';
import { classifySmtpError, type SmtpErrorLike, type SmtpOutcome } from './classify';
import { resolveSecret, type RelayProfile } from './profiles';
import { checkPinnedCertificate } from './pinning';
import { getAccessToken } from './oauth';
import type { SendSlot } from './rate-gate';
import { dotStuffed } from './dot-stuffing';

// Loaded with the first connection: commands that don't talk SMTP don't load it.
const smtpConnection = onFirstUse<typeof SMTPConnection>('nodemailer/lib/smtp-connection');
// node:dns for a relay named by host name (most are): loaded with the first lookup.
const dns = onFirstUse<typeof Dns>('node:dns');

export interface OutboundMessage {
  /** The composed RFC 5322 message, exactly as it goes on the wire (CRLF line ends). */
  raw: Buffer;
  /** SMTP envelope: MAIL FROM and RCPT TO (may differ from the headers). */
  envelope: { from: string; to: string[] };
  /**
   * `raw` dot-stuffed for DATA (dot-stuffing.ts), when that was done where the message was composed (the compose
   * worker); null when `raw` isn't in the form it takes. Undefined: done here, as the message goes.
   */
  stuffed?: Buffer | null;
}

/** Host name → addresses. Injectable so tests never depend on the machine's resolver. */
export type Resolver = (host: string) => Promise<string[]>;

export interface RelayTimeouts {
  /** Resolving the host name. */
  dnsMs: number;
  /** Opening the TCP (or TLS) connection. */
  connectMs: number;
  /** Waiting for the server's greeting (and a STARTTLS upgrade). */
  greetingMs: number;
  /** Silence from the server during a session before the connection is given up. */
  socketMs: number;
  /** Hard limit for one send from the call to the answer, including waiting for a free connection. */
  sendMs: number;
  /** An unused connection is closed (QUIT) after this long. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: RelayTimeouts = { dnsMs: 15_000, connectMs: 30_000, greetingMs: 30_000, socketMs: 60_000, sendMs: 300_000, idleMs: 15_000 };

export interface PoolOptions {
  /** Connections to open at most (default and cap: profile.limits.connections). */
  connections?: number;
  resolver?: Resolver;
  timeouts?: Partial<RelayTimeouts>;
  /** Extra TLS options, e.g. `{ ca }` so a test trusts its own certificate. */
  tls?: ConnectionOptions;
  /** Close a connection after this many messages and open a fresh one (providers cap messages per session). Default 100. */
  messagesPerConnection?: number;
  /** The name the client gives in EHLO (default: this computer's host name). */
  clientName?: string;
  /** Where `--password-env` variables are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The password or token to use instead of the relay's saved one (testing a relay before it is saved). */
  secret?: string;
}

export interface RelaySession {
  /**
   * Hands one message to the relay and resolves with its outcome (never rejects). Waits for a free connection
   * when all are busy. With a slot from the rate gate, settles it: the relay's answer time is recorded, or the
   * slot is freed when the message never reached the relay.
   */
  send(msg: OutboundMessage, slot?: SendSlot): Promise<SmtpOutcome>;
  /**
   * The same, but the message's final dot waits for `goAhead` (the envelope and the body go meanwhile): resolves
   * null when it says no (or fails), and the message was never handed over (the slot is freed, the session dropped).
   */
  sendWhen(msg: OutboundMessage, slot: SendSlot | undefined, goAhead: Promise<boolean>): Promise<SmtpOutcome | null>;
  /** Changes how many connections may be open (the throttle controller's advice). Extra ones close when idle. */
  setConnections(n: number): void;
  /** How many connections may be open now. */
  readonly connections: number;
  /** Open connections (busy or idle). */
  readonly open: number;
  /** Sends waiting for a free connection. */
  readonly waiting: number;
  /** Lets sends under way finish (within their deadline), then says QUIT on every connection. */
  close(): Promise<void>;
}

export const systemResolver: Resolver = async (host) => {
  const found = await dns().promises.lookup(host, { all: true });
  return found.map((a) => a.address);
};

/** Resolves with a timeout, so a hanging resolver is a DNS failure, not a stuck campaign. */
export async function resolveHost(host: string, resolver: Resolver, timeoutMs: number): Promise<string[] | SmtpOutcome> {
  if (net.isIP(host)) return [host];
  let timer: NodeJS.Timeout | undefined;
  try {
    const addresses = await Promise.race([
      resolver(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' })), timeoutMs);
      }),
    ]);
    if (!addresses.length) return { kind: 'unreachable', stage: 'dns', response: `Couldn't find ${host} in DNS (it has no address).` };
    return addresses;
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    const why =
      code === 'ENOTFOUND' || code === 'ENODATA'
        ? 'no such host'
        : code === 'ETIMEOUT' || code === 'EAI_AGAIN'
          ? 'the DNS server did not answer; is this computer online?'
          : (err as Error).message;
    return { kind: 'unreachable', stage: 'dns', response: `Couldn't find ${host} in DNS (${why}).` };
  } finally {
    clearTimeout(timer);
  }
}

interface Conn {
  smtp: SMTPConnection;
  busy: boolean;
  dead: boolean;
  sent: number;
  idleTimer?: NodeJS.Timeout;
}

type Opened = { conn: Conn } | { outcome: SmtpOutcome };

/** Connects to one address: TCP, TLS (implicit or STARTTLS), greeting, EHLO. */
async function connectTo(
  address: string,
  profile: RelayProfile,
  servername: string | undefined,
  opts: PoolOptions,
  t: RelayTimeouts,
): Promise<{ smtp: SMTPConnection } | { error: SmtpErrorLike }> {
  const smtp = new (smtpConnection())({
    host: address,
    port: profile.port,
    secure: profile.security === 'tls',
    requireTLS: profile.security === 'starttls',
    ignoreTLS: profile.security === 'none',
    servername,
    name: opts.clientName,
    connectionTimeout: t.connectMs,
    greetingTimeout: t.greetingMs,
    socketTimeout: t.socketMs,
    logger: false,
    tls: { rejectUnauthorized: !profile.acceptSelfSigned, minVersion: 'TLSv1.2', ...opts.tls, ...(servername ? { servername } : {}) },
  } as SMTPConnection.Options);
  const error = await new Promise<SmtpErrorLike | null>((resolve) => {
    let done = false;
    const finish = (e: SmtpErrorLike | null) => {
      if (done) return;
      done = true;
      smtp.removeListener('error', finish);
      resolve(e);
    };
    smtp.on('error', finish);
    smtp.connect((err) => finish(err ?? null));
  });
  // A late error on this connection must never crash the process; failures reach the callbacks.
  smtp.on('error', () => {});
  if (error) {
    smtp.close();
    return { error };
  }
  return { smtp };
}

/** Opens one session: DNS, TCP/TLS, greeting, STARTTLS, login. Shared with the connection test. */
export async function openSession(
  ctx: CoreContext,
  profile: RelayProfile,
  opts: PoolOptions,
  onStep?: (step: 'dns' | 'tcp' | 'tls' | 'smtp' | 'token' | 'auth') => void,
): Promise<{ smtp: SMTPConnection } | { outcome: SmtpOutcome; phase: 'dns' | 'connect' | 'login'; error?: SmtpErrorLike }> {
  const t = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const addresses = await resolveHost(profile.host, opts.resolver ?? systemResolver, t.dnsMs);
  if (!Array.isArray(addresses)) return { outcome: addresses, phase: 'dns' };
  onStep?.('dns');
  const servername = net.isIP(profile.host) ? undefined : profile.host;
  // IPv4 first (it reaches every relay; a laptop's IPv6 often doesn't), then the next address when one can't be
  // connected to at all: a relay with several addresses is unreachable only when none answers.
  const ordered = [...addresses.filter((a) => net.isIPv4(a)), ...addresses.filter((a) => !net.isIPv4(a))].slice(0, 4);
  let smtp: SMTPConnection | undefined;
  let failure: { outcome: SmtpOutcome; phase: 'connect'; error: SmtpErrorLike } | undefined;
  for (const address of ordered) {
    const attempt = await connectTo(address, profile, servername, opts, t);
    if ('smtp' in attempt) {
      smtp = attempt.smtp;
      break;
    }
    failure = { outcome: classifySmtpError(attempt.error, 'connect', profile.host), phase: 'connect', error: attempt.error };
    if (!(failure.outcome.kind === 'unreachable' && failure.outcome.stage === 'tcp')) break;
  }
  if (!smtp) return failure!;
  // An unverified certificate must be the one the person accepted, checked before a password or message goes.
  const notPinned = checkPinnedCertificate(ctx, profile, smtp);
  if (notPinned) {
    smtp.close();
    return { outcome: { kind: 'unreachable', stage: 'tls', response: notPinned }, phase: 'connect' };
  }
  onStep?.('tcp');
  if (profile.security !== 'none') onStep?.('tls');
  onStep?.('smtp');
  if (profile.auth === 'none') return { smtp };
  const user = profile.user ?? '';
  if (profile.auth === 'oauth2') {
    const r = await loginOAuth2(ctx, smtp, profile, user, opts, onStep);
    if ('smtp' in r) onStep?.('auth');
    return r;
  }
  let secret: string | null;
  try {
    secret = opts.secret ?? resolveSecret(ctx, profile, opts.env);
  } catch (err) {
    smtp.close();
    const message = err instanceof PostroomError ? err.message : (err as Error).message;
    return { outcome: { kind: 'auth', response: message }, phase: 'login' };
  }
  const loginErr = await login(smtp, { user, pass: secret ?? '' });
  if (loginErr) {
    smtp.close();
    return { outcome: classifySmtpError(loginErr, 'login', profile.host), phase: 'login', error: loginErr };
  }
  onStep?.('auth');
  return { smtp };
}

function login(smtp: SMTPConnection, credentials: unknown): Promise<SmtpErrorLike | null> {
  return new Promise((resolve) => smtp.login(credentials as SMTPConnection.Credentials, (err) => resolve(err ?? null)));
}

/** A token problem as a send outcome: a person must sign in (auth, pauses), or the provider can't be reached (wait). */
function tokenOutcome(err: unknown): SmtpOutcome {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof PostroomError && err.code === 'AUTH_FAILED') return { kind: 'auth', response: message, signIn: true, ...(err.params ? { params: err.params } : {}) };
  if (err instanceof PostroomError && err.code === 'INVALID_INPUT') return { kind: 'auth', response: message };
  return { kind: 'unreachable', stage: 'token', response: message };
}

/**
 * SASL XOAUTH2 with a token from getAccessToken (renewed when due). When the server refuses it — Google answers
 * with a 334 error challenge, after which nodemailer asks for a token again (`retry`); Microsoft answers 535 at
 * once — the token is renewed once and the login tried again on the same connection, so the message waiting for
 * this connection is neither lost nor failed.
 */
async function loginOAuth2(
  ctx: CoreContext,
  smtp: SMTPConnection,
  profile: RelayProfile,
  user: string,
  opts: PoolOptions,
  onStep?: (step: 'dns' | 'tcp' | 'tls' | 'smtp' | 'token' | 'auth') => void,
): Promise<{ smtp: SMTPConnection } | { outcome: SmtpOutcome; phase: 'login'; error?: SmtpErrorLike }> {
  const fail = (outcome: SmtpOutcome, error?: SmtpErrorLike) => {
    smtp.close();
    return { outcome, phase: 'login' as const, error };
  };
  let token: string;
  try {
    token = opts.secret ?? (await getAccessToken(ctx, profile, { env: opts.env }));
  } catch (err) {
    return fail(tokenOutcome(err));
  }
  onStep?.('token');
  let renewed = false;
  let tokenError: unknown = null;
  const credentials = {
    user,
    method: 'XOAUTH2',
    oauth2: {
      getToken: (retry: boolean, cb: (err: Error | null, token?: string) => void) => {
        if (!retry) return cb(null, token);
        renewed = true;
        getAccessToken(ctx, profile, { env: opts.env, refused: token }).then(
          (t) => {
            token = t;
            cb(null, t);
          },
          (err: unknown) => {
            tokenError = err;
            // A copy: nodemailer rewrites the code of the error it is given (EAUTH), and ours must keep its own.
            cb(new Error(err instanceof Error ? err.message : String(err)));
          },
        );
      },
      // XOAUTH2 initial response, as Google and Microsoft document it.
      buildXOAuth2Token: (t: string) => Buffer.from(`user=${user}\x01auth=Bearer ${t}\x01\x01`, 'utf8').toString('base64'),
    },
  };
  let loginErr = await login(smtp, credentials);
  if (loginErr && !tokenError && !renewed && !opts.secret && loginErr.responseCode && loginErr.responseCode >= 500) {
    // Refused without a challenge (Microsoft's 535 5.7.3): renew once and try again.
    try {
      token = await getAccessToken(ctx, profile, { env: opts.env, refused: token });
    } catch (err) {
      return fail(tokenOutcome(err));
    }
    loginErr = await login(smtp, { ...credentials, oauth2: { ...credentials.oauth2, getToken: (_r: boolean, cb: (e: Error | null, t?: string) => void) => cb(null, token) } });
  }
  if (tokenError) return fail(tokenOutcome(tokenError));
  if (loginErr) return fail(classifySmtpError(loginErr, 'login', profile.host), loginErr);
  return { smtp };
}

const CRLF = Buffer.from('\r\n', 'latin1');

/** Messages from this size on start to go before their go-ahead (see MessageBody). */
const EARLY_BODY_BYTES = 64 * 1024;

/**
 * The message body as SMTPConnection takes it: `pipe` is called once the relay said 354 to DATA. No Readable per
 * message (a stream per message cost more than the rest of the send). A well-formed message is dot-stuffed here
 * (dotStuffed) and written straight to the connection's socket, all but its final CRLF, which goes through
 * SMTPConnection's DataStream so that it adds the terminating dot as usual. Anything else, or a connection whose
 * socket we can't see, goes through the DataStream.
 *
 * With `goAhead`, the end (final CRLF and dot) waits for it: a relay can only accept a message at its final dot,
 * so the envelope (and a big message's body) travel while the outbox commits the message's `sending` mark, and
 * the dot follows once that is on disk. When `goAhead` says no, the dot never goes (`withhold`).
 */
class MessageBody {
  /** The relay asked for the message and it started to go. */
  started = false;
  /** All of it was handed to the connection, final dot included (the relay may have it). */
  ended = false;

  constructor(
    private readonly msg: OutboundMessage,
    private readonly socket: net.Socket | undefined,
    private readonly goAhead: Promise<boolean> | undefined,
    /** Whether the send is over already (answered, timed out or withheld): nothing more is written then. */
    private readonly over: () => boolean,
    private readonly withhold: () => void,
  ) {}

  pipe(dest: NodeJS.WritableStream): NodeJS.WritableStream {
    this.started = true;
    const socket = this.socket && !this.socket.destroyed && this.socket.writable ? this.socket : undefined;
    const stuffed = socket ? (this.msg.stuffed !== undefined ? this.msg.stuffed : dotStuffed(this.msg.raw)) : null;
    // Corked, so that what is written together leaves in one write: the DataStream writes the final dot from its
    // flush, a tick or two after end(), so the uncork comes after those.
    const corked = (write: () => void) => {
      if (socket) {
        socket.cork();
        setImmediate(() => socket.uncork());
      }
      write();
    };
    const body = () => {
      // The DataStream is brand new and gets its bytes only after this write, so the order on the wire holds.
      if (socket && stuffed) socket.write(stuffed.subarray(0, stuffed.length - 2));
      else dest.write(this.msg.raw);
    };
    const end = () => {
      if (socket && stuffed) dest.write(CRLF);
      dest.end();
      this.ended = true;
    };
    if (!this.goAhead) {
      corked(() => (body(), end()));
      return dest;
    }
    // A big message starts to go at once (its transfer takes longer than the commit); a small one goes with its
    // dot, in one write: a write of its own would cost more CPU than the transfer takes.
    const early = this.msg.raw.length >= EARLY_BODY_BYTES;
    if (early) body();
    this.goAhead.then(
      (go) => {
        if (this.over()) return;
        if (!go) this.withhold();
        else if (early) corked(end);
        else corked(() => (body(), end()));
      },
      () => this.withhold(),
    );
    return dest;
  }
}

/** What one hand-over over an open session came to. */
export interface SendResult {
  outcome: SmtpOutcome;
  /** The session may carry on. */
  reusable: boolean;
  /** Not a byte of the message went. */
  untouched: boolean;
  /** `goAhead` said no: the final dot never went, so the relay can't have the message (the session is dropped). */
  withheld: boolean;
}

/**
 * Hands one message over an open session. Resolves with the outcome; `reusable` says whether the session may
 * carry on. With `goAhead`, the final dot waits for it (see MessageBody).
 */
export function sendOver(smtp: SMTPConnection, msg: OutboundMessage, host: string, deadlineMs: number, goAhead?: Promise<boolean>): Promise<SendResult> {
  return new Promise((resolve) => {
    // SMTPConnection's socket (the one its DataStream writes to), when we can see it: to cork it and write the
    // stuffed message straight to it. Without it, everything goes through the DataStream as nodemailer does.
    const socket = (smtp as unknown as { _socket?: net.Socket })._socket;
    let done = false;
    const finish = (outcome: SmtpOutcome, reusable: boolean, withheld = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ outcome, reusable, untouched: !body.started, withheld });
    };
    const withhold = () => {
      // Closing the connection before the final dot: the relay drops what it got of the message.
      smtp.close();
      finish({ kind: 'deferred', response: 'Postroom held the message back before its end.', maybeDelivered: false }, false, true);
    };
    const body = new MessageBody(msg, socket instanceof net.Socket ? socket : undefined, goAhead, () => done, withhold);
    const timer = setTimeout(() => {
      // Closing before the final dot means the relay can't accept the message; after it, it may have.
      const afterDot = body.ended;
      smtp.close();
      finish(
        {
          kind: 'deferred',
          response: `${host} didn't confirm the message in time, so Postroom gave up on this attempt${afterDot ? ' (the relay may still have accepted it)' : ''}.`,
          maybeDelivered: afterDot,
        },
        false,
      );
    }, deadlineMs);
    smtp.send({ from: msg.envelope.from, to: msg.envelope.to, size: msg.raw.length } as SMTPConnection.Envelope, body as unknown as Buffer, (err, info) => {
      if (!err) {
        const response = (info as { response?: string }).response ?? '250 OK';
        const code = Number(/^\d{3}/.exec(response)?.[0] ?? 250);
        return finish({ kind: 'sent', code, response: response.trim() }, true);
      }
      const e = err as SmtpErrorLike;
      const outcome = classifySmtpError(e, 'send', host);
      if (outcome.kind === 'deferred' && !e.responseCode) outcome.maybeDelivered = body.ended;
      // A refused message leaves the session usable (after RSET); a lost connection or a 421 doesn't.
      const reusable = (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421;
      finish(outcome, reusable);
    });
  });
}

/** Opens a pool of connections to the relay. Connections open on demand, not before the first send. */
export function openRelayPool(ctx: CoreContext, profile: RelayProfile, opts: PoolOptions = {}): RelaySession {
  const t = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const cap = Math.max(1, profile.limits.connections);
  let target = Math.min(cap, Math.max(1, opts.connections ?? cap));
  const perConn = opts.messagesPerConnection ?? 100;
  const conns = new Set<Conn>();
  let opening = 0;
  const waiters: Array<(c: Conn | null) => void> = [];
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();

  const discard = (c: Conn, polite: boolean) => {
    c.dead = true;
    clearTimeout(c.idleTimer);
    conns.delete(c);
    try {
      if (polite) c.smtp.quit();
      else c.smtp.close();
    } catch {
      // already closed
    }
  };

  const watch = (c: Conn) => {
    const died = () => {
      c.dead = true;
      if (!c.busy) {
        clearTimeout(c.idleTimer);
        conns.delete(c);
      }
    };
    c.smtp.on('end', died);
    c.smtp.on('error', died);
  };

  /** Gives a free connection to the next waiter, or keeps it idle (closing it after idleMs). */
  const release = (c: Conn) => {
    c.busy = false;
    if (c.dead || closed || conns.size > target || c.sent >= perConn) {
      discard(c, !c.dead);
      pump();
      return;
    }
    const next = waiters.shift();
    if (next) {
      c.busy = true;
      next(c);
      return;
    }
    c.idleTimer = setTimeout(() => {
      if (!c.busy) discard(c, true);
    }, t.idleMs);
    c.idleTimer.unref?.();
  };

  /** Lets waiters open new connections while there is room. */
  const pump = () => {
    while (waiters.length && conns.size + opening < target && !closed) {
      const next = waiters.shift()!;
      opening += 1; // reserved for this waiter, which opens its own connection
      next(null);
    }
  };

  /** A free connection; null when the caller must open one (a place is reserved for it); 'timeout' when none came free in time. */
  const acquire = (deadline: number): Promise<Conn | null | 'timeout'> => {
    for (const c of conns) {
      if (!c.busy && !c.dead) {
        clearTimeout(c.idleTimer);
        c.busy = true;
        return Promise.resolve(c);
      }
    }
    if (conns.size + opening < target) {
      opening += 1; // reserved for the caller, which opens its own connection
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      const waiter = (c: Conn | null) => {
        clearTimeout(timer);
        resolve(c);
      };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(waiter);
        if (i >= 0) waiters.splice(i, 1);
        resolve('timeout');
      }, Math.max(1, deadline - Date.now()));
      waiters.push(waiter);
    });
  };

  /** Opens a connection on a reservation made by acquire/pump (`opening` was counted for it). */
  const open = async (): Promise<Opened> => {
    try {
      const r = await openSession(ctx, profile, opts);
      if ('outcome' in r) return { outcome: r.outcome };
      const c: Conn = { smtp: r.smtp, busy: true, dead: false, sent: 0 };
      watch(c);
      conns.add(c);
      return { conn: c };
    } finally {
      opening -= 1;
    }
  };

  const stopped: SmtpOutcome = { kind: 'unreachable', stage: 'timeout', response: 'Sending stopped before this message went.' };

  async function sendOnce(msg: OutboundMessage, deadline: number, goAhead?: Promise<boolean>): Promise<SmtpOutcome | null> {
    for (let tries = 0; ; tries++) {
      if (closed) return stopped;
      let c = await acquire(deadline);
      if (c === 'timeout') {
        return { kind: 'unreachable', stage: 'timeout', response: `No connection to ${profile.host} became free in time; the message was not sent.` };
      }
      if (c === null) {
        if (closed) {
          opening -= 1;
          return stopped;
        }
        const opened = await open();
        if ('outcome' in opened) {
          pump();
          return opened.outcome;
        }
        c = opened.conn;
      }
      const reused = c.sent > 0;
      const r = await sendOver(c.smtp, msg, profile.host, Math.max(1, deadline - Date.now()), goAhead);
      if (r.withheld) {
        c.dead = true;
        release(c);
        return null;
      }
      c.sent += 1;
      if (!r.reusable || c.dead) c.dead = true;
      else if (r.outcome.kind !== 'sent') await resetSession(c);
      release(c);
      // The relay had closed a reused connection before a byte of the message went: not an attempt; use a fresh one.
      if (reused && r.untouched && r.outcome.kind === 'deferred' && r.outcome.code === undefined && tries === 0) continue;
      return r.outcome;
    }
  }

  /** After a refused message the session is reset (RFC 5321 §4.1.1.5) before the next MAIL FROM; if that fails, it is dropped. */
  const resetSession = (c: Conn) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        c.dead = true;
        resolve();
      }, t.socketMs);
      c.smtp.reset((err) => {
        clearTimeout(timer);
        if (err) c.dead = true;
        resolve();
      });
    });

  const sendAny = (msg: OutboundMessage, slot: SendSlot | undefined, goAhead?: Promise<boolean>): Promise<SmtpOutcome | null> => {
    const deadline = Date.now() + t.sendMs;
    // A go-ahead that fails means no (MessageBody); it may fail before the body is reached, so it is handled now.
    goAhead?.catch(() => undefined);
    const p = sendOnce(msg, deadline, goAhead)
      .catch((err: unknown): SmtpOutcome => {
        // Never reject: a bug here must not lose track of a message. Unknown fate: retried, marked maybe delivered.
        console.error('[postroom] unexpected error while sending:', err);
        return { kind: 'deferred', response: `Postroom hit an internal error while sending (${(err as Error)?.message ?? String(err)}).`, maybeDelivered: true };
      })
      .then((outcome) => {
        try {
          if (outcome) slot?.settle(outcome);
          else slot?.release();
        } catch (err) {
          console.error('[postroom] could not record a send in the pacing ledger:', err);
        }
        return outcome;
      });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  return {
    send: (msg, slot) => sendAny(msg, slot) as Promise<SmtpOutcome>,
    sendWhen: sendAny,
    setConnections(n) {
      target = Math.min(cap, Math.max(1, Math.floor(n)));
      for (const c of conns) if (conns.size > target && !c.busy) discard(c, true);
      pump();
    },
    get connections() {
      return target;
    },
    get open() {
      return conns.size;
    },
    get waiting() {
      return waiters.length;
    },
    async close() {
      closed = true;
      for (const w of waiters.splice(0)) {
        opening += 1; // each waiter sees `closed` and gives its place back
        w(null);
      }
      await Promise.allSettled([...inFlight]);
      for (const c of [...conns]) discard(c, !c.dead);
    },
  };
}
