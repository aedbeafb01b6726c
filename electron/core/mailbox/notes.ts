/**
 * The mailbox's own sentences, each built here from its parameters (electron/core/notes.ts says why): why a check
 * failed (errors, by `ERROR_CODE.reason`; the last one is kept with the mailbox) and Postroom's description of what
 * came back (kept with the feedback and the suppression). The server's words go in as they are.
 */
import { codedError, word, type Sentences, type Worded } from '../notes';

/** Why a check failed: each an error code with the variant the window's catalog words (`core.AUTH_FAILED.mailboxLogin`). */
export const MAILBOX_ERRORS = {
  'AUTH_FAILED.mailboxLogin': (p: { mailbox: string; host: string; port: string; reply: string }) =>
    `Couldn't log in to the mailbox "${p.mailbox}" (${p.host}:${p.port}): the server said ${p.reply}. Check the user name and password of the mailbox.`,
  'AUTH_FAILED.mailboxLoginRefused': (p: { mailbox: string; host: string; port: string }) =>
    `Couldn't log in to the mailbox "${p.mailbox}" (${p.host}:${p.port}): the server said the user name or password is wrong. Check the user name and password of the mailbox.`,
  'AUTH_FAILED.mailboxEnvUnset': (p: { mailbox: string; env: string }) =>
    `The mailbox "${p.mailbox}" takes its password from the environment variable ${p.env}, which is not set. Set it where Postroom runs and try again.`,
  'AUTH_FAILED.mailboxNoPassword': (p: { mailbox: string }) => `The mailbox "${p.mailbox}" has no password saved. Enter it on the relay page, in the mailbox section.`,
  'AUTH_FAILED.mailboxPasswordUnreadable': (p: { mailbox: string }) =>
    `Postroom can't read the saved password of the mailbox "${p.mailbox}" here (it was saved by the desktop app in the system keychain, or the key changed). Enter it again.`,
  'DNS_FAILED.mailbox': (p: { mailbox: string; host: string }) => `Couldn't find the mail server "${p.host}" (no such name in DNS). Check the server name of the mailbox "${p.mailbox}".`,
  /** `error`: the system's code for it (ECONNREFUSED, ETIMEDOUT…). */
  'RELAY_UNREACHABLE.mailbox': (p: { mailbox: string; host: string; port: string; error: string }) =>
    `Couldn't reach the mailbox "${p.mailbox}" at ${p.host}:${p.port} (${p.error}). Check the server name and port, and that this computer is online.`,
  /** `error`: the TLS library's words. */
  'TLS_FAILED.mailbox': (p: { mailbox: string; host: string; port: string; error: string }) =>
    `Couldn't set up a secure connection to the mailbox "${p.mailbox}" (${p.host}:${p.port}): ${p.error}. Check the security setting (TLS on port 993, STARTTLS on 143).`,
  'RELAY_UNREACHABLE.mailboxAnswer': (p: { mailbox: string; host: string; port: string; reply: string }) =>
    `The mailbox "${p.mailbox}" (${p.host}:${p.port}) didn't answer as expected: ${p.reply}.`,
  'NOT_FOUND.mailboxFolder': (p: { mailbox: string; folder: string }) =>
    `The mailbox "${p.mailbox}" has no folder "${p.folder}". Check the folder name (most servers call the inbox INBOX).`,
  'NOT_FOUND.mailboxFolderOpen': (p: { mailbox: string; folder: string }) => `The folder "${p.folder}" of mailbox "${p.mailbox}" could not be opened.`,
} satisfies Sentences;

/** One of the mailbox's errors, carrying its code, variant and parameters. */
export function mailboxError<C extends keyof typeof MAILBOX_ERRORS>(code: C, params: Parameters<(typeof MAILBOX_ERRORS)[C]>[0]) {
  return codedError(MAILBOX_ERRORS, code, params);
}

/** Postroom's descriptions of what came back (mailbox_feedback.detail, suppressions.detail). */
export const FEEDBACK_SENTENCES = {
  /** A delivery report without the server's words: its RFC 3463 status (5.1.1). */
  FEEDBACK_STATUS: (p: { status: string }) => `status ${p.status}`,
  /** A complaint (ARF, RFC 5965): its feedback type (abuse, fraud…) and the reporting agent. */
  FEEDBACK_REPORT: (p: { type: string; agent: string }) => `${p.type} report (${p.agent})`,
  /** The same when the report names no agent. */
  FEEDBACK_REPORT_UNNAMED: (p: { type: string }) => `${p.type} report (the mailbox provider)`,
  FEEDBACK_UNSUBSCRIBE_MAILTO: () => 'asked to unsubscribe (mailto link)',
  FEEDBACK_UNSUBSCRIBE_SUBJECT: (p: { subject: string }) => `asked to unsubscribe: "${p.subject}"`,
  /** `count` temporary failures over `days` days suppressed the address; `last`: the last one's detail. */
  SUPPRESSED_SOFT_STREAK: (p: { count: number; days: number }) => `${p.count} temporary failures in a row over ${p.days} days`,
  SUPPRESSED_SOFT_STREAK_LAST: (p: { count: number; days: number; last: string }) => `${p.count} temporary failures in a row over ${p.days} days; the last: ${p.last}`,
} satisfies Sentences;

/** One of Postroom's descriptions of what came back: its English and its note. */
export function feedbackNote<C extends keyof typeof FEEDBACK_SENTENCES>(code: C, ...params: Parameters<(typeof FEEDBACK_SENTENCES)[C]>): Worded {
  return word(FEEDBACK_SENTENCES, code, params[0]);
}
