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

/** One check: its status, what was found, a sentence, and the record that would fix it (when one would). */
export const DomainCheck = z.object({
  status: CheckStatus,
  /** A code each door may act on: SPF_ALLOWS, SPF_MISSING, SPF_NOT_ALLOWED, SPF_UNKNOWN, DKIM_OK, DKIM_NO_KEY, ... */
  code: z.string(),
  /** The record found in DNS (joined), or null. */
  found: z.string().nullable(),
  message: z.string(),
  fix: DnsRecord.nullable(),
});
export type DomainCheck = z.infer<typeof DomainCheck>;

export const DomainHealth = z.object({
  domain: z.string(),
  /** The relay SPF was checked against (null: none given or none exists). */
  relay: z.string().nullable(),
  checkedAt: z.number(),
  spf: DomainCheck,
  dkim: DomainCheck,
  dmarc: DomainCheck,
  /** Gmail's and Yahoo's expectations of bulk senders in plain words: met or not, or null where DNS can't tell. */
  bulkSender: z.array(z.object({ rule: z.string(), met: z.boolean().nullable(), text: z.string() })),
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
