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

const mailComposer = onFirstUse<typeof MailComposer>('nodemailer/lib/mail-composer');
import { testToken } from './oauth';

export type { RelayTestResult };
export type RelayTestStep = Extract<RelayTestResult, { ok: false }>['step'];

export interface RelayTestOptions extends PoolOptions {
  /** Also send a short test message to this address. */
  sendTo?: string;
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
  const fail = (step: RelayTestStep, message: string): RelayTestResult => ({ ok: false, step, message, passed: passed.map((s) => STEP_WORDS[s] ?? s) });

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
              ? `${profile.host} refused the connection on port ${profile.port}: nothing is listening there. Check the port (relays usually listen on 587 for STARTTLS or 465 for TLS).`
              : `Couldn't connect to ${where}: ${o.response} Check the host, the port and your network.`,
          );
        case 'timeout':
          if (e?.timeoutType === 'GREETING_TIMEOUT') {
            return fail(
              'smtp',
              `${where} accepted the connection but didn't greet within ${formatDuration(timeouts.greetingMs)} as an SMTP server does.${profile.security === 'starttls' && profile.port === 465 ? ' Port 465 usually wants --security tls.' : ' Check the port and the security setting.'}`,
            );
          }
          return fail('tcp', `${where} didn't answer within ${formatDuration(timeouts.connectMs)}. A firewall may block port ${profile.port}, or the host is wrong.`);
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
    return fail('smtp', `${profile.host} is not taking connections right now: ${o.response}. Try again later.`);
  }
  const smtp = opened.smtp;
  try {
    const certificate = peerCertificate(smtp);
    if (!opts.sendTo) {
      return { ok: true, message: summary(profile, certificate), passed: passed.map((s) => STEP_WORDS[s] ?? s), certificate };
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
      return { ok: true, message: `${summary(profile, certificate)} Sent a test message to ${opts.sendTo} (${r.outcome.response}).`, passed: passed.map((s) => STEP_WORDS[s] ?? s), certificate };
    }
    return fail('send', `Connected and logged in, but the test message to ${opts.sendTo} was not accepted: ${r.outcome.response}`);
  } finally {
    try {
      smtp.quit();
    } catch {
      smtp.close();
    }
  }
}

function summary(profile: RelayProfile, certificate: { fingerprint: string; trusted: boolean } | null): string {
  const how = profile.security === 'tls' ? 'over TLS' : profile.security === 'starttls' ? 'with STARTTLS' : 'without encryption';
  const login = profile.auth === 'none' ? 'no login needed' : `logged in as ${profile.user}${profile.auth === 'oauth2' ? ' (OAuth2)' : ''}`;
  // A self-signed certificate is named by its fingerprint, so the person can compare it with the server's own.
  const cert = certificate && !certificate.trusted ? ` The server's certificate is self-signed, SHA-256 ${certificate.fingerprint}${profile.id ? ': only this certificate is accepted from now on' : ''}.` : '';
  return `Connected to ${profile.host}:${profile.port} ${how}, ${login}.${cert}`;
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
