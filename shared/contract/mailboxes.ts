/** Mailboxes: where bounces, complaint reports and unsubscribe requests come back (IMAP). Owned by issue 13. */
import { z } from 'zod';
import { CoreNote } from './sending';

const name = z.string().trim().min(1).max(100);
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name: letters, digits and _');
const folder = z.string().trim().min(1).max(500);

export const MailboxSecurity = z.enum(['tls', 'starttls', 'none']);

/** What a check found, per kind (the shape of `postroom mailbox check --json`). */
export const MailboxCheckResult = z.object({
  mailbox: z.string(),
  /** Messages read for the first time. */
  read: z.number().int().nonnegative(),
  bounces: z.object({ hard: z.number().int().nonnegative(), soft: z.number().int().nonnegative() }),
  complaints: z.number().int().nonnegative(),
  unsubscribes: z.number().int().nonnegative(),
  autoReplies: z.number().int().nonnegative(),
  unrecognised: z.number().int().nonnegative(),
  /** Addresses newly suppressed. */
  suppressed: z.number().int().nonnegative(),
  /** Campaigns this check paused because too many of their messages bounced. */
  paused: z.array(z.string()),
});
export type MailboxCheckResult = z.infer<typeof MailboxCheckResult>;

export const MailboxSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  security: MailboxSecurity,
  user: z.string(),
  auth: z.enum(['password', 'oauth2']),
  /** Where the password comes from (never the password): sealed in the database, an environment variable, or a relay's sign-in. */
  passwordSource: z.enum(['stored', 'env', 'relay', 'none']),
  passwordEnv: z.string().nullable(),
  /** The relay whose sign-in (OAuth2) this mailbox uses. */
  oauthFrom: z.string().nullable(),
  /** The relay whose mail comes back here (the relay page shows the mailbox). */
  relay: z.string().nullable(),
  folder: z.string(),
  processedFolder: z.string(),
  lastCheckedAt: z.number().nullable(),
  /** Why the last check failed, in a person's words; null when it worked. */
  lastError: z.string().nullable(),
  /** The same by code, when the core has one for it (absent: show `lastError`). */
  lastErrorNote: CoreNote.optional(),
  /** Everything read from this mailbox so far, per kind. */
  totals: z.object({
    read: z.number().int(),
    hard: z.number().int(),
    soft: z.number().int(),
    complaints: z.number().int(),
    unsubscribes: z.number().int(),
    autoReplies: z.number().int(),
    unrecognised: z.number().int(),
  }),
});
export type MailboxSummary = z.infer<typeof MailboxSummary>;

export const MailboxCreate = z
  .object({
    name,
    host: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(65535).optional(),
    security: MailboxSecurity.default('tls'),
    user: z.string().trim().min(1).max(320),
    /** The password: sealed with the OS keychain before it is stored. */
    password: z.string().min(1).max(10_000).optional(),
    /** Or the name of an environment variable read at each check. */
    passwordEnv: envName.optional(),
    /** Or the sign-in (OAuth2) of this relay, for accounts that take no password (Microsoft 365). */
    oauthFrom: z.string().min(1).optional(),
    /** The relay whose mail comes back to this mailbox. */
    relay: z.string().min(1).optional(),
    folder: folder.default('INBOX'),
    processedFolder: folder.default('Postroom/Processed'),
    /** Accept a certificate no authority signed (a server on your own network). */
    acceptSelfSigned: z.boolean().default(false),
  })
  .strict();
export type MailboxCreate = z.input<typeof MailboxCreate>;

const MailboxRef = z.object({ mailbox: z.union([z.number().int().positive(), z.string().min(1)]) });

export const mailboxesContract = {
  /** Every mailbox, with when it was last checked and what it has brought back so far. */
  'mailboxes:list': { input: z.object({}).strict(), output: z.array(MailboxSummary) },
  /** Adds a mailbox (ALREADY_EXISTS when the name is taken). The password is sealed, never stored in plain text. */
  'mailboxes:create': { input: MailboxCreate, output: MailboxSummary },
  /** Forgets a mailbox (its mail stays on the server; what was learned from it stays). */
  'mailboxes:remove': { input: MailboxRef, output: z.object({ removed: z.string() }) },
  /** Logs in and opens the folder: says exactly what failed (DNS, TCP, TLS, login, folder) or how many messages it holds. */
  'mailboxes:test': {
    input: z.union([MailboxRef.strict(), z.object({ draft: MailboxCreate }).strict()]),
    output: z.object({ ok: z.literal(true), messages: z.number().int(), message: z.string() }),
  },
  /** Reads, once, the messages not read before (one mailbox, or all): bounces, complaints, unsubscribes. */
  'mailboxes:check': {
    input: z.object({ mailbox: z.union([z.number().int().positive(), z.string().min(1)]).optional() }).strict(),
    output: z.array(MailboxCheckResult),
  },
} as const;

export const mailboxesEvents = {
  /**
   * A mailbox was checked and something changed (new bounces, complaints, unsubscribes, a paused campaign):
   * `summary` says it in a sentence for a notification.
   */
  'mailboxes:checked': z.object({ result: MailboxCheckResult, summary: z.string() }),
  /** Mailboxes were added, removed, or checked (views showing them reload). */
  'mailboxes:changed': z.object({ mailbox: z.string().nullable() }),
} as const;
