/**
 * `relay test`: walks the steps a send takes — DNS, TCP, TLS, the SMTP greeting, authentication, and optionally a
 * short test message — and says exactly which one failed, why, and what to do, in a person's words.
 */
import type MailComposer from 'nodemailer/lib/mail-composer';
import { onFirstUse } from '../first-use';
import type { CoreContext } from '../context';
import type { RelayTestResult } from '../../../shared/contract/relays';
import type { RelayProfile } from './profiles';
import { openSession, sendOver, DEFAULT_TIMEOUTS, type PoolOptions } from './pool';
import { formatDuration } from './units';
import { peerCertificate } from './pinning';
import { word, type Sentences, type Worded } from '../notes';

const mailComposer = onFirstUse<typeof MailComposer>('nodemailer/lib/mail-composer');
import { testToken } from './oauth';

export type { RelayTestResult };
export type RelayTestStep = Extract<RelayTestResult, { ok: false }>['step'];

export interface RelayTestOptions extends PoolOptions {
  /** Also send a short test message to this address. */
  sendTo?: string;
}

/**
 * The test's own sentences, each built here from its parameters (electron/core/notes.ts says why); the others
 * (DNS, TLS, a sign-in) carry the words of the module that found the problem and stay in English for now.
 */
export const RELAY_TEST_SENTENCES = {
  /** `cert`: `pinned` (self-signed, now the only one accepted), `selfSigned`, or `none` (trusted, or no TLS). `sent`: `yes` with a test message. */
  RELAY_TEST_OK: (p: {
    host: string;
    port: string;
    security: RelayProfile['security'];
    login: RelayProfile['auth'];
    user: string | null;
    cert: 'pinned' | 'selfSigned' | 'none';
    fingerprint: string | null;
    sent: 'yes' | 'no';
    sendTo: string | null;
    reply: string | null;
  }) => {
    const how = p.security === 'tls' ? 'over TLS' : p.security === 'starttls' ? 'with STARTTLS' : 'without encryption';
    const login = p.login === 'none' ? 'no login needed' : `logged in as ${p.user}${p.login === 'oauth2' ? ' (OAuth2)' : ''}`;
    const cert = p.cert === 'none' ? '' : ` The server's certificate is self-signed, SHA-256 ${p.fingerprint}${p.cert === 'pinned' ? ': only this certificate is accepted from now on' : ''}.`;
    const sent = p.sent === 'yes' ? ` Sent a test message to ${p.sendTo} (${p.reply}).` : '';
    return `Connected to ${p.host}:${p.port} ${how}, ${login}.${cert}${sent}`;
  },
  RELAY_TEST_REFUSED: (p: { host: string; port: string }) =>
    `${p.host} refused the connection on port ${p.port}: nothing is listening there. Check the port (relays usually listen on 587 for STARTTLS or 465 for TLS).`,
  /** `wait`: as formatDuration writes it (15s). */
  RELAY_TEST_NO_ANSWER: (p: { host: string; port: string; wait: string }) => `${p.host}:${p.port} didn't answer within ${p.wait}. A firewall may block port ${p.port}, or the host is wrong.`,
  /** `hint`: `tls` when STARTTLS was tried on port 465. */
  RELAY_TEST_NO_GREETING: (p: { host: string; port: string; wait: string; hint: 'tls' | 'check' }) =>
    `${p.host}:${p.port} accepted the connection but didn't greet within ${p.wait} as an SMTP server does.${p.hint === 'tls' ? ' Port 465 usually wants --security tls.' : ' Check the port and the security setting.'}`,
  RELAY_TEST_BUSY: (p: { host: string; reply: string }) => `${p.host} is not taking connections right now: ${p.reply}. Try again later.`,
  /** `google`: `yes` for a Gmail or Workspace relay. */
  RELAY_TEST_LOGIN_REFUSED: (p: { host: string; user: string; reply: string; relay: string; google: 'yes' | 'no' }) =>
    `Couldn't log in to ${p.host} as ${p.user}: the server said ${p.reply} (wrong user name or password, or this login method is not allowed). Check the user name and password of relay "${p.relay}"${p.google === 'yes' ? '; Google needs an app password or OAuth2' : ''}.`,
  RELAY_TEST_NOT_ACCEPTED: (p: { sendTo: string; reply: string }) => `Connected and logged in, but the test message to ${p.sendTo} was not accepted: ${p.reply}`,
} satisfies Sentences;

/** One of the test's sentences: its English and its note. */
function relayTestNote<C extends keyof typeof RELAY_TEST_SENTENCES>(code: C, params: Parameters<(typeof RELAY_TEST_SENTENCES)[C]>[0]): Worded {
  return word(RELAY_TEST_SENTENCES, code, params);
}

const STEP_WORDS: Record<string, string> = {
  discovery: 'sign-in discovery',
  token: 'access token',
  dns: 'DNS',
  tcp: 'TCP',
  tls: 'TLS',
  smtp: 'SMTP',
  auth: 'authentication',
  send: 'test message',
};

/** Tests a relay step by step. Resolves with ok or the failed step; never rejects. */
export async function testRelay(ctx: CoreContext, profile: RelayProfile, opts: RelayTestOptions = {}): Promise<RelayTestResult> {
  const timeouts = { ...DEFAULT_TIMEOUTS, connectMs: 15_000, greetingMs: 15_000, socketMs: 30_000, ...opts.timeouts };
  const passed: string[] = [];
  const where = `${profile.host}:${profile.port}`;
  const fail = (step: RelayTestStep, message: string | Worded): RelayTestResult => ({
    ok: false,
    step,
    ...(typeof message === 'string' ? { message } : { message: message.text, note: message.note }),
    passed: passed.map((s) => STEP_WORDS[s] ?? s),
  });
  const port = String(profile.port);

  if (profile.auth === 'oauth2' && !opts.secret) {
    // The token step first: the provider's discovery metadata, then an access token (renewed when due).
    if (profile.id === 0) return fail('token', `Add the relay "${profile.name}" and sign in to it first; then test it.`);
    const t = await testToken(ctx, profile, opts.env);
    passed.push(...t.passed);
    if (!t.ok) return fail('token', t.message);
  }
  const opened = await openSession(ctx, profile, { ...opts, timeouts }, (step) => {
    if (!passed.includes(step)) passed.push(step);
  });
  if ('outcome' in opened) {
    const o = opened.outcome;
    const e = opened.error;
    if (opened.phase === 'dns') {
      return fail('dns', `${o.response} Check the host name of relay "${profile.name}".`);
    }
    if (opened.phase === 'login') {
      if (o.kind === 'auth' && o.signIn) return fail('token', o.response);
      if (o.kind === 'unreachable' && o.stage === 'token') return fail('token', o.response);
      if (o.kind === 'auth' && !('code' in o && o.code)) return fail('auth', o.response);
      const google = profile.preset === 'gmail' || profile.preset === 'workspace';
      if (o.kind === 'auth' && o.response && profile.user !== null && profile.auth !== 'oauth2') {
        return fail('auth', relayTestNote('RELAY_TEST_LOGIN_REFUSED', { host: profile.host, user: profile.user, reply: o.response, relay: profile.name, google: google ? 'yes' : 'no' }));
      }
      const said = o.response ? `: the server said ${o.response}` : '';
      return fail(
        'auth',
        `Couldn't log in to ${profile.host} as ${profile.user ?? '(no user)'}${said}${o.kind === 'auth' ? ' (wrong user name or password, or this login method is not allowed)' : ''}. ${profile.auth === 'oauth2' ? `The server refused even a freshly renewed access token: check that the account may send with SMTP AUTH (Microsoft 365 admins can turn it off per mailbox) and that the user "${profile.user ?? ''}" is the account you signed in with.` : `Check the user name and password of relay "${profile.name}"${profile.preset === 'gmail' || profile.preset === 'workspace' ? '; Google needs an app password or OAuth2' : ''}.`}`,
      );
    }
    // The TCP connection (and an implicit TLS handshake) worked when what failed came after it.
    const greetingLate = o.kind === 'unreachable' && o.stage === 'timeout' && e?.timeoutType === 'GREETING_TIMEOUT';
    const afterTcp = greetingLate || o.kind === 'throttled' || (o.kind === 'unreachable' && (o.stage === 'tls' || o.stage === 'smtp'));
    if (afterTcp) passed.push('tcp');
    if (afterTcp && profile.security === 'tls' && !(o.kind === 'unreachable' && o.stage === 'tls')) passed.push('tls');
    if (o.kind === 'unreachable') {
      switch (o.stage) {
        case 'tcp':
          return fail(
            'tcp',
            e?.originalCode === 'ECONNREFUSED'
              ? relayTestNote('RELAY_TEST_REFUSED', { host: profile.host, port })
              : `Couldn't connect to ${where}: ${o.response} Check the host, the port and your network.`,
          );
        case 'timeout':
          if (e?.timeoutType === 'GREETING_TIMEOUT') {
            const hint = profile.security === 'starttls' && profile.port === 465 ? 'tls' : 'check';
            return fail('smtp', relayTestNote('RELAY_TEST_NO_GREETING', { host: profile.host, port, wait: formatDuration(timeouts.greetingMs), hint }));
          }
          return fail('tcp', relayTestNote('RELAY_TEST_NO_ANSWER', { host: profile.host, port, wait: formatDuration(timeouts.connectMs) }));
        case 'tls':
          return fail('tls', `${o.response} ${tlsAdvice(profile, o.response)}`.trim());
        case 'dns':
          return fail('dns', o.response);
        case 'smtp':
          return fail('smtp', `${o.response} Check the host and port of relay "${profile.name}".`);
        case 'token':
          return fail('token', o.response);
      }
    }
    // A 4xx greeting (421: too busy, try later).
    return fail('smtp', relayTestNote('RELAY_TEST_BUSY', { host: profile.host, reply: o.response }));
  }
  const smtp = opened.smtp;
  try {
    const certificate = peerCertificate(smtp);
    if (!opts.sendTo) {
      const done = summary(profile, certificate);
      return { ok: true, message: done.text, note: done.note, passed: passed.map((s) => STEP_WORDS[s] ?? s), certificate };
    }
    const from = profile.user && profile.user.includes('@') ? profile.user : opts.sendTo;
    const raw = await new (mailComposer())({
      from,
      to: opts.sendTo,
      subject: 'Postroom test message',
      text: `This is a test message from Postroom.\r\n\r\nThe relay "${profile.name}" (${where}) works: Postroom connected, ${profile.auth === 'none' ? 'was accepted without logging in' : `logged in as ${profile.user}`}, and handed over this message.\r\n`,
    })
      .compile()
      .build();
    const r = await sendOver(smtp, { raw, envelope: { from, to: [opts.sendTo] } }, profile.host, timeouts.sendMs);
    if (r.outcome.kind === 'sent') {
      passed.push('send');
      const done = summary(profile, certificate, { sendTo: opts.sendTo, reply: r.outcome.response });
      return { ok: true, message: done.text, note: done.note, passed: passed.map((s) => STEP_WORDS[s] ?? s), certificate };
    }
    return fail('send', relayTestNote('RELAY_TEST_NOT_ACCEPTED', { sendTo: opts.sendTo, reply: r.outcome.response }));
  } finally {
    try {
      smtp.quit();
    } catch {
      smtp.close();
    }
  }
}

function summary(profile: RelayProfile, certificate: { fingerprint: string; trusted: boolean } | null, sent?: { sendTo: string; reply: string }): Worded {
  // A self-signed certificate is named by its fingerprint, so the person can compare it with the server's own.
  const selfSigned = certificate !== null && !certificate.trusted;
  return relayTestNote('RELAY_TEST_OK', {
    host: profile.host,
    port: String(profile.port),
    security: profile.security,
    login: profile.auth,
    user: profile.auth === 'none' ? null : profile.user,
    cert: !selfSigned ? 'none' : profile.id ? 'pinned' : 'selfSigned',
    fingerprint: selfSigned ? certificate.fingerprint : null,
    sent: sent ? 'yes' : 'no',
    sendTo: sent?.sendTo ?? null,
    reply: sent?.reply ?? null,
  });
}

function tlsAdvice(profile: RelayProfile, response: string): string {
  if (/not the one accepted/.test(response)) return ''; // the pin's own message says what to do (relay/pinning.ts)
  if (/self[- ]signed|unable to verify|unable to get local issuer/i.test(response)) {
    return profile.acceptSelfSigned
      ? 'Check the server certificate.'
      : `The server's certificate is not signed by an authority this computer trusts. If it is your own server, turn on "accept self-signed certificate" for relay "${profile.name}".`;
  }
  if (/altname|hostname|Host: /i.test(response)) return `The certificate is for another host name; use the name on the certificate as the host.`;
  if (/wrong version number|packet length too long|unknown protocol/i.test(response)) {
    return profile.security === 'tls'
      ? `Port ${profile.port} doesn't speak TLS right away; try --security starttls (usually port 587).`
      : `Try --security tls (usually port 465).`;
  }
  if (/STARTTLS/i.test(response)) return `The server doesn't offer STARTTLS, and Postroom won't send a password unencrypted. Use --security tls on port 465, or --security none only on a trusted network.`;
  return 'Check the security setting (tls for port 465, starttls for 587).';
}
