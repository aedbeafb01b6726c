/**
 * What a message in the mailbox is: a delivery report (hard, soft, delayed), a complaint, an unsubscribe request,
 * an auto-reply, or something a person should read (unrecognised). Pure: takes the bytes, returns the verdict
 * and what it can tell about the message it refers to; matching it to what Postroom sent is effects.ts's job.
 *
 * MIME is mailparser's; this module only reads the report fields inside the parts (RFC 3464 §2, RFC 5965 §3),
 * which mailparser hands over as text, and the plain-text bounces that systems without DSNs still send.
 */
import { createRequire } from 'node:module';
import type { AddressObject, ParsedMail } from 'mailparser';
import type * as Mailparser from 'mailparser';

// Loaded on first use, like imapflow (imap.ts): commands that never read a mailbox don't pay for it.
const load = createRequire(__filename);
let mailparserLib: typeof Mailparser | undefined;
const mailparser = (): typeof Mailparser => (mailparserLib ??= load('mailparser') as typeof Mailparser);
import { tokenIn } from '../../../shared/unsubscribe';
import type { CoreNote } from '../notes';
import { feedbackNote } from './notes';

export type MessageKind = 'hard' | 'soft' | 'delayed' | 'complaint' | 'unsubscribe' | 'auto-reply' | 'unrecognised';
export type RecognisedKind = Exclude<MessageKind, 'unrecognised'>;

/** One recipient a report speaks of. `email` is null when the report hides it (complaints often do). */
export interface ReportedRecipient {
  email: string | null;
  kind: RecognisedKind;
  /** RFC 3463 enhanced status code (`5.1.1`), when given. */
  status: string | null;
  /** The server's words (Diagnostic-Code, the SMTP reply quoted in the text, the feedback type). */
  detail: string | null;
  /** `detail` by code, when it is Postroom's description rather than the server's words (mailbox/notes.ts). */
  note?: CoreNote;
}

export interface Classification {
  kind: MessageKind;
  /** Which format told us (for tests and logs): `dsn`, `exim`, `qmail`, `exchange`, `arf`, `mailto`, `rfc3834`, ... */
  format: string | null;
  recipients: ReportedRecipient[];
  /** Message-IDs of the message this one refers to: the returned headers, In-Reply-To, References. */
  originalMessageIds: string[];
  /** The per-recipient token of an unsubscribe request (shared/unsubscribe.ts). */
  token: string | null;
  /** The sender of this message (for unsubscribe requests and auto-replies: the recipient themselves). */
  from: string | null;
  /** This message's own Message-ID. */
  messageId: string | null;
}

type Fields = Map<string, string>;

/** Reads RFC 822-style field blocks (`Name: value`, continuation lines), one Map per blank-line-separated block. */
export function fieldBlocks(text: string): Fields[] {
  const blocks: Fields[] = [];
  let cur: Fields | null = null;
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) {
      if (cur?.size) blocks.push(cur);
      cur = null;
      last = null;
      continue;
    }
    if (/^[ \t]/.test(line) && cur && last) {
      cur.set(last, `${cur.get(last)} ${line.trim()}`);
      continue;
    }
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s?(.*)$/.exec(line);
    if (!m) {
      last = null;
      continue;
    }
    cur ??= new Map();
    last = m[1]!.toLowerCase();
    if (!cur.has(last)) cur.set(last, m[2]!.trim());
  }
  if (cur?.size) blocks.push(cur);
  return blocks;
}

const MESSAGE_ID = /^message-id:\s*(<[^<>\s]+>)/gim;
/** `rfc822; bob@example.org` → `bob@example.org` (RFC 3464 §2.3.2 address-type; value). */
function addressField(v: string | undefined): string | null {
  if (!v) return null;
  const a = (v.includes(';') ? v.slice(v.indexOf(';') + 1) : v).trim().replace(/^<|>$/g, '');
  return /^[^\s@<>]+@[^\s@<>]+$/.test(a) ? a : null;
}
/** `smtp; 550 5.1.1 ...` → `550 5.1.1 ...`. */
function diagnostic(v: string | undefined): string | null {
  if (!v) return null;
  return (/^[a-z-]+;/i.test(v) ? v.slice(v.indexOf(';') + 1) : v).trim() || null;
}
function enhancedStatus(text: string): string | null {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1] ?? null;
}
/** The severity a status code or reply says: 5.x.x/5xx hard, 4.x.x/4xx soft. */
function severity(text: string): 'hard' | 'soft' | null {
  const enhanced = enhancedStatus(text);
  if (enhanced) return enhanced.startsWith('5') ? 'hard' : enhanced.startsWith('4') ? 'soft' : null;
  const basic = /(?:^|\s|')([45])\d\d[\s-]/.exec(text)?.[1];
  return basic === '5' ? 'hard' : basic === '4' ? 'soft' : null;
}
function firstAddress(a: AddressObject | AddressObject[] | undefined): string | null {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const o of list) for (const v of o.value) if (v.address) return v.address;
  return null;
}
function header(p: ParsedMail, name: string): string {
  const v = p.headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
  return String(v as unknown);
}
function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** The Message-ID in a header section (the returned headers), folded or not. */
function messageIdIn(headers: string): string | null {
  const end = headers.search(/\r?\n\r?\n/);
  const head = (end < 0 ? headers : headers.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return /^message-id:\s*(<[^<>\s]+>)/im.exec(head)?.[1] ?? null;
}

/** The Message-IDs of the returned original: its headers as a part (message/rfc822, text/rfc822-headers) or quoted in the text. */
function returnedMessageIds(p: ParsedMail, text: string): string[] {
  const ids: string[] = [];
  for (const a of p.attachments) {
    if (/^(message\/(rfc822|global|global-headers)|text\/rfc822-headers)$/i.test(a.contentType)) {
      const id = messageIdIn(a.content.toString('utf8', 0, Math.min(a.content.length, 64 * 1024)));
      if (id) ids.push(id);
    }
  }
  for (const m of text.matchAll(MESSAGE_ID)) ids.push(m[1]!);
  return ids;
}

function referenced(p: ParsedMail): string[] {
  const refs = typeof p.references === 'string' ? [p.references] : (p.references ?? []);
  return [...(p.inReplyTo ? [p.inReplyTo] : []), ...refs].flatMap((r) => r.split(/\s+/)).filter((r) => /^<[^<>]+>$/.test(r));
}

/** RFC 3464 per-recipient fields → recipients. */
function dsnRecipients(blocks: Fields[]): ReportedRecipient[] {
  const out: ReportedRecipient[] = [];
  for (const b of blocks) {
    const action = b.get('action')?.toLowerCase();
    if (!action || !(b.has('final-recipient') || b.has('original-recipient'))) continue;
    const status = b.get('status')?.match(/\d\.\d{1,3}\.\d{1,3}/)?.[0] ?? null;
    const said = diagnostic(b.get('diagnostic-code'));
    const described = said === null && status ? feedbackNote('FEEDBACK_STATUS', { status }) : null;
    const detail = said ?? described?.text ?? null;
    let kind: RecognisedKind;
    if (action === 'delayed') kind = 'delayed';
    else if (action === 'failed') kind = status?.startsWith('4') ? 'soft' : 'hard';
    else continue; // delivered, relayed, expanded: not a failure (RFC 3464 §2.3.3)
    out.push({ email: addressField(b.get('original-recipient')) ?? addressField(b.get('final-recipient')), kind, status, detail, ...(described ? { note: described.note } : {}) });
  }
  return out;
}

const BOUNCE_SUBJECT =
  /(undeliver|undelivered|delivery (status notification|failure|has failed|incomplete)|returned mail|failure notice|mail delivery failed|non-?delivery|could not be delivered|delivery delayed|warning: message .* delayed)/i;
const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

/** Bounces without a delivery-status part: Exim (X-Failed-Recipients), qmail, older Exchange, and the like. */
function plainBounce(p: ParsedMail, text: string, from: string | null): Classification['recipients'] | null {
  const subject = p.subject ?? '';
  const failedHeader = header(p, 'x-failed-recipients');
  const looksLike = !!failedHeader || BOUNCE_SENDER.test(from ?? '') || BOUNCE_SUBJECT.test(subject);
  if (!looksLike) return null;
  const delayed =
    /(has not yet been delivered|not been delivered yet|delivery (is )?delayed|will (continue to )?(retry|try)|still trying|message delayed|temporar(y|ily) (failure|problem|error)|delivery incomplete)/i.test(
      subject + '\n' + text,
    ) && !/permanent (error|failure)|given up|giving up/i.test(text);
  const words = (email: string | null): { status: string | null; detail: string | null; sev: 'hard' | 'soft' | null } => {
    // The reply the remote server gave, closest to the address when we know it.
    const at = email ? text.toLowerCase().indexOf(email.toLowerCase()) : -1;
    const scope = at >= 0 ? text.slice(at, at + 1500) : text;
    const line =
      /(?:remote (?:host|server) (?:said|returned)[: ]*'?|smtp error from remote (?:mail )?server[^\n]*\n\s*|host [^\n]* said:\s*)([245]\d\d[^\n']*)/i.exec(scope)?.[1] ??
      /^\s*([45]\d\d[ -][^\n]+)/m.exec(scope)?.[1] ??
      /\b([45]\d\d \d\.\d{1,3}\.\d{1,3}[^\n]*)/.exec(scope)?.[1] ??
      null;
    const detail = line?.trim().replace(/'+$/, '') ?? null;
    return { status: enhancedStatus(detail ?? ''), detail, sev: severity(detail ?? '') };
  };
  const kindFor = (sev: 'hard' | 'soft' | null): RecognisedKind => {
    if (delayed) return 'delayed';
    if (sev) return sev;
    return /permanent (error|failure)|given up|giving up|does not exist|user unknown|no such (user|mailbox)|address (couldn't|could not) be found|recipient not found/i.test(text) ? 'hard' : 'soft';
  };
  let emails = failedHeader
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /@/.test(s));
  if (!emails.length) {
    // qmail: "<bob@example.org>:" at the start of a line, then the reason (qmail-send's bounce format).
    emails = [...text.matchAll(/^<([^<>\s]+@[^<>\s]+)>:\s*$/gm)].map((m) => m[1]!);
  }
  if (!emails.length) {
    // Exchange: "Delivery has failed to these recipients or groups:" then the addresses.
    const m = /delivery has failed to these recipients or groups:\s*\n+([\s\S]{0,600})/i.exec(text);
    if (m) emails = [...m[1]!.matchAll(/([^\s<>()'"]+@[^\s<>()'"]+\.[a-z]{2,})/gi)].map((x) => x[1]!).slice(0, 1);
  }
  if (!emails.length) {
    const w = words(null);
    return [{ email: null, kind: kindFor(w.sev), status: w.status, detail: w.detail }];
  }
  return unique(emails.map((e) => e.toLowerCase())).map((email) => {
    const w = words(email);
    return { email, kind: kindFor(w.sev), status: w.status, detail: w.detail };
  });
}

function isAutoReply(p: ParsedMail): boolean {
  const auto = header(p, 'auto-submitted').toLowerCase();
  if (auto && auto !== 'no') return true; // RFC 3834 §5
  if (header(p, 'x-autoreply') || header(p, 'x-autorespond') || header(p, 'x-autoresponder')) return true;
  if (/auto_reply|autoreply/i.test(header(p, 'precedence'))) return true;
  return /^(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheitsnotiz|r[ée]ponse automatique|auto:)/i.test(p.subject ?? '');
}

const NOTHING = (p: ParsedMail | null, from: string | null): Classification => ({
  kind: 'unrecognised',
  format: null,
  recipients: [],
  originalMessageIds: p ? referenced(p) : [],
  token: null,
  from,
  messageId: p?.messageId ?? null,
});

/** The most serious kind among the recipients a report lists (hard > soft > delayed). */
function worst(rs: ReportedRecipient[]): RecognisedKind {
  for (const k of ['hard', 'soft', 'delayed'] as const) if (rs.some((r) => r.kind === k)) return k;
  return rs[0]?.kind ?? 'soft';
}

/** Classifies one message from its RFC 5322 bytes. Never throws on bad input: what can't be read is unrecognised. */
export async function classifyMessage(source: Buffer | string): Promise<Classification> {
  let p: ParsedMail;
  const { simpleParser } = mailparser();
  try {
    // Reports carry a text part; turning HTML into text would be most of the cost (and reads nothing we use).
    p = await simpleParser(source, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  } catch {
    return NOTHING(null, null);
  }
  const from = firstAddress(p.from);
  const ct = p.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const reportType = ct?.value?.toLowerCase() === 'multipart/report' ? (ct.params?.['report-type'] ?? '').toLowerCase() : '';
  // The report parts (message/delivery-status, message/feedback-report) reach us inside the text, or as attachments.
  const reportText = [
    p.text ?? '',
    ...p.attachments.filter((a) => /^message\/(delivery-status|global-delivery-status|feedback-report)$/i.test(a.contentType)).map((a) => a.content.toString('utf8')),
  ].join('\n\n');
  const base = { token: null, from, messageId: p.messageId ?? null };

  // RFC 5965: an abuse (complaint) report. The recipient is often redacted; the original's Message-ID matches it.
  const blocks = fieldBlocks(reportText);
  const feedback = blocks.find((b) => b.has('feedback-type'));
  if (reportType === 'feedback-report' || (feedback && /^(abuse|fraud|virus|other|not-spam)$/i.test(feedback.get('feedback-type') ?? ''))) {
    const type = feedback?.get('feedback-type')?.toLowerCase() ?? 'abuse';
    if (type === 'not-spam') return NOTHING(p, from);
    const agent = feedback?.get('user-agent') ?? feedback?.get('reporting-mta') ?? from ?? null;
    const rcpt = addressField(feedback?.get('original-rcpt-to'));
    const report = agent === null ? feedbackNote('FEEDBACK_REPORT_UNNAMED', { type }) : feedbackNote('FEEDBACK_REPORT', { type, agent });
    return {
      kind: 'complaint',
      format: 'arf',
      recipients: [{ email: rcpt, kind: 'complaint', status: null, detail: report.text, note: report.note }],
      originalMessageIds: unique([...(returnedMessageIds(p, p.text ?? '')), ...referenced(p)]),
      ...base,
    };
  }

  // RFC 3464: a delivery status notification.
  const dsn = dsnRecipients(blocks);
  const perRecipient = blocks.some((b) => b.has('action') && (b.has('final-recipient') || b.has('original-recipient')));
  if (reportType === 'delivery-status' || reportType === 'global-delivery-status' || perRecipient) {
    // Per-recipient fields that say delivered/relayed/expanded only: a success report, nothing to act on.
    if (perRecipient && !dsn.length) return NOTHING(p, from);
    const recipients = dsn.length ? dsn : (plainBounce(p, p.text ?? '', from) ?? []);
    if (recipients.length) {
      const exchange = !!header(p, 'x-ms-exchange-message-is-ndr') || /\.(outlook|office365)\.com$|microsoft/i.test(from ?? '');
      return {
        kind: worst(recipients),
        format: exchange ? 'exchange' : 'dsn',
        recipients,
        originalMessageIds: unique([...(returnedMessageIds(p, p.text ?? '')), ...referenced(p)]),
        ...base,
      };
    }
  }

  // Bounces written as text: Exim (X-Failed-Recipients), qmail ("qmail-send program"), Exchange ("Undeliverable:"), ...
  const text = p.text ?? '';
  const plain = plainBounce(p, text, from);
  if (plain) {
    const format = header(p, 'x-failed-recipients') ? 'exim' : /qmail-send/i.test(text) ? 'qmail' : /undeliverable:|delivery has failed to these recipients/i.test((p.subject ?? '') + text) ? 'exchange' : 'text';
    return { kind: worst(plain), format, recipients: plain, originalMessageIds: unique([...(returnedMessageIds(p, text)), ...referenced(p)]), ...base };
  }

  // An unsubscribe request sent to the campaign's mailto: address (RFC 2369/6068), as a mailbox provider sends it
  // when a person clicks "unsubscribe", or a person writes "unsubscribe" in the subject themselves.
  const token = tokenIn(p.subject ?? '') ?? tokenIn(text.slice(0, 2000));
  if (token || /^\s*(unsubscribe|remove me|abmelden|d[ée]sabonnement|d[ée]sinscription|darse de baja)\b/i.test(p.subject ?? '')) {
    const request = token ? feedbackNote('FEEDBACK_UNSUBSCRIBE_MAILTO') : feedbackNote('FEEDBACK_UNSUBSCRIBE_SUBJECT', { subject: (p.subject ?? '').slice(0, 100) });
    return {
      kind: 'unsubscribe',
      format: 'mailto',
      recipients: [{ email: from, kind: 'unsubscribe', status: null, detail: request.text, note: request.note }],
      originalMessageIds: referenced(p),
      token,
      from,
      messageId: p.messageId ?? null,
    };
  }

  if (isAutoReply(p)) {
    return {
      kind: 'auto-reply',
      format: 'rfc3834',
      recipients: [{ email: from, kind: 'auto-reply', status: null, detail: (p.subject ?? '').slice(0, 200) || null }],
      originalMessageIds: referenced(p),
      ...base,
    };
  }
  return NOTHING(p, from);
}
