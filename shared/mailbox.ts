/**
 * A From (or Reply-To) as a person writes it: `Name <address>`, `"Name" <address>` or a bare address. The one
 * place that splits it; the core checks the address (compose/headers.ts, parseMailboxSource), the window shows it.
 */
export interface MailboxParts {
  /** The display name without its quotes ('' when there is none); it may hold merge fields. */
  name: string;
  /** The address as written (not yet checked). */
  address: string;
}

export function splitMailbox(value: string): MailboxParts {
  const v = value.trim();
  const m = /^(.*?)\s*<([^<>]+)>$/s.exec(v);
  const name = m ? m[1]!.trim().replace(/^"(.*)"$/s, '$1') : '';
  return { name, address: (m ? m[2]! : v).trim() };
}

/** The address of a mailbox (`Shop <shop@example.com>` → `shop@example.com`). */
export function mailboxAddress(value: string): string {
  return splitMailbox(value).address;
}
