/**
 * Every answer from a relay, classified: RFC 5321 §4.2.1 reply classes (2yz done, 4yz try again, 5yz don't)
 * refined by RFC 3463 enhanced status codes (class.subject.detail), because what a sender should do next depends
 * on more than the first digit: a 4.7.x or a 421 means "slow down", 5.7.8 means the login is wrong (pause, ask
 * a person), a 5xx "quota exceeded" means "not today" rather than "this address is bad".
 */
import type { ErrorParams } from '../../../shared/errors';

/** Where a relay that can't be reached failed, before any message was handed over (`token`: its OAuth2 provider). */
export type UnreachableStage = 'dns' | 'tcp' | 'tls' | 'timeout' | 'smtp' | 'token';

/** The outcome of handing one message to the relay. `response` is the server's own words when it said any. */
export type SmtpOutcome =
  /** 2xx after the final dot: the relay took responsibility for the message. */
  | { kind: 'sent'; code: number; response: string }
  /**
   * 4xx, or the connection was lost / timed out during the transaction: try again later (an attempt).
   * `maybeDelivered`: the connection was lost after the message had started to go, so the relay may have
   * accepted it without our hearing so; a retry may duplicate it (same Message-ID).
   */
  | { kind: 'deferred'; code?: number; enhanced?: string; response: string; maybeDelivered: boolean }
  /** 5xx: permanent for this message; the server's words are kept for the report. `code` absent when Postroom refused it (bad address). */
  | { kind: 'failed'; code?: number; enhanced?: string; response: string }
  /**
   * The relay refused the login (535, 530, 534, 5.7.8 …) or the secret is missing: pause and ask a person. Not an attempt.
   * `signIn`: the OAuth2 sign-in must be renewed; `params`: those of the sign-in's error (relay/oauth.ts), for its sentence by code.
   */
  | { kind: 'auth'; code?: number; enhanced?: string; response: string; signIn?: boolean; params?: ErrorParams }
  /**
   * The relay asks us to slow down (421, 4.7.x, 454 "Throttling", 5xx "quota exceeded"): back off the relay,
   * retry the message later. `attempted`: false when it came before the message was handed over (greeting, login).
   */
  | { kind: 'throttled'; code?: number; enhanced?: string; response: string; attempted: boolean }
  /** The relay couldn't be reached (DNS, refused, TLS, timeout, no SMTP service): not an attempt; wait and probe. */
  | { kind: 'unreachable'; stage: UnreachableStage; response: string };

export type OutcomeKind = SmtpOutcome['kind'];

/** `550 5.1.1 <a@b>: user unknown` → `5.1.1` (RFC 3463 / RFC 2034: the code follows the reply code). */
export function parseEnhancedCode(response: string): string | undefined {
  const m = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})(?=[\s]|$)/m.exec(response);
  return m ? m[1] : undefined;
}

/** Words relays use when they mean "you are sending too fast / too much", whatever their code. */
const SLOW_DOWN = /throttl|rate limit|too many (messages|connections|recipients|requests)|sending rate|quota|try again later, closing|server busy|too fast|exceeded/i;

/** A 5xx that means the sender's quota is used up (Gmail, Workspace relay, Exchange Online, SES, SendGrid). */
const SENDER_QUOTA = /sending quota|sending limit|SubmissionQuota|message quota|rate limit|too many messages|maximum credits|quota exceeded/i;

function clean(response: string): string {
  const t = response.replace(/\s+$/g, '').replace(/\r?\n/g, ' / ');
  return t.length > 1000 ? `${t.slice(0, 997)}…` : t;
}

/**
 * One SMTP reply to a command of the mail transaction (MAIL, RCPT, DATA, final dot) → outcome. A 421 here is
 * an attempt (`attempted: true`); before the transaction (greeting, login) classifySmtpError says otherwise.
 */
export function classifyReply(code: number, responseText: string): SmtpOutcome {
  const response = clean(responseText || String(code));
  const enhanced = parseEnhancedCode(responseText);
  if (code >= 200 && code < 300) return { kind: 'sent', code, response };
  // Authentication required / failed / mechanism too weak / credentials invalid (RFC 4954 §6, RFC 3463 5.7.8, 5.7.9).
  if (code === 530 || code === 534 || code === 535 || code === 538 || enhanced === '5.7.8' || enhanced === '5.7.9' || enhanced === '5.7.11' || enhanced === '5.7.57') {
    return { kind: 'auth', code, enhanced, response };
  }
  if (code === 421) return { kind: 'throttled', code, enhanced, response, attempted: true };
  // X.1.x addresses and X.2.x mailboxes (RFC 3463 §3.2, §3.3): about this recipient, whatever the words say
  // ("452 4.2.2 … over quota" is the recipient's mailbox, not our sending quota).
  const aboutRecipient = enhanced !== undefined && /^[45]\.[12]\./.test(enhanced) && !/SubmissionQuota/i.test(responseText);
  if (code >= 400 && code < 500) {
    // 4.7.x: a policy says "not now" (Gmail 421 4.7.0, M365 4.7.500 "Server busy"); 454/451 with rate words (SES).
    if (!aboutRecipient && ((enhanced && enhanced.startsWith('4.7.')) || SLOW_DOWN.test(responseText))) {
      return { kind: 'throttled', code, enhanced, response, attempted: true };
    }
    return { kind: 'deferred', code, enhanced, response, maybeDelivered: false };
  }
  if (code >= 500 && code < 600) {
    // A sending quota used up (Gmail 550 5.4.5, M365 5.2.0 SubmissionQuotaExceeded) is about the sender, not the
    // address: the message must wait, not fail.
    if (enhanced === '5.4.5' || (!aboutRecipient && SENDER_QUOTA.test(responseText))) {
      return { kind: 'throttled', code, enhanced, response, attempted: true };
    }
    return { kind: 'failed', code, enhanced, response };
  }
  // Not an SMTP reply at all (RFC 5321 §4.2: three digits 2–5): treat as a transient protocol problem.
  return { kind: 'deferred', code, enhanced, response, maybeDelivered: false };
}

/** The fields of a nodemailer SMTPConnection error that matter here. */
export interface SmtpErrorLike {
  message?: string;
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  timeoutType?: string;
}

/** Which part of the exchange failed: opening the session, logging in, or the mail transaction of one message. */
export type SmtpPhase = 'connect' | 'login' | 'send';

const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME|ALTNAME|EPROTO/i;

/** A nodemailer error (or a Node socket error) during `phase` → outcome, in words a person understands. */
export function classifySmtpError(err: SmtpErrorLike, phase: SmtpPhase, host = 'the relay'): SmtpOutcome {
  const code = err.responseCode;
  const response = err.response ?? '';
  if (code) {
    if (phase === 'send') return classifyReply(code, response);
    const enhanced = parseEnhancedCode(response);
    const text = clean(response);
    if (phase === 'login') {
      if (code >= 500 || code === 530) return { kind: 'auth', code, enhanced, response: text };
      // 454 4.7.0 "temporary authentication failure", 421 during login: not the password's fault; later.
      return { kind: 'throttled', code, enhanced, response: text, attempted: false };
    }
    // Greeting, EHLO, STARTTLS.
    if (code === 421 || (code >= 400 && code < 500)) return { kind: 'throttled', code, enhanced, response: text, attempted: false };
    if (err.code === 'ETLS') return { kind: 'unreachable', stage: 'tls', response: `${host} refused to start TLS: ${text}` };
    return { kind: 'unreachable', stage: 'smtp', response: `${host} refused the session: ${text}` };
  }
  const detail = err.message ?? 'unknown error';
  const original = err.originalCode ?? '';
  if (phase === 'send') {
    switch (err.code) {
      case 'EENVELOPE':
      case 'EMESSAGE':
        // Refused before the relay was asked (an address Postroom can't send to, a message over the size limit).
        return { kind: 'failed', response: clean(detail) };
      case 'EAUTH':
      case 'ENOAUTH':
        return { kind: 'auth', response: clean(detail) };
      default:
        // Lost connection, timeout, socket error mid-transaction: the relay may or may not have the message.
        return {
          kind: 'deferred',
          response: `The connection to ${host} was lost before it confirmed the message (${clean(detail)}).`,
          maybeDelivered: true,
        };
    }
  }
  if (phase === 'login') {
    if (err.code === 'EAUTH' || err.code === 'ENOAUTH') return { kind: 'auth', response: clean(detail) };
  }
  switch (err.code) {
    case 'EDNS':
      return { kind: 'unreachable', stage: 'dns', response: `Couldn't find ${host} in DNS (${original || clean(detail)}).` };
    case 'ETLS':
      return { kind: 'unreachable', stage: 'tls', response: `The secure (TLS) connection to ${host} failed: ${clean(detail)}.` };
    case 'ETIMEDOUT':
      return {
        kind: 'unreachable',
        stage: 'timeout',
        response:
          err.timeoutType === 'GREETING_TIMEOUT'
            ? `${host} accepted the connection but never greeted (no SMTP answer in time).`
            : `${host} didn't answer in time.`,
      };
    default:
      if (TLS_ERROR.test(original) || TLS_ERROR.test(detail)) {
        return { kind: 'unreachable', stage: 'tls', response: `The secure (TLS) connection to ${host} failed: ${clean(detail)}.` };
      }
      if (original === 'ECONNREFUSED') return { kind: 'unreachable', stage: 'tcp', response: `${host} refused the connection (nothing is listening on that port).` };
      return { kind: 'unreachable', stage: 'tcp', response: `Couldn't connect to ${host}: ${clean(detail)}.` };
  }
}
