/**
 * The core's sentences by code (electron/core/notes.ts) against the window's catalogs: every sentence the core
 * stores or sends with a code has its message, the English message says exactly what the core's English says for
 * the same parameters (so a translation is of the sentence the command line prints), and the other languages word it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { changeLanguage, rawMessage, t } from '../../../renderer/src/i18n';
import { coreMessage, coreMessageKey } from '../../../renderer/src/i18n/core-messages';
import { codedError, word, noteOfError, type CoreNote, type Sentences } from '../../../electron/core/notes';
import { OUTBOX_SENTENCES } from '../../../electron/core/outbox/notes';
import { FEEDBACK_SENTENCES, mailboxError, type MAILBOX_ERRORS } from '../../../electron/core/mailbox/notes';
import { OAUTH_SENTENCES } from '../../../electron/core/relay/oauth';
import { SUPPRESSION_SENTENCES } from '../../../electron/core/store/suppressions';
import { RELAY_TEST_SENTENCES } from '../../../electron/core/relay/test-relay';
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import en from '../../../renderer/src/i18n/locales/en/translation.json';

/** Sample parameters for every sentence of a table (a sentence added without one fails to compile here). */
type Samples<S extends Sentences> = { [C in keyof S]: S[C] extends () => string ? Record<string, never> : Parameters<S[C]>[0] };

const outbox: Samples<typeof OUTBOX_SENTENCES> = {
  PAUSED_BY_YOU: {},
  PAUSED_LOGIN_REFUSED: { relay: 'Shop', host: 'smtp.example.com', reply: '535 5.7.8 Authentication credentials invalid' },
  PAUSED_SIGN_IN: { relay: 'Office', provider: 'Microsoft 365' },
  WAITING_UNREACHABLE: { relays: 'Shop, Backup', why: "Couldn't connect to smtp.example.com: connect ECONNREFUSED", delay: '1m30s' },
  PAUSED_BOUNCE_RATE: { percent: 12, bounced: 6, sent: 50 },
  NOT_SENT_SUPPRESSED: {},
  NOT_SENT_SUPPRESSED_WHY: { why: 'Asked by phone' },
  INTERRUPTED: {},
  INTERRUPTED_UNANSWERED: {},
  GAVE_UP: { after: '2d1h', giveUp: '2d', reply: '451 4.3.0 Try again later' },
};

const feedback: Samples<typeof FEEDBACK_SENTENCES> = {
  FEEDBACK_STATUS: { status: '5.1.1' },
  FEEDBACK_REPORT: { type: 'abuse', agent: 'Yahoo!-Mail-Feedback/2.0' },
  FEEDBACK_REPORT_UNNAMED: { type: 'fraud' },
  FEEDBACK_UNSUBSCRIBE_MAILTO: {},
  FEEDBACK_UNSUBSCRIBE_SUBJECT: { subject: 'Unsubscribe me please' },
  SUPPRESSED_SOFT_STREAK: { count: 3, days: 9 },
  SUPPRESSED_SOFT_STREAK_LAST: { count: 3, days: 7, last: '452 4.2.2 Mailbox full' },
};

const suppressions: Samples<typeof SUPPRESSION_SENTENCES> = { SUPPRESSED_IMPORTED: { file: 'old customers.csv' } };

const at = { mailbox: 'Returns', host: 'imap.example.com', port: '993' };
const mailbox: Samples<typeof MAILBOX_ERRORS> = {
  'AUTH_FAILED.mailboxLogin': { ...at, reply: 'AUTHENTICATIONFAILED Invalid credentials (Failure)' },
  'AUTH_FAILED.mailboxLoginRefused': at,
  'AUTH_FAILED.mailboxEnvUnset': { mailbox: 'Returns', env: 'RETURNS_PASSWORD' },
  'AUTH_FAILED.mailboxNoPassword': { mailbox: 'Returns' },
  'AUTH_FAILED.mailboxPasswordUnreadable': { mailbox: 'Returns' },
  'DNS_FAILED.mailbox': { mailbox: 'Returns', host: 'imap.nowhere.example' },
  'RELAY_UNREACHABLE.mailbox': { ...at, error: 'ECONNREFUSED' },
  'TLS_FAILED.mailbox': { ...at, error: 'self-signed certificate' },
  'RELAY_UNREACHABLE.mailboxAnswer': { ...at, reply: 'BAD Command unknown' },
  'NOT_FOUND.mailboxFolder': { mailbox: 'Returns', folder: 'Bounces' },
  'NOT_FOUND.mailboxFolderOpen': { mailbox: 'Returns', folder: 'INBOX' },
};

const oauth: Samples<typeof OAUTH_SENTENCES> = { 'AUTH_FAILED.needsSignIn': { relay: 'Office', provider: 'Microsoft 365' } };

const connected = { host: 'smtp.example.com', port: '587', security: 'starttls', login: 'password', user: 'shop@example.com', cert: 'none', fingerprint: null, sent: 'no', sendTo: null, reply: null } as const;
const relayTest: Samples<typeof RELAY_TEST_SENTENCES> = {
  RELAY_TEST_OK: connected,
  RELAY_TEST_REFUSED: { host: 'smtp.example.com', port: '2525' },
  RELAY_TEST_NO_ANSWER: { host: 'smtp.example.com', port: '587', wait: '15s' },
  RELAY_TEST_NO_GREETING: { host: 'smtp.example.com', port: '465', wait: '15s', hint: 'tls' },
  RELAY_TEST_BUSY: { host: 'smtp.example.com', reply: '421 4.7.0 Too many connections' },
  RELAY_TEST_LOGIN_REFUSED: { host: 'smtp.gmail.com', user: 'shop@gmail.com', reply: '535 5.7.8 Username and Password not accepted', relay: 'Gmail', google: 'yes' },
  RELAY_TEST_NOT_ACCEPTED: { sendTo: 'me@example.com', reply: '550 5.7.1 Relaying denied' },
};
/** The other ways the same sentences go. */
const relayTestVariants: Array<[keyof typeof RELAY_TEST_SENTENCES, object]> = [
  ['RELAY_TEST_OK', { ...connected, security: 'tls', login: 'none', user: null, cert: 'pinned', fingerprint: 'AB:CD:EF', sent: 'yes', sendTo: 'me@example.com', reply: '250 2.0.0 OK queued' }],
  ['RELAY_TEST_OK', { ...connected, security: 'none', login: 'oauth2', cert: 'selfSigned', fingerprint: 'AB:CD:EF' }],
  ['RELAY_TEST_NO_GREETING', { host: 'smtp.example.com', port: '2525', wait: '15s', hint: 'check' }],
  ['RELAY_TEST_LOGIN_REFUSED', { host: 'smtp.example.com', user: 'shop', reply: '535 5.7.8 Authentication failed', relay: 'Shop', google: 'no' }],
];

/** Every sentence as the core builds it: its English and its note. */
const worded: Array<{ text: string; note: CoreNote }> = [
  ...Object.entries(outbox).map(([code, p]) => word(OUTBOX_SENTENCES, code, p)),
  ...Object.entries(feedback).map(([code, p]) => word(FEEDBACK_SENTENCES, code, p)),
  ...Object.entries(suppressions).map(([code, p]) => word(SUPPRESSION_SENTENCES, code, p)),
  ...[...Object.entries(relayTest), ...relayTestVariants].map(([code, p]) => word(RELAY_TEST_SENTENCES, code, p)),
  ...[...Object.entries(mailbox).map(([code, p]) => mailboxError(code as keyof typeof MAILBOX_ERRORS, p as never)), ...Object.entries(oauth).map(([code, p]) => codedError(OAUTH_SENTENCES, code as 'AUTH_FAILED.needsSignIn', p))].map(
    (e) => ({ text: e.message, note: noteOfError(e)! }),
  ),
];

afterEach(() => changeLanguage('en'));

/** The names a message shows as they are ({name}), anywhere in it, and those that choose its words ({name, select, …}). */
function named(message: string): string[] & { selectors: string[] } {
  const out = Object.assign([] as string[], { selectors: [] as string[] });
  const walk = (els: ReturnType<typeof parse>) => {
    for (const el of els) {
      if (el.type === TYPE.argument) out.push(el.value);
      if (el.type === TYPE.plural || el.type === TYPE.select) {
        out.selectors.push(el.value);
        for (const o of Object.values(el.options)) walk(o.value);
      }
    }
  };
  walk(parse(message));
  return out;
}

describe('the core’s sentences by code', () => {
  it('each have a catalog message the note fills', () => {
    expect(worded.length).toBe(41);
    const unworded = worded.filter((w) => !coreMessageKey({ ...w.note, message: w.text })).map((w) => w.note.code + (w.note.params.reason ? `.${w.note.params.reason}` : ''));
    expect(unworded).toEqual([]);
  });

  it('say in English exactly what the core says', () => {
    for (const w of worded) {
      const key = coreMessageKey({ ...w.note, message: w.text })!;
      expect(t(key, w.note.params), key).toBe(w.text);
    }
  });

  it('are worded in German, French and Spanish, keeping the facts they name', () => {
    for (const lang of ['de', 'fr', 'es'] as const) {
      changeLanguage(lang);
      for (const w of worded) {
        const key = coreMessageKey({ ...w.note, message: w.text })!;
        const shown = coreMessage({ ...w.note, message: w.text });
        expect(shown, `${lang} ${key}`).not.toBe(w.text);
        // What the English shows as it is, the translation shows too (unless it chooses its own words by it: a select).
        const own = named(rawMessage(key));
        for (const name of named(en[key]).filter((n) => !own.selectors.includes(n))) {
          if (w.text.includes(String(w.note.params[name]))) expect(shown, `${lang} ${key}`).toContain(String(w.note.params[name]));
        }
      }
    }
  });

  it('word a pause reason in German, and show the English where a campaign has no note', () => {
    changeLanguage('de');
    const paused = word(OUTBOX_SENTENCES, 'PAUSED_BOUNCE_RATE', { percent: 8, bounced: 1248, sent: 15600 });
    expect(coreMessage({ ...paused.note, message: paused.text })).toMatch(/^8 % der Adressen waren unzustellbar \(1\.248 von 15\.600 gesendeten\)/);
    expect(coreMessage({ code: 'BOUNCE_RATE', message: paused.text })).toBe(paused.text);
  });
});
