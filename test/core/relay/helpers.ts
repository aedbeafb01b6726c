/** Test helpers for the relay area: a core context on a temp folder, and an SMTP server the test scripts per recipient. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { openDatabase } from '../../../electron/core/store/db';
import { EventBus } from '../../../electron/core/events';
import { checkEvent } from '../../../shared/contract';
import { fileSecretBox } from '../../../electron/core/secrets';
import type { Clock, CoreContext } from '../../../electron/core/context';

export interface TestContext extends CoreContext {
  cleanup(): void;
}

export function makeContext(options: { clock?: Clock; dir?: string } = {}): TestContext {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-relay-'));
  const db = openDatabase(dir);
  return {
    db,
    dataDir: dir,
    events: new EventBus(checkEvent),
    clock: options.clock ?? { now: () => Date.now() },
    secrets: fileSecretBox(dir),
    host: 'test',
    version: 'test',
    cleanup() {
      if (db.open) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)): Clock & { advance(ms: number): void; set(t: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    set(v) {
      t = v;
    },
  };
}

/** What the server does with one recipient's message. */
export type Step =
  | 'accept'
  | 'drop-after-dot' // read the whole message, then cut the connection without answering
  | 'stall' // read the whole message and never answer
  | { at: 'rcpt' | 'data'; code: number; text: string };

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  /** When the server had the whole message (server clock: the test's clock when given). */
  at: number;
  /** Whether the server answered 250 (false for a dropped or stalled one). */
  accepted: boolean;
}

export interface ScriptedServer {
  port: number;
  received: Received[];
  /** Accepted messages only. */
  accepted(): Received[];
  /** Logins seen: user, password or token, method. */
  logins: Array<{ user: string; secret: string; method: string }>;
  /** Most connections open at once. */
  maxConnections: number;
  /** Cuts every open session (what a relay's idle timeout does). */
  closeConnections(): Promise<void>;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** What to do for a recipient; `attempt` counts from 1 per address. */
  script?: (rcpt: string, attempt: number) => Step;
  /** Require a login with these credentials (password) or this token (XOAUTH2). */
  auth?: { user: string; pass?: string; token?: string };
  /** Refuse every login with this reply. */
  refuseAuth?: { code: number; text: string };
  tls?: { key: Buffer; cert: Buffer; secure: boolean };
  clock?: Clock;
  /** Answer the greeting with this (e.g. 421 busy). */
  greeting?: { code: number; text: string };
  /** Told how many bytes of the current message the server has read so far, as they arrive. */
  onBytes?: (bytes: number) => void;
}

export async function startServer(options: ServerOptions = {}): Promise<ScriptedServer> {
  const received: Received[] = [];
  const logins: ScriptedServer['logins'] = [];
  const attempts = new Map<string, number>();
  const steps = new Map<string, Step>(); // session id → step of its current message
  const clock = options.clock ?? { now: () => Date.now() };
  let open = 0;
  const state = { maxConnections: 0 };
  const script = options.script ?? (() => 'accept' as Step);
  const fail = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

  const serverOptions: SMTPServerOptions = {
    logger: false,
    disableReverseLookup: true,
    hideENHANCEDSTATUSCODES: true,
    disabledCommands: options.tls ? [] : ['STARTTLS'],
    authOptional: !options.auth && !options.refuseAuth,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert, secure: options.tls.secure } : {}),
    onConnect(_session, cb) {
      open += 1;
      state.maxConnections = Math.max(state.maxConnections, open);
      if (options.greeting) return cb(fail(options.greeting.code, options.greeting.text));
      cb();
    },
    onClose() {
      open -= 1;
    },
    onAuth(auth, _session, cb) {
      logins.push({ user: auth.username ?? '', secret: auth.method === 'XOAUTH2' ? (auth.accessToken ?? '') : (auth.password ?? ''), method: auth.method });
      if (options.refuseAuth) return cb(fail(options.refuseAuth.code, options.refuseAuth.text));
      const want = options.auth;
      const ok =
        want &&
        auth.username === want.user &&
        (auth.method === 'XOAUTH2' ? auth.accessToken === want.token : auth.password === want.pass);
      if (!ok) return cb(auth.method === 'XOAUTH2' ? null : fail(535, '5.7.8 Authentication credentials invalid'), auth.method === 'XOAUTH2' ? { data: { status: '401' } } : undefined);
      cb(null, { user: auth.username });
    },
    onRcptTo(address, session, cb) {
      const rcpt = address.address.toLowerCase();
      const n = (attempts.get(rcpt) ?? 0) + 1;
      attempts.set(rcpt, n);
      const step = script(rcpt, n);
      steps.set(session.id, step);
      if (typeof step === 'object' && step.at === 'rcpt') return cb(fail(step.code, step.text));
      cb();
    },
    onData(stream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        bytes += c.length;
        options.onBytes?.(bytes);
      });
      stream.on('end', () => {
        const step = steps.get(session.id) ?? 'accept';
        const record = (accepted: boolean) =>
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
            at: clock.now(),
            accepted,
          });
        if (step === 'accept') {
          record(true);
          return cb(null, `2.0.0 Ok: queued as Q${received.length}`);
        }
        if (step === 'drop-after-dot') {
          record(false);
          for (const c of server.connections as Set<{ session: { id: string }; _socket: { destroy(): void } }>) {
            if (c.session.id === session.id) c._socket.destroy();
          }
          return;
        }
        if (step === 'stall') {
          record(false);
          return; // never answers
        }
        cb(fail(step.code, step.text));
      });
    },
  };
  const server = new SMTPServer(serverOptions) as SMTPServer & { connections: Set<unknown> };
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    accepted: () => received.filter((r) => r.accepted),
    logins,
    get maxConnections() {
      return state.maxConnections;
    },
    async closeConnections() {
      for (const c of server.connections as Set<{ _socket: { end(): void } }>) c._socket.end();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.connections as Set<{ _socket: { destroy(): void } }>) c._socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A self-signed certificate for localhost / 127.0.0.1, made with openssl. */
export function selfSignedCert(): { key: Buffer; cert: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      { cwd: dir, stdio: 'ignore' },
    );
    return { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A small RFC 5322 message. */
export function rawMessage(to: string, subject = 'Hello', messageId = `<${Math.random().toString(36).slice(2)}@postroom.test>`): Buffer {
  return Buffer.from(
    [`From: Shop <shop@example.com>`, `To: <${to}>`, `Subject: ${subject}`, `Message-ID: ${messageId}`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Hello there.', ''].join('\r\n'),
  );
}

/** Resolves localhost names without the machine's resolver (and anything .invalid as NXDOMAIN). */
export const localResolver = async (host: string): Promise<string[]> => {
  if (host === 'localhost' || host.endsWith('.test')) return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};
