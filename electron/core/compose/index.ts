/**
 * Compose: templates out. Merges a recipient into a template (Liquid), renders Markdown into the email layout,
 * inlines CSS, writes the RFC 5322 message (nodemailer's MIME composer) with the headers a careful sender sets,
 * and signs it with DKIM when a key is kept for the From domain.
 *
 * The outbox calls `prepareComposer` once per campaign (every template is parsed, laid out, CSS-inlined and
 * converted to a text skeleton ONCE) and then `compose` once per message.
 */
import type { CoreContext } from '../context';
import type { TemplateCheck } from '../../../shared/contract/templates';
import { createComposer } from './composer';
import { loadTemplate } from '../store/templates';
import { messageIdFor } from './headers';
import { layOut, type PreparedLayout } from './layout';
import { compileOrThrow, render } from './liquid';
import { buildMessage, HeaderWriter } from './mime';

export type { PreparedLayout } from './layout';

export type { TemplateCheck } from '../../../shared/contract/templates';

/** One recipient as the list holds them: the address, a display name, and the merge fields (lower-case names). */
export interface MergeRecipient {
  email: string;
  name: string | null;
  fields: Record<string, string>;
}

/** A recipient to merge, or as the outbox stores it (fields still JSON, parsed where the message is composed). */
export type RecipientToCompose = MergeRecipient | StoredRecipient;
export interface StoredRecipient {
  email: string;
  name: string | null;
  fieldsJson: string;
}

/** The recipient as the composer takes it. */
export function mergeRecipient(r: RecipientToCompose): MergeRecipient {
  return 'fieldsJson' in r ? { email: r.email, name: r.name, fields: JSON.parse(r.fieldsJson) as Record<string, string> } : r;
}

/**
 * How a recipient can leave the list (RFC 2369 List-Unsubscribe, RFC 8058 One-Click). Either or both.
 * Both may use merge fields (`https://example.com/u?e={{ email }}`); merged values are percent-encoded.
 */
export interface Unsubscribe {
  mailto?: string;
  url?: string;
}

export interface CampaignComposeOptions {
  templateId: number;
  campaignName: string;
  listName: string;
  unsubscribe: Unsubscribe | null;
  /** The folder per-recipient attachments are read from (attachments.ts decides what is allowed); null: none chosen. */
  attachmentsDir?: string | null;
}

export interface ComposedMessage {
  /** The RFC 5322 bytes, exactly as handed to the relay (DKIM-Signature first when signed). */
  raw: Buffer;
  envelope: { from: string; to: string[] };
  messageId: string;
  /** The merged subject (decoded, for logs and the UI). */
  subject: string;
  /** `raw` dot-stuffed for DATA, when the compose worker prepared it (relay/pool.ts, OutboundMessage.stuffed). */
  stuffed?: Buffer | null;
}

export interface ComposeCallOptions {
  /** The Date header; defaults to the context clock's now. */
  date?: Date;
  /** Put in front of the subject, e.g. `[TEST]` for "send a test to me". */
  subjectPrefix?: string;
  /** Send to this address instead of the recipient's (test / safe mode); the To header shows it too. */
  to?: string;
  /** The message's Message-ID: its token goes into the mailto unsubscribe subject (shared/unsubscribe.ts). */
  messageId?: string;
}

export interface CampaignComposer {
  /** Renders and composes one recipient's message to RFC 5322 bytes (DKIM-signed when a key exists for the From domain). */
  compose(recipient: MergeRecipient, messageId: string, opts?: ComposeCallOptions): Promise<ComposedMessage>;
  /** Problems that would stop this recipient's message (e.g. per-recipient attachment missing/unreadable), or null. */
  checkRecipient(recipient: MergeRecipient): string | null;
  /** Template fields the list lacks, syntax errors (with line/column); warnings like "no unsubscribe method". */
  check(listFields: string[]): TemplateCheck;
  /** The template's layout (null when the template doesn't compile): another composer of it may take it (prepareComposer). */
  readonly layout: PreparedLayout | null;
}

/**
 * Loads the template and compiles everything that does not depend on the recipient, once.
 * Throws PostroomError NOT_FOUND when the template is gone, TEMPLATE_INVALID when it does not parse.
 * `layout`: the template's layout from another composer of it (the engine's, given to its compose worker).
 */
export function prepareComposer(ctx: CoreContext, opts: CampaignComposeOptions, layout?: PreparedLayout | null): CampaignComposer {
  const template = loadTemplate(ctx.db, opts.templateId);
  return createComposer(ctx, template, opts, layout);
}

/**
 * A fresh Message-ID on the From address's domain: `<random@from-domain>` (RFC 5322 §3.6.4).
 * The outbox fixes it when the message is queued, so that a retry carries the same one.
 */
export function newMessageId(fromAddress: string): string {
  return messageIdFor(fromAddress);
}

/**
 * Loads, and runs once, what preparing a campaign's composer and composing its messages use (the layout's juice and
 * html-to-text, Liquid, the MIME writer, nodemailer's header encoding): for a compose worker started before its
 * campaign is known (outbox/compose-pool.ts), so that the campaign doesn't wait for them.
 */
export function warmUpComposing(): void {
  const laidOut = layOut('<p>{{ first_name }}</p>', 'html', 'Hello', 'en');
  render(compileOrThrow(laidOut.html, 'html', 'body'), { first_name: 'Ann' });
  buildMessage([new HeaderWriter().line('From', { name: 'Ann', address: 'ann@example.com' })], 'Ann\n', '<p>Ann</p>');
}
