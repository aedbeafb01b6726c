/**
 * E-mail addresses as people write them in spreadsheets: `bob@example.com`, `Bob Smith <bob@example.com>`,
 * `"Smith, Bob" <bob@example.com>`, `mailto:bob@example.com`, IDN domains like `anna@müller.de`.
 *
 * Pure TypeScript (no Node): the renderer uses it to check an address as it is typed, the core uses it for every
 * imported row. The check follows RFC 5322 §3.4.1 (dot-atom local part, at most 64 octets) and RFC 5321 §4.5.3.1
 * (domain at most 253 octets, labels of at most 63), with IDN domains converted to ASCII (punycode) by the
 * WHATWG URL parser that both Node and browsers carry. Quoted local parts (`"a b"@example.com`), IP-literal
 * domains and non-ASCII local parts are refused: almost no relay accepts them and they are, in a spreadsheet,
 * nearly always a typing mistake.
 */

export type ParsedAddress =
  | {
      ok: true;
      /** The bare address as written (trimmed; display name and `mailto:` removed). */
      address: string;
      /** The display name, when the cell said `Name <address>`. */
      name: string | null;
      /** The matching key: lower case, domain in ASCII (see emailKey). */
      key: string;
    }
  | { ok: false; reason: string };

// RFC 5322 atext, for a dot-atom local part.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** Quotes an odd value for a reason string, shortened so that a 30,000-character cell doesn't flood a report. */
export function quoteForReason(value: string): string {
  const short = value.length > 80 ? `${value.slice(0, 77)}…` : value;
  return JSON.stringify(short);
}

/** Converts an IDN domain to its ASCII (punycode) form, lower-cased; undefined when it can't be a domain. */
export function domainToAscii(domain: string): string | undefined {
  if (ASCII.test(domain)) return domain.toLowerCase();
  try {
    const host = new URL(`http://${domain}/`).hostname;
    return host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The normalised, case-insensitive key of an address: trimmed, display name removed, lower-cased, IDN domain in
 * ASCII. Two addresses are the same recipient exactly when their keys are equal. For text that isn't a valid
 * address it still returns a stable lower-cased form (so an odd suppression entry can be matched and removed).
 */
export function emailKey(address: string): string {
  const parsed = parseAddress(address);
  if (parsed.ok) return parsed.key;
  return address.trim().toLowerCase();
}

/** Splits `Name <address>` / `"Name" <address>` / `address (comment)` into its parts. */
function splitDisplayName(text: string): { name: string | null; address: string } | { error: string } {
  const lt = text.lastIndexOf('<');
  if (lt === -1) {
    if (text.includes('>')) return { error: 'it has a ">" without a matching "<"' };
    // `bob@example.com (Bob)`: an RFC 5322 comment after the address.
    const m = /^(\S+)\s*\(([^()]*)\)$/.exec(text);
    if (m) return { address: m[1]!, name: m[2]!.trim() || null };
    return { name: null, address: text };
  }
  if (!text.includes('>', lt)) return { error: 'it has a "<" without a matching ">"' };
  if (!text.endsWith('>')) return { error: 'it has text after the ">" of "Name <address>"' };
  let name = text.slice(0, lt).trim();
  const address = text.slice(lt + 1, -1).trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1').trim();
  else if (name.startsWith("'") && name.endsWith("'") && name.length >= 2) name = name.slice(1, -1).trim();
  if (name.includes('<') || name.includes('>')) return { error: 'it has more than one "<…>"' };
  return { name: name || null, address };
}

// The common case in one expression: a bare ASCII address that is valid (checked again in full when it isn't).
const FAST = /^([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59}))$/;

/** Checks and splits one address as written in a cell. Never throws. */
export function parseAddress(input: string): ParsedAddress {
  // `test`, not `exec`: no match array and captures for every row of an import (the one @ splits the parts).
  if (input.length <= 254 && FAST.test(input)) {
    const at = input.indexOf('@');
    if (at <= 64 && input.length - at - 1 <= 253) return { ok: true, address: input, name: null, key: input.toLowerCase() };
  }
  return parseSlowly(input);
}

function parseSlowly(input: string): ParsedAddress {
  let text = input.trim();
  if (text === '') return { ok: false, reason: 'no e-mail address' };
  if (text.length > 998) return { ok: false, reason: 'the e-mail address cell is far too long to be an address' };
  const split = splitDisplayName(text);
  if ('error' in split) return { ok: false, reason: `invalid e-mail address ${quoteForReason(text)}: ${split.error}` };
  text = split.address;
  if (/^mailto:/i.test(text)) text = text.slice(7).split('?')[0]!.trim();
  const bad = (why: string): ParsedAddress => ({ ok: false, reason: `invalid e-mail address ${quoteForReason(input.trim())}: ${why}` });
  if (text === '') return bad('there is a name but no address');
  if (/\s/.test(text)) return bad('it contains a space');
  const at = text.indexOf('@');
  if (at === -1) return bad('it has no @');
  if (text.indexOf('@', at + 1) !== -1) return bad('it has more than one @');
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (local === '') return bad('nothing before the @');
  if (domain === '') return bad('nothing after the @');
  if (!ASCII.test(local)) return bad('the part before the @ has characters most mail servers refuse (accents or other non-ASCII letters)');
  if (local.length > 64) return bad('the part before the @ is longer than 64 characters');
  if (!LOCAL_PART.test(local)) {
    if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return bad('a dot at the start or end, or two dots in a row, before the @');
    return bad('the part before the @ has characters that aren\'t allowed there (like , ; " ( ) [ ] < > or \\)');
  }
  if (domain.startsWith('[')) return bad('an IP address instead of a domain name');
  const ascii = domainToAscii(domain);
  if (!ascii) return bad(`"${domain}" isn't a valid domain name`);
  if (ascii.length > 253) return bad('the domain is longer than 253 characters');
  const labels = ascii.split('.');
  if (labels.length < 2) return bad(`the domain "${domain}" has no dot (like example.com)`);
  if (!labels.every((l) => LABEL.test(l))) return bad(`"${domain}" isn't a valid domain name`);
  if (!TLD.test(labels[labels.length - 1]!)) return bad(`"${domain}" doesn't end in a real top-level domain (like .com or .de)`);
  return { ok: true, address: text, name: split.name, key: `${local.toLowerCase()}@${ascii}` };
}
