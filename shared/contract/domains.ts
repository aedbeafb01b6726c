/**
 * Sender domains: the domains mail is sent from (the templates' From addresses and the DKIM keys kept), and how
 * ready each is in DNS for the receivers' checks: SPF (may the relay send for it?), DKIM (is the key's record
 * published and the same?), DMARC (is there a policy?), and what Gmail's and Yahoo's bulk-sender rules expect.
 */
import { z } from 'zod';
import { DkimKey } from './templates';

export const SenderDomain = z.object({
  domain: z.string(),
  /** The key kept for it, with its DNS record; null when none is. */
  dkim: DkimKey.nullable(),
  /** Templates whose From address is on this domain. */
  templates: z.array(z.string()),
});
export type SenderDomain = z.infer<typeof SenderDomain>;

/** A DNS record to add or change, to copy into the domain's DNS settings. */
export const DnsRecord = z.object({ name: z.string(), type: z.literal('TXT'), value: z.string() });
export type DnsRecord = z.infer<typeof DnsRecord>;

export const CheckStatus = z.enum(['ok', 'warning', 'missing', 'error']);
export type CheckStatus = z.infer<typeof CheckStatus>;

/** What a check found, for each door to act on and to word in its own language. */
export const DomainCheckCode = z.enum([
  'SPF_ALLOWS',
  'SPF_FOUND',
  'SPF_MANY',
  'SPF_MISSING',
  'SPF_NOT_ALLOWED',
  'SPF_UNKNOWN',
  'SPF_LOOKUP_FAILED',
  'DKIM_OK',
  'DKIM_NO_KEY',
  'DKIM_UNPUBLISHED',
  'DKIM_MISMATCH',
  'DKIM_LOOKUP_FAILED',
  'DMARC_OK',
  'DMARC_MISSING',
  'DMARC_INVALID',
  'DMARC_LOOKUP_FAILED',
]);
export type DomainCheckCode = z.infer<typeof DomainCheckCode>;

/** One check: its status, what was found, a sentence, and the record that would fix it (when one would). */
export const DomainCheck = z.object({
  status: CheckStatus,
  code: DomainCheckCode,
  /** The facts in `message`, so a door can word it itself. */
  params: z.object({
    /** The domain checked (every check but a failed lookup). */
    domain: z.string().optional(),
    /** SPF against a relay: the relay's name and its server. */
    relay: z.string().optional(),
    host: z.string().optional(),
    /** A DKIM key: its selector and the name its record goes under (selector._domainkey.domain). */
    selector: z.string().optional(),
    name: z.string().optional(),
    /** DMARC_OK: the policy published (none, quarantine, reject). */
    policy: z.string().optional(),
    /** A failed lookup: the resolver's code, e.g. ETIMEOUT. */
    error: z.string().optional(),
  }),
  /** The record found in DNS (joined), or null. */
  found: z.string().nullable(),
  /** The same in an English sentence (the command line's words). */
  message: z.string(),
  fix: DnsRecord.nullable(),
});
export type DomainCheck = z.infer<typeof DomainCheck>;

/** Gmail's and Yahoo's bulk-sender rules, each named so a door can word it (`text` is the English). */
export const BulkSenderRule = z.enum(['spf', 'dkim', 'dmarc', 'unsubscribe', 'complaints']);
export type BulkSenderRule = z.infer<typeof BulkSenderRule>;

export const DomainHealth = z.object({
  domain: z.string(),
  /** The relay SPF was checked against (null: none given or none exists). */
  relay: z.string().nullable(),
  checkedAt: z.number(),
  spf: DomainCheck,
  dkim: DomainCheck,
  dmarc: DomainCheck,
  /** Gmail's and Yahoo's expectations of bulk senders in plain words: met or not, or null where DNS can't tell. */
  bulkSender: z.array(z.object({ rule: BulkSenderRule, met: z.boolean().nullable(), text: z.string() })),
});
export type DomainHealth = z.infer<typeof DomainHealth>;

export const domainsContract = {
  /** The sender domains: from the templates' From addresses and the DKIM keys kept, by name. */
  'domains:list': { input: z.object({}).strict(), output: z.array(SenderDomain) },
  /**
   * Looks the domain up in DNS (SPF, DKIM, DMARC) and says what is ready and what record to add. SPF is checked
   * against `relay` (by name; default: the first relay), as the receivers would see mail from it.
   */
  'domains:check': { input: z.object({ domain: z.string().trim().min(1).max(253), relay: z.string().min(1).optional() }), output: DomainHealth },
} as const;

export const domainsEvents = {} as const;
