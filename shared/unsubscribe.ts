/**
 * What a campaign's unsubscribe value means: the ONE parser of it, for the window, the command line, the
 * contract's schema and the core (the composer, the engine, the preview).
 *
 * A campaign may have a `mailto:` method and an `https:` method; both go into `List-Unsubscribe` (RFC 2369), the
 * https one also makes the message one-click (RFC 8058). The database keeps them as one text, one URI a line
 * (a URI never holds a line break). Merge fields in them are not judged here: the core renders them to check.
 *
 * The mailto method carries a per-recipient token in its subject (RFC 6068 `?subject=`), so that an unsubscribe
 * request sent from a forwarding address still names the recipient and campaign: the token is the random part
 * of the message's own Message-ID, which Postroom fixes per recipient and already sends in the headers.
 */

/** A campaign's ways out. Either or both; `mailto` keeps its `mailto:` scheme. */
export interface UnsubscribeMethods {
  mailto?: string;
  url?: string;
}

export type UnsubscribeParse = { ok: true; value: UnsubscribeMethods | null } | { ok: false; error: string };

/**
 * Reads a campaign's unsubscribe value: as stored (one URI a line), as given on the command line (a list, from
 * `--unsubscribe` given twice) or typed in a form. Empty → `null`. Says what is wrong in a person's words.
 */
export function parseUnsubscribe(value: string | readonly string[] | null | undefined): UnsubscribeParse {
  const items = (typeof value === 'string' ? value.split(/\r?\n/) : (value ?? [])).map((s) => s.trim()).filter(Boolean);
  const out: UnsubscribeMethods = {};
  for (const item of items) {
    if (/^mailto:/i.test(item)) {
      if (out.mailto) return { ok: false, error: 'give one mailto: address and at most one https:// link, not two mailto: addresses' };
      if (item.length === 'mailto:'.length) return { ok: false, error: 'mailto: needs an address after it (mailto:unsubscribe@example.com)' };
      out.mailto = `mailto:${item.slice('mailto:'.length)}`;
    } else if (/^https:\/\//i.test(item)) {
      if (out.url) return { ok: false, error: 'give at most one https:// link and one mailto: address, not two links' };
      if (item.length === 'https://'.length) return { ok: false, error: 'https:// needs the rest of the link after it' };
      out.url = item;
    } else if (/^http:\/\//i.test(item)) {
      return { ok: false, error: `"${item}" is not secure: mailbox providers only follow https:// unsubscribe links` };
    } else {
      return { ok: false, error: `"${item}" must start with mailto: (an address) or https:// (a link)` };
    }
  }
  return { ok: true, value: out.mailto || out.url ? out : null };
}

/** The stored form of a campaign's methods (mailto first, as List-Unsubscribe lists them), or null. */
export function formatUnsubscribe(u: UnsubscribeMethods | null | undefined): string | null {
  const parts = [u?.mailto, u?.url].filter((s): s is string => !!s);
  return parts.length ? parts.join('\n') : null;
}

/** The token that identifies one recipient's message: the random left part of its Message-ID (`<token@domain>`). */
export function unsubscribeToken(messageId: string): string | null {
  const m = /^<([0-9a-f]{16,64})@/i.exec(messageId.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * Adds the recipient's token to a mailto URI's subject (RFC 6068 §2: `?subject=`; other fields kept), so that the
 * request names the message it answers. A subject the person wrote stays in front of the token; without one, the
 * subject is `word` (the message's language's "Unsubscribe") and the token.
 */
export function withUnsubscribeToken(mailto: string, messageId: string, word = 'Unsubscribe'): string {
  const token = unsubscribeToken(messageId);
  if (!token) return mailto;
  const q = mailto.indexOf('?');
  const address = q < 0 ? mailto : mailto.slice(0, q);
  const fields = q < 0 ? [] : mailto.slice(q + 1).split('&').filter(Boolean);
  const i = fields.findIndex((f) => /^subject=/i.test(f));
  const mark = encodeURIComponent(`[${token}]`);
  if (i >= 0) fields[i] = `${fields[i]}%20${mark}`;
  else fields.unshift(`subject=${encodeURIComponent(word)}%20${mark}`);
  return `${address}?${fields.join('&')}`;
}

/** The token in an unsubscribe request's subject (or body), if any: `[0123…abcd]`. */
export function tokenIn(text: string): string | null {
  const m = /\[([0-9a-f]{32})\]/i.exec(text);
  return m ? m[1]!.toLowerCase() : null;
}

/** The address a mailto URI sends to (`mailto:a@b?subject=x` → `a@b`), percent-decoded; null when it has none. */
export function mailtoAddress(mailto: string): string | null {
  const rest = mailto.replace(/^mailto:/i, '');
  const q = rest.indexOf('?');
  let to = q < 0 ? rest : rest.slice(0, q);
  try {
    to = decodeURIComponent(to);
  } catch {
    return null;
  }
  return to.trim() || null;
}
