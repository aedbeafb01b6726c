/**
 * Test harness for the outbox: a real service on a temp data folder (list, template, relay made through the real
 * store modules), and a real SMTP server on 127.0.0.1 that the test scripts per recipient.
 */
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { createService, type Service } from '../../../electron/core/service';
import { dispatch } from '../../../shared/router';
import type { Channel, Input, Output } from '../../../shared/contract';
import { createList } from '../../../electron/core/store/lists';
import { emailKey } from '../../../electron/core/store/suppressions';
import { insertTemplate } from '../../../electron/core/store/templates';
import { createRelay } from '../../../electron/core/relay';
import type { Db } from '../../../electron/core/store/db';
import { tempDir } from '../../helpers';

/**
 * Builds the compose worker (as dist/compose-worker.cjs is built) inside the checkout, so that it finds
 * node_modules; `tag` keeps parallel test files apart. Returns the file; remove it when done.
 */
export async function buildComposeWorker(tag: string): Promise<string> {
  const path = await import('node:path');
  const { build } = await import('esbuild');
  const file = path.resolve(__dirname, `../../../node_modules/.cache/postroom-test/compose-worker-${tag}-${process.pid}.cjs`);
  await build({ entryPoints: [path.resolve(__dirname, '../../../electron/core/outbox/compose-worker.ts')], outfile: file, bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'silent', define: { __POSTROOM_VERSION__: '"test"' } });
  return file;
}

/** What the server does with one message for a recipient, on its `attempt`th try (from 1). */
export type Step =
  | 'accept'
  | 'drop-after-dot' // read the whole message, then cut the connection without answering
  | 'stall' // read the whole message and never answer
  | 'close-421' // answer 421 and close the connection
  | { code: number; text: string };

export interface Delivery {
  to: string;
  messageId: string;
  at: number;
  accepted: boolean;
  raw: string;
}

export interface TestServer {
  port: number;
  deliveries: Delivery[];
  /** Accepted deliveries only. */
  accepted(): Delivery[];
  maxConnections: number;
  logins: number;
  close(): Promise<void>;
}

export interface TestServerOptions {
  script?: (rcpt: string, attempt: number) => Step;
  /** Refuse every login with 535. */
  refuseAuth?: boolean;
  /** Wait this long before answering the final dot (ms). */
  delayMs?: number;
  port?: number;
  /** Called when a message's final dot arrived, before it is answered (the recipients, comma-separated). */
  atDot?: (to: string) => void;
}

export function messageIdOf(raw: string): string {
  return /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '';
}

export async function startSmtp(options: TestServerOptions = {}): Promise<TestServer> {
  const deliveries: Delivery[] = [];
  const attempts = new Map<string, number>();
  const steps = new Map<string, Step>();
  const script = options.script ?? (() => 'accept' as Step);
  let open = 0;
  const state = { maxConnections: 0, logins: 0 };
  const fail = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });
  type Conn = { session: { id: string }; _socket: { destroy(): void } };
  const dropSession = (id: string) => {
    for (const c of server.connections as Set<Conn>) if (c.session.id === id) c._socket.destroy();
  };
  const serverOptions: SMTPServerOptions = {
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !options.refuseAuth,
    allowInsecureAuth: true,
    onConnect(_s, cb) {
      open++;
      state.maxConnections = Math.max(state.maxConnections, open);
      cb();
    },
    onClose() {
      open--;
    },
    onAuth(_auth, _s, cb) {
      state.logins++;
      cb(fail(535, '5.7.8 Authentication credentials invalid'));
    },
    onRcptTo(address, session, cb) {
      const rcpt = address.address.toLowerCase();
      const n = (attempts.get(rcpt) ?? 0) + 1;
      attempts.set(rcpt, n);
      steps.set(session.id, script(rcpt, n));
      cb();
    },
    onData(stream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        options.atDot?.(session.envelope.rcptTo.map((r) => r.address.toLowerCase()).join(','));
        const step = steps.get(session.id) ?? 'accept';
        const raw = Buffer.concat(chunks).toString('utf8');
        const record = (accepted: boolean) =>
          deliveries.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()).join(','), messageId: messageIdOf(raw), at: Date.now(), accepted, raw });
        const answer = () => {
          if (step === 'accept') {
            record(true);
            return cb(null, `2.0.0 Ok: queued as Q${deliveries.length}`);
          }
          if (step === 'drop-after-dot') {
            record(false);
            return dropSession(session.id);
          }
          if (step === 'stall') return record(false);
          record(false);
          if (step === 'close-421') {
            cb(fail(421, '4.7.0 Too many messages, slow down'));
            return setTimeout(() => dropSession(session.id), 5);
          }
          cb(fail(step.code, step.text));
        };
        if (options.delayMs) setTimeout(answer, options.delayMs);
        else answer();
      });
    },
  };
  const server = new SMTPServer(serverOptions) as SMTPServer & { connections: Set<unknown> };
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    deliveries,
    accepted: () => deliveries.filter((d) => d.accepted),
    get maxConnections() {
      return state.maxConnections;
    },
    get logins() {
      return state.logins;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.connections as Set<Conn>) c._socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Setup {
  dir: string;
  service: Service;
  db: Db;
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
  /** Adds recipients r0001@example.test … to the list. */
  addRecipients(emails: string[]): void;
  addRelay(name: string, port: number, extra?: { connections?: number; perSecond?: number; user?: string; password?: string; retry?: { minMs: number; maxMs: number; giveUpMs: number } }): void;
  close(): Promise<void>;
}

export function recipients(n: number, prefix = 'r'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}@example.test`);
}

/** A service with a list `customers`, a template `news` and (when `port` is given) a relay `local`. */
export function setup(opts: { dir?: string; emails?: string[] } = {}): Setup {
  const dir = opts.dir ?? tempDir('postroom-outbox-');
  const service = createService({ dataDir: dir, host: 'test' });
  const db = service.ctx.db;
  const now = Date.now();
  if (!db.prepare(`SELECT 1 FROM lists WHERE name = 'customers'`).get()) {
    createList(db, 'customers', now, ['email', 'first_name', 'company']);
    insertTemplate(
      db,
      {
        name: 'news',
        subject: 'News for {{ first_name | default: "you" }}',
        from: 'Shop <shop@example.com>',
        replyTo: null,
        format: 'html',
        body: '<p>Hello {{ first_name | default: "there" }} at {{ company }}!</p>',
        text: null,
        attachField: null,
      },
      now,
    );
  }
  const listId = (db.prepare(`SELECT id FROM lists WHERE name = 'customers'`).get() as { id: number }).id;
  const s: Setup = {
    dir,
    service,
    db,
    async call(channel, input) {
      const r = await dispatch(service.handlers, channel, input);
      if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
      return r.value;
    },
    addRecipients(emails) {
      const ins = db.prepare(
        `INSERT INTO recipients (list_id, email, email_key, name, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      db.transaction(() => {
        emails.forEach((e, i) => ins.run(listId, e, emailKey(e), null, JSON.stringify({ email: e, first_name: `Name${i}`, company: 'ACME' }), now, now));
      })();
    },
    addRelay(name, port, extra = {}) {
      createRelay(service.ctx, {
        name,
        host: '127.0.0.1',
        port,
        security: 'none',
        ...(extra.user ? { user: extra.user, auth: 'password' as const, password: extra.password ?? 'secret' } : {}),
        limits: { connections: extra.connections ?? 2, ...(extra.perSecond ? { perSecond: extra.perSecond } : {}) },
        retry: extra.retry ?? { minMs: 100, maxMs: 400, giveUpMs: 60_000 },
      });
    },
    close: () => service.close(),
  };
  if (opts.emails) s.addRecipients(opts.emails);
  return s;
}

/** Waits until `cond` holds (polling), or fails after `ms`. */
export async function until(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function campaignState(db: Db, name: string): string {
  return (db.prepare(`SELECT state FROM campaigns WHERE name = ?`).get(name) as { state: string }).state;
}

export function rowsOf(db: Db, name: string) {
  return db
    .prepare(`SELECT o.* FROM outbox o JOIN campaigns c ON c.id = o.campaign_id WHERE c.name = ? ORDER BY o.id`)
    .all(name) as Array<{ id: number; email: string; state: string; attempts: number; message_id: string; last_response: string | null; possible_duplicate: number; sent_at: number | null }>;
}
