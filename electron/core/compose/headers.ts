/**
 * Header values made safe, and the identifiers a careful sender sets.
 *
 * Every merged value bound for a header goes through `headerText`: CR, LF and every other control character
 * become a space, so a field like "Eve\r\nBcc: victim@example.net" stays one harmless line of text inside its
 * own header (nodemailer then RFC 2047-encodes non-ASCII and folds long lines, RFC 5322 §2.2.3).
 */
import crypto from 'node:crypto';
import type addressparser from 'nodemailer/lib/addressparser';
import type * as MimeFuncs from 'nodemailer/lib/mime-funcs';
import { onFirstUse } from '../first-use';

// nodemailer's helpers load on first use (with mime-types' table): commands that write no message don't load them.
const parseAddresses = onFirstUse<typeof addressparser>('nodemailer/lib/addressparser');
export const mimeFuncs = onFirstUse<typeof MimeFuncs>('nodemailer/lib/mime-funcs');

/** The MIME type of a file, from its name. */
export function detectMimeType(filename: string): string {
  return mimeFuncs().detectMimeType(filename);
}
import { PostroomError } from '../../../shared/errors';
import { splitMailbox } from '../../../shared/mailbox';

// C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line of text, fit for a header: no control characters, no runs of spaces, trimmed. */
export function headerText(value: string): string {
  return value.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
}

// A pragmatic addr-spec (RFC 5321 §4.1.2 without quoted local parts or address literals): what lists hold.
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+@(?:[A-Za-z0-9\u0080-\uffff](?:[A-Za-z0-9\u0080-\uffff-]*[A-Za-z0-9\u0080-\uffff])?\.)+[A-Za-z\u0080-\uffff]{2,}$/;

export function isAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}

/** The domain of an address, lower case. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** A Message-ID on the From address's domain (RFC 5322 §3.6.4): 128 random bits, so it is unique worldwide. */
export function messageIdFor(fromAddress: string): string {
  const domain = isAddress(fromAddress) ? domainOf(fromAddress) : 'postroom.invalid';
  return `<${randomHex16()}@${domain}>`;
}

/**
 * 16 random bytes as hex, taken from a pool filled 256 at a time: a campaign's start gives every recipient a
 * Message-ID, and one call to the system's random source each cost 90 ms of a 20,000-recipient start.
 */
const POOL_IDS = 256;
let pool = Buffer.alloc(0);
let taken = 0;
function randomHex16(): string {
  if (taken === pool.length) {
    pool = crypto.randomBytes(16 * POOL_IDS);
    taken = 0;
  }
  taken += 16;
  return pool.toString('hex', taken - 16, taken);
}

/** Whether a Message-ID has the `<left@right>` shape and nothing that could break its header. */
export function isMessageId(value: string): boolean {
  return /^<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>$/.test(value);
}

/** A mailbox as a template spells it: `Name <address>` where the name may hold Liquid and the address may not. */
export interface MailboxSource {
  name: string;
  address: string;
}

/**
 * Splits `"Ann from {{ company }}" <ann@example.com>`, `Ann <ann@example.com>` or `ann@example.com`.
 * The address must be a plain address: the sender's domain is fixed for DKIM, SPF and the Message-ID.
 */
export function parseMailboxSource(value: string, what: string): MailboxSource {
  const { name, address } = splitMailbox(value);
  if (!isAddress(address)) {
    throw new PostroomError(
      'TEMPLATE_INVALID',
      `The ${what} "${value}" has no valid e-mail address. Write it as Name <name@example.com>${/\{[{%]/.test(address) ? ' (merge fields may be used in the name, not in the address)' : ''}.`,
    );
  }
  return { name, address };
}

/** A merged Reply-To: one mailbox, or null when it merged to nothing. Throws when it isn't an address. */
export function mergedMailbox(value: string): { name: string; address: string } | null {
  const text = headerText(value);
  if (!text) return null;
  const parsed = parseAddresses()(text, { flatten: true })[0] as { name?: string; address?: string } | undefined;
  const address = parsed?.address?.trim() ?? '';
  if (!isAddress(address)) return null;
  return { name: headerText(parsed?.name ?? ''), address };
}

/** "Spring News 2026" → "spring-news-2026": for List-Id labels (RFC 2919 §2: dot-atom text). */
export function slug(value: string): string {
  const s = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return s || 'list';
}

/** RFC 2919 List-Id: `"List name" <list-slug.from-domain>` — stable for the list across its campaigns. */
export function listId(listName: string, fromAddress: string): string {
  const label = headerText(listName).replace(/["\\]/g, '');
  // A non-ASCII name is an RFC 2047 encoded-word (it may not sit inside quotes, RFC 2047 §5).
  const phrase = /^[\x20-\x7e]*$/.test(label) ? `"${label}"` : mimeFuncs().encodeWord(label, 'Q', 52);
  return `${phrase} <${slug(listName)}.${domainOf(fromAddress)}>`;
}
