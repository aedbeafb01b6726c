import { describe, expect, it } from 'vitest';
import { classifyReply, classifySmtpError, parseEnhancedCode } from '../../../electron/core/relay';

const kind = (code: number, text: string) => classifyReply(code, text).kind;

describe('reply classification', () => {
  it('reads the RFC 3463 enhanced code after the reply code, on multi-line replies too', () => {
    expect(parseEnhancedCode('550 5.1.1 <a@b.example>: Recipient address rejected')).toBe('5.1.1');
    expect(parseEnhancedCode('421-4.7.0 Try again later, closing connection. (EHLO)\n421 4.7.0  For more information')).toBe('4.7.0');
    expect(parseEnhancedCode('451 4.7.500 Server busy. Please try again later')).toBe('4.7.500');
    expect(parseEnhancedCode('454 Throttling failure: Maximum sending rate exceeded.')).toBeUndefined();
  });

  it('counts 2xx after the final dot as sent (Gmail, Postfix)', () => {
    expect(kind(250, '250 2.0.0 OK  1700000000 a1-20020a17090a.123 - gsmtp')).toBe('sent');
    expect(kind(250, '250 2.0.0 Ok: queued as 4ABC123')).toBe('sent');
  });

  it('treats Gmail’s 421 4.7.0 "try again later, closing connection" as throttling', () => {
    const o = classifyReply(421, '421-4.7.0 Try again later, closing connection. (EHLO)\n421-4.7.0  For more information, go to\n421 4.7.0  https://support.google.com/mail/answer/7720 - gsmtp');
    expect(o).toMatchObject({ kind: 'throttled', code: 421, enhanced: '4.7.0', attempted: true });
    expect(o.response).toContain('Try again later');
  });

  it('treats Microsoft 365’s 4.7.500 "server busy" as throttling', () => {
    expect(classifyReply(451, '451 4.7.500 Server busy. Please try again later from [203.0.113.5]. (S77719) [BN8NAM11FT021.eop-nam11.prod.protection.outlook.com]')).toMatchObject({ kind: 'throttled', enhanced: '4.7.500' });
  });

  it('treats Amazon SES’s "454 Throttling failure" as throttling, though it has no enhanced code', () => {
    expect(classifyReply(454, '454 Throttling failure: Maximum sending rate exceeded.')).toMatchObject({ kind: 'throttled', code: 454, enhanced: undefined });
    expect(kind(454, '454 Throttling failure: Daily message quota exceeded.')).toBe('throttled');
  });

  it('defers Gmail’s 452 4.2.2 over-quota mailbox: the recipient’s problem, not a reason to slow down', () => {
    expect(classifyReply(452, '452-4.2.2 The email account that you tried to reach is over quota. Please direct\n452 4.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp')).toMatchObject({
      kind: 'deferred',
      code: 452,
      enhanced: '4.2.2',
      maybeDelivered: false,
    });
  });

  it('defers Gmail’s 450 4.2.1 "receiving mail at a rate…" (one recipient’s rate, not the relay’s)', () => {
    expect(kind(450, '450-4.2.1 The user you are trying to contact is receiving mail at a rate that\n450 4.2.1 prevents additional messages from being delivered.')).toBe('deferred');
  });

  it('fails Gmail’s 550 5.1.1 at once, keeping the server’s words', () => {
    const o = classifyReply(550, "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550 5.1.1 double-checking the recipient's email address for typos.");
    expect(o).toMatchObject({ kind: 'failed', code: 550, enhanced: '5.1.1' });
    expect(o.response).toContain('does not exist');
  });

  it('fails a 554 5.7.1 policy rejection at once (SES unverified sender, spam refusal)', () => {
    expect(classifyReply(554, '554 5.7.1 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: shop@example.com')).toMatchObject({ kind: 'failed', enhanced: '5.7.1' });
    expect(kind(554, '554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org')).toBe('failed');
  });

  it('fails a 552 over-quota mailbox, but waits when the sender’s own daily quota is used up', () => {
    expect(kind(552, '552-5.2.2 The email account that you tried to reach is over quota and inactive.')).toBe('failed');
    expect(kind(550, '550 5.4.5 Daily user sending quota exceeded. https://support.google.com/mail/?p=SendingQuotaExceeded')).toBe('throttled');
    expect(kind(554, '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message Cannot submit message.')).toBe('throttled');
  });

  it('reports refused logins as authentication problems (Gmail 535 5.7.8, 534 5.7.9, M365 535 5.7.139, 530)', () => {
    expect(kind(535, '535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials')).toBe('auth');
    expect(kind(534, '534-5.7.9 Application-specific password required.')).toBe('auth');
    expect(kind(535, '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.')).toBe('auth');
    expect(kind(530, '530 5.7.0 Authentication Required.')).toBe('auth');
  });

  it('defers other 4xx replies and fails other 5xx replies', () => {
    expect(kind(451, '451 4.3.0 Mail server temporarily rejected message.')).toBe('deferred');
    expect(kind(550, '550 5.7.1 Relaying denied')).toBe('failed');
    expect(kind(552, '552 5.3.4 Message size exceeds fixed limit')).toBe('failed');
  });
});

describe('error classification', () => {
  it('calls a lost connection during a transaction deferred, never failed', () => {
    expect(classifySmtpError({ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, 'send', 'smtp.example.com')).toMatchObject({ kind: 'deferred' });
  });

  it('calls connection-stage failures unreachable, with the stage', () => {
    expect(classifySmtpError({ code: 'EDNS', originalCode: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' }, 'connect', 'h')).toMatchObject({ kind: 'unreachable', stage: 'dns' });
    expect(classifySmtpError({ code: 'ESOCKET', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'connect', 'h')).toMatchObject({ kind: 'unreachable', stage: 'tcp' });
    expect(classifySmtpError({ code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, 'connect', 'h')).toMatchObject({ kind: 'unreachable', stage: 'tls' });
    expect(classifySmtpError({ code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT', message: 'Connection timeout' }, 'connect', 'h')).toMatchObject({ kind: 'unreachable', stage: 'timeout' });
  });

  it('calls a 421 greeting throttling that was not an attempt', () => {
    expect(classifySmtpError({ code: 'ECONNECTION', responseCode: 421, response: '421 4.7.0 Too many connections' }, 'connect', 'h')).toMatchObject({ kind: 'throttled', attempted: false });
  });

  it('calls a temporary login failure (454 4.7.0) throttling, not a wrong password', () => {
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 454, response: '454 4.7.0 Temporary authentication failure' }, 'login', 'h')).toMatchObject({ kind: 'throttled', attempted: false });
  });
});
