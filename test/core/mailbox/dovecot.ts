/**
 * A real IMAP server for tests: Dovecot (Debian `dovecot-imapd`) with its own configuration, maildir and passdb
 * (passwd-file) in a temporary folder, on a free port on 127.0.0.1. Never touches /etc/dovecot.
 *
 * Dovecot runs in the foreground (`-F -c CONFIG`) as a child of the test. As an ordinary user it runs everything
 * as that user. As root it must not: its login processes refuse root, and it refuses uid 0 for mail, so it logs in
 * as Debian's `dovenull`, runs its internals as `dovecot` and keeps the mail as `nobody` (the folder is opened to them).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The hierarchy delimiter the server uses. */
  separator: string;
  /** Appends a message to a folder (INBOX by default) with APPEND; returns its UID. */
  append(raw: string | Buffer, opts?: { folder?: string; date?: Date; seen?: boolean }): Promise<number>;
  /** Appends many messages over one connection; returns their UIDs. */
  appendMany(raws: Array<string | Buffer>, folder?: string): Promise<number[]>;
  /**
   * Drops messages straight into the inbox's maildir `new/` (Dovecot picks them up at the next look): for
   * benchmarks that need thousands of messages quickly. Tests use `append`, which goes through IMAP.
   */
  seedMaildir(raws: Array<string | Buffer>): Promise<void>;
  /** Every folder with its messages: UID, flags, Message-ID, subject. */
  snapshot(): Promise<Record<string, Array<{ uid: number; seen: boolean; messageId: string | null; subject: string }>>>;
  /**
   * Makes the server renumber the inbox, as after a restore or a move to another server: Dovecot's UID list and
   * indexes go, so it gives every message a new UID under a new UIDVALIDITY (RFC 3501 §2.3.1.1).
   */
  renumber(): Promise<void>;
  /** A logged-in client (the test closes it). */
  client(): Promise<ImapFlow>;
  stop(): Promise<void>;
}

function dovecotBinary(): string {
  for (const p of ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot']) if (fs.existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', 'command -v dovecot'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Dovecot is not installed: install the Debian package dovecot-imapd (.ci/run does).');
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function idOf(user: string): { uid: number; gid: number } | null {
  try {
    return { uid: Number(execFileSync('id', ['-u', user], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', user], { encoding: 'utf8' })) };
  } catch {
    return null;
  }
}

async function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(1000);
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('* OK'));
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/**
 * Starts a Dovecot with one account. `separator`/`prefix` shape its namespace (`.` and `INBOX.` like Courier).
 * `oauth`: it also takes SASL XOAUTH2 and OAUTHBEARER, asking the authorization server about each token by
 * introspection (RFC 7662, Dovecot's oauth2 passdb); the token's `sub` is the user name (any user: mail for
 * each goes to its own home).
 */
export async function startDovecot(opts: { separator?: '/' | '.'; prefix?: string; oauth?: { introspectionUrl: string } } = {}): Promise<Dovecot> {
  const bin = dovecotBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postroom-dovecot-'));
  const root = process.getuid?.() === 0;
  const me = os.userInfo();
  const mail = root ? (idOf('nobody') ?? { uid: 65534, gid: 65534 }) : { uid: me.uid, gid: me.gid };
  const internal = root ? (idOf('dovecot') ? 'dovecot' : 'nobody') : me.username;
  const login = root ? (idOf('dovenull') ? 'dovenull' : 'nobody') : me.username;
  const internalGroup = root ? execFileSync('id', ['-gn', internal], { encoding: 'utf8' }).trim() : execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  const user = 'bounces@example.test';
  const password = 'imap-secret';
  const separator = opts.separator ?? '/';
  for (const sub of ['run', 'state', 'home']) fs.mkdirSync(path.join(dir, sub));
  fs.writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  if (opts.oauth) {
    fs.writeFileSync(
      path.join(dir, 'oauth2.conf.ext'),
      `introspection_mode = post\nintrospection_url = ${opts.oauth.introspectionUrl}\nusername_attribute = sub\nactive_attribute = active\nactive_value = true\n`,
    );
  }
  if (root) {
    fs.chmodSync(dir, 0o755);
    fs.chownSync(path.join(dir, 'home'), mail.uid, mail.gid);
  }
  let child: ChildProcess | null = null;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${opts.oauth ? ' xoauth2 oauthbearer' : ''}
default_internal_user = ${internal}
default_internal_group = ${internalGroup}
default_login_user = ${login}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
  mechanisms = plain login
}
${
  opts.oauth
    ? `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${dir}/oauth2.conf.ext
}`
    : ''
}
userdb {
  driver = static
  args = uid=${mail.uid} gid=${mail.gid} home=${dir}/home/%u
}
# No chroot: an ordinary user can't chroot (Dovecot's own advice for running unprivileged); harmless as root.
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service auth-worker {
  user = $default_internal_user
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0600
  }
}
namespace inbox {
  inbox = yes
  separator = ${separator}
  prefix = ${opts.prefix ?? ''}
}
`;
    const confFile = path.join(dir, 'dovecot.conf');
    fs.writeFileSync(confFile, conf);
    const c = spawn(bin, ['-F', '-c', confFile], { stdio: 'ignore' });
    const started = Date.now();
    let ok = false;
    while (Date.now() - started < 10_000) {
      if (c.exitCode !== null) break;
      if (await greets(port)) {
        ok = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (ok) child = c;
    else c.kill('SIGKILL');
  }
  if (!child) {
    const log = fs.existsSync(path.join(dir, 'dovecot.log')) ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : '';
    throw new Error(`Dovecot did not start: ${log.slice(-2000)}`);
  }
  const proc = child;

  const client = async () => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false });
    c.on('error', () => {});
    await c.connect();
    return c;
  };

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    separator,
    client,
    async append(raw, o = {}) {
      const c = await client();
      try {
        const r = await c.append(o.folder ?? 'INBOX', raw, o.seen ? ['\\Seen'] : [], o.date);
        if (!r || !r.uid) throw new Error('APPEND gave no UID');
        return r.uid;
      } finally {
        await c.logout();
      }
    },
    async seedMaildir(raws) {
      const home = path.join(dir, 'home', user);
      const dirNew = path.join(home, 'Maildir', 'new');
      for (const d of [home, path.join(home, 'Maildir'), dirNew, path.join(home, 'Maildir', 'cur'), path.join(home, 'Maildir', 'tmp')]) {
        fs.mkdirSync(d, { recursive: true });
        if (root) fs.chownSync(d, mail.uid, mail.gid);
      }
      const stamp = Math.floor(Date.now() / 1000);
      raws.forEach((raw, i) => {
        const file = path.join(dirNew, `${stamp}.P${process.pid}Q${i}.postroom-bench`);
        fs.writeFileSync(file, raw);
        if (root) fs.chownSync(file, mail.uid, mail.gid);
      });
    },
    async renumber() {
      const before = await client();
      const old = ((await before.status('INBOX', { uidValidity: true })) || {}).uidValidity;
      await before.logout();
      const maildir = path.join(dir, 'home', user, 'Maildir');
      for (const f of fs.readdirSync(maildir)) if (f === 'dovecot-uidlist' || f.startsWith('dovecot.index')) fs.rmSync(path.join(maildir, f), { force: true });
      // UIDVALIDITY is a time in seconds: the new one must differ from the old.
      for (;;) {
        const c = await client();
        const now = ((await c.status('INBOX', { uidValidity: true })) || {}).uidValidity;
        await c.logout();
        if (now !== old) return;
        await new Promise((r) => setTimeout(r, 300));
        for (const f of fs.readdirSync(maildir)) if (f === 'dovecot-uidlist' || f.startsWith('dovecot.index')) fs.rmSync(path.join(maildir, f), { force: true });
      }
    },
    async appendMany(raws, folder = 'INBOX') {
      const c = await client();
      const uids: number[] = [];
      try {
        for (const raw of raws) {
          const r = await c.append(folder, raw, []);
          if (!r || !r.uid) throw new Error('APPEND gave no UID');
          uids.push(r.uid);
        }
      } finally {
        await c.logout();
      }
      return uids;
    },
    async snapshot() {
      const c = await client();
      const out: Record<string, Array<{ uid: number; seen: boolean; messageId: string | null; subject: string }>> = {};
      try {
        for (const box of await c.list()) {
          if (box.flags.has('\\Noselect') || box.flags.has('\\NonExistent')) continue; // a parent that holds no mail
          const lock = await c.getMailboxLock(box.path);
          try {
            const msgs = (c.mailbox && c.mailbox.exists > 0 ? await c.fetchAll('1:*', { uid: true, flags: true, envelope: true }) : []).map((m) => ({
              uid: m.uid,
              seen: m.flags?.has('\\Seen') ?? false,
              messageId: m.envelope?.messageId ?? null,
              subject: m.envelope?.subject ?? '',
            }));
            out[box.path] = msgs;
          } finally {
            lock.release();
          }
        }
      } finally {
        await c.logout();
      }
      return out;
    },
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
