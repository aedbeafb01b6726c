/**
 * One campaign's composer: everything that does not depend on the recipient is done here once (Liquid parsed,
 * Markdown laid out, CSS inlined, text skeleton made, DKIM key unsealed, files loaded); `compose` then only
 * renders the Liquid and writes MIME, so composing is never what limits sending to a fast relay.
 */
import type MailComposer from 'nodemailer/lib/mail-composer';
import { detectMimeType } from './headers';
import { onFirstUse } from '../first-use';
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/errors';
import type { TemplateCheck } from '../../../shared/contract/templates';
import type { TemplateRecord } from '../store/templates';
import type { CampaignComposeOptions, CampaignComposer, ComposeCallOptions, ComposedMessage, MergeRecipient, Unsubscribe } from './index';
import { compileOrThrow, isRunawayTemplate, render, type Compiled } from './liquid';
import { layOutOnce, tidyText, type PreparedLayout } from './layout';
import { domainOf, headerText, isAddress, isMessageId, listId, mergedMailbox, parseMailboxSource, type MailboxSource } from './headers';
import { signerFor, signMessage, type DkimSigner } from './dkim';
import { checkTemplate, cidsShownBy } from './check';
import { buildMessage, encodedFilePart, HeaderWriter } from './mime';
import { withUnsubscribeToken } from '../../../shared/unsubscribe';
import { messageWords } from './message-words';

// nodemailer's composer: only for messages with files (the direct writer in ./mime.ts does the others).
const mailComposer = onFirstUse<typeof MailComposer>('nodemailer/lib/mail-composer');

import { attachmentFinder, readAttachment, type AttachmentLookup } from './attachments';

export { MAX_RECIPIENT_ATTACHMENT } from './attachments';

interface Compiledparts {
  from: MailboxSource;
  fromName: Compiled;
  subject: Compiled;
  replyTo: Compiled | null;
  html: Compiled;
  text: Compiled;
  unsubscribeUrl: Compiled | null;
  unsubscribeMailto: Compiled | null;
}

/** A URI fit for List-Unsubscribe's angle brackets: printable ASCII only, `<>"` and spaces percent-encoded. */
function headerUri(uri: string): string {
  return headerText(uri).replace(/[^\x21-\x7e]|[<>"\s]/gu, (c) => encodeURIComponent(c));
}

function normaliseUnsubscribe(u: Unsubscribe | null): Unsubscribe | null {
  if (!u) return null;
  const out: Unsubscribe = {};
  if (u.url?.trim()) out.url = u.url.trim();
  if (u.mailto?.trim()) out.mailto = /^mailto:/i.test(u.mailto.trim()) ? u.mailto.trim() : `mailto:${u.mailto.trim()}`;
  return out.url || out.mailto ? out : null;
}

/** The campaign's mail options that never change per recipient. */
interface StaticParts {
  attachments: Array<{ filename: string; content: Buffer; contentType: string; cid?: string; contentDisposition?: 'inline' | 'attachment' }>;
  listIdHeader: string;
  signer: DkimSigner | null;
  headerWriter: HeaderWriter;
}

/** Renders the merged html/text/headers (no MIME): shared by compose and the preview. */
export interface RenderedMessage {
  subject: string;
  from: { name: string; address: string };
  to: { name: string; address: string };
  replyTo: { name: string; address: string } | null;
  html: string;
  text: string;
  unsubscribe: { url: string | null; mailto: string | null };
}

export interface FullComposer extends CampaignComposer {
  /** The merged parts of a recipient's message, before MIME. */
  renderParts(recipient: MergeRecipient, opts?: ComposeCallOptions): RenderedMessage;
  /** This recipient's own attachment (from the attachment field): the file, or why it can't be sent; null when none. */
  recipientFile(recipient: MergeRecipient): AttachmentLookup | null;
  /** The files sent with every message (inline images included). */
  readonly attachments: StaticParts['attachments'];
  readonly signed: boolean;
}

/** `layout`: the template's layout made elsewhere (see layOutOnce), used when it was made from this very template. */
export function createComposer(ctx: CoreContext, template: TemplateRecord, opts: CampaignComposeOptions, layout?: PreparedLayout | null): FullComposer {
  const unsubscribe = normaliseUnsubscribe(opts.unsubscribe);
  const words = messageWords(template.language);
  let parts: Compiledparts | undefined;
  let problem: unknown;
  let statics: StaticParts | undefined;
  let laidOut: PreparedLayout | null = null;

  // Compiling can fail (a syntax error): `check` must still answer, so the failure is kept for compose.
  try {
    const from = parseMailboxSource(template.from, 'From address');
    // Parsed as written first, so that a mistake is reported at its place in the person's text, not the layout's.
    compileOrThrow(template.body, 'html', 'body');
    laidOut = layOutOnce({ body: template.body, format: template.format, subject: template.subject, language: template.language }, layout);
    parts = {
      from,
      fromName: compileOrThrow(from.name, 'text', 'from'),
      subject: compileOrThrow(template.subject, 'text', 'subject'),
      replyTo: template.replyTo ? compileOrThrow(template.replyTo, 'text', 'replyTo') : null,
      html: compileOrThrow(laidOut.html, 'html', 'body'),
      text: compileOrThrow(template.text ?? laidOut.text, 'text', template.text ? 'text' : 'body'),
      unsubscribeUrl: unsubscribe?.url ? compileOrThrow(unsubscribe.url, 'url', 'unsubscribe') : null,
      unsubscribeMailto: unsubscribe?.mailto ? compileOrThrow(unsubscribe.mailto, 'url', 'unsubscribe') : null,
    };
    // An inline image the HTML no longer shows (taken out, or undone, in the editor) stays with the template but
    // isn't sent: a related part nothing refers to shows up as a stray attachment in Gmail and Outlook.
    const shown = cidsShownBy(laidOut.html);
    statics = {
      attachments: template.attachments.filter((a) => !a.cid || shown.has(a.cid)).map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.contentType,
        ...(a.cid ? { cid: a.cid, contentDisposition: 'inline' as const } : { contentDisposition: 'attachment' as const }),
      })),
      listIdHeader: listId(opts.listName, from.address),
      signer: signerFor(ctx, domainOf(from.address)),
      headerWriter: new HeaderWriter(),
    };
  } catch (err) {
    problem = err;
  }

  const ready = (): { p: Compiledparts; s: StaticParts } => {
    if (!parts || !statics) throw problem;
    return { p: parts, s: statics };
  };

  // The files every message carries, each encoded once for the campaign as its whole MIME part (MailComposer's `raw`).
  let encodedStatics: Promise<Array<StaticParts['attachments'][number] & { raw: Buffer }>> | undefined;
  const staticFiles = (s: StaticParts) =>
    (encodedStatics ??= Promise.all(s.attachments.map(async (a) => ({ ...a, raw: await encodedFilePart({ ...a, contentDisposition: a.contentDisposition ?? 'attachment' }) }))));

  const attachField = template.attachField;
  let runaway: PostroomError | null = null;
  const lookUp = attachmentFinder(opts.attachmentsDir ?? null, ctx.dataDir);
  const recipientFile = (recipient: MergeRecipient): AttachmentLookup | null => {
    if (!attachField) return null;
    return lookUp(recipient.fields[attachField] ?? '', recipient.email, attachField);
  };

  const invalidAddress = (recipient: MergeRecipient): string | null =>
    isAddress(recipient.email) ? null : `"${headerText(recipient.email)}" is not a valid e-mail address.`;

  const checkRecipient = (recipient: MergeRecipient): string | null => {
    const found = recipientFile(recipient);
    return invalidAddress(recipient) ?? (found && !found.ok ? found.reason : null);
  };

  const renderParts = (recipient: MergeRecipient, call: ComposeCallOptions = {}): RenderedMessage => {
    const { p } = ready();
    const name = recipient.name ?? recipient.fields['name'] ?? '';
    const base: Record<string, unknown> = {
      ...recipient.fields,
      email: recipient.email,
      name,
      list: opts.listName,
      campaign: opts.campaignName,
    };
    const url = p.unsubscribeUrl ? headerUri(render(p.unsubscribeUrl, base)) : null;
    const merged = p.unsubscribeMailto ? headerUri(render(p.unsubscribeMailto, base)) : null;
    // The recipient's token in the subject, so that a request from a forwarding address still names them.
    const mailto = merged && call.messageId ? withUnsubscribeToken(merged, call.messageId, words.unsubscribeSubject) : merged;
    const scope = { ...base, unsubscribe_url: url ?? '', unsubscribe_mailto: mailto ?? '' };
    const subject = headerText((call.subjectPrefix ? call.subjectPrefix + ' ' : '') + render(p.subject, scope));
    const fromName = headerText(render(p.fromName, scope));
    let replyTo: RenderedMessage['replyTo'] = null;
    if (p.replyTo) {
      const merged = render(p.replyTo, scope);
      replyTo = mergedMailbox(merged);
      if (!replyTo && headerText(merged)) {
        throw new PostroomError('TEMPLATE_INVALID', `The Reply-To for ${recipient.email} merged to "${headerText(merged)}", which is not an e-mail address. Fix the template's Reply-To or the recipient's field.`);
      }
    }
    const toAddress = (call.to ?? recipient.email).trim();
    if (!isAddress(toAddress)) {
      throw new PostroomError('INVALID_INPUT', `"${headerText(toAddress)}" is not a valid e-mail address, so no message can be addressed to it.`);
    }
    return {
      subject,
      from: { name: fromName, address: p.from.address },
      to: { name: call.to ? '' : headerText(name), address: toAddress },
      replyTo,
      html: render(p.html, scope),
      text: tidyText(render(p.text, scope), template.text === null),
      unsubscribe: { url, mailto },
    };
  };

  const compose = async (recipient: MergeRecipient, messageId: string, call: ComposeCallOptions = {}): Promise<ComposedMessage> => {
    const { s } = ready();
    if (!isMessageId(messageId)) {
      throw new PostroomError('INVALID_INPUT', `"${headerText(messageId)}" is not a Message-ID (it must look like <id@domain>).`);
    }
    const bad = invalidAddress(recipient);
    if (bad) throw new PostroomError('INVALID_INPUT', bad);
    // Never sent without its attachment, never with another file: FILE_UNREADABLE, which the engine records as skipped.
    const found = recipientFile(recipient);
    if (found && !found.ok) throw new PostroomError('FILE_UNREADABLE', found.reason);
    // Once the template broke Liquid's limits, the campaign stops (outbox/engine.ts): the messages composed ahead
    // fail at once instead of each running into the limit again.
    if (runaway) throw runaway;
    let m: RenderedMessage;
    try {
      m = renderParts(recipient, { ...call, messageId });
    } catch (err) {
      if (err instanceof PostroomError && isRunawayTemplate(err.message)) runaway = err;
      throw err;
    }

    const attachments: Array<StaticParts['attachments'][number] & { raw?: Buffer }> = s.attachments.length ? [...(await staticFiles(s))] : [];
    if (found) {
      const content = await readAttachment(found, recipient.email);
      attachments.push({ filename: found.name, content, contentType: detectMimeType(found.name), contentDisposition: 'attachment' });
    }

    const uris = [m.unsubscribe.mailto, m.unsubscribe.url].filter((u): u is string => !!u).map((u) => `<${u}>`);
    // RFC 8058 §3.1: One-Click only with an https URI to POST to.
    const oneClick = !!m.unsubscribe.url && /^https:\/\//i.test(m.unsubscribe.url);
    const date = call.date ?? new Date(ctx.clock.now());

    let raw: Buffer;
    if (attachments.length === 0) {
      // The common case, a newsletter without files: written directly (mime.ts), with no stream pipeline.
      const h = s.headerWriter;
      const lines = [h.line('List-ID', { prepared: s.listIdHeader })];
      if (uris.length) lines.push(h.line('List-Unsubscribe', { prepared: uris.join(',\r\n ') }));
      if (oneClick) lines.push(h.line('List-Unsubscribe-Post', { prepared: 'List-Unsubscribe=One-Click' }));
      lines.push(h.line('From', { name: m.from.name, address: m.from.address }), h.line('To', { name: m.to.name, address: m.to.address }));
      if (m.replyTo) lines.push(h.line('Reply-To', { name: m.replyTo.name, address: m.replyTo.address }));
      // An empty subject is left out, as MailComposer leaves it out.
      if (m.subject) lines.push(h.line('Subject', m.subject));
      lines.push(`Message-ID: ${messageId}`, h.line('Date', date));
      raw = buildMessage(lines, m.text, m.html);
    } else {
      const headers: Record<string, string | { prepared: true; value: string }> = {
        'List-Id': { prepared: true, value: s.listIdHeader },
      };
      if (uris.length) headers['List-Unsubscribe'] = { prepared: true, value: uris.join(',\r\n ') };
      if (oneClick) headers['List-Unsubscribe-Post'] = { prepared: true, value: 'List-Unsubscribe=One-Click' };
      const composer = new (mailComposer())({
        from: { name: m.from.name, address: m.from.address },
        to: { name: m.to.name, address: m.to.address },
        ...(m.replyTo ? { replyTo: { name: m.replyTo.name, address: m.replyTo.address } } : {}),
        subject: m.subject,
        messageId,
        date,
        text: m.text,
        html: m.html,
        attachments,
        headers,
        newline: 'win',
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      raw = await composer.compile().build();
    }
    if (s.signer) raw = await signMessage(raw, s.signer);
    return { raw, envelope: { from: m.from.address, to: [m.to.address] }, messageId, subject: m.subject };
  };

  const check = (listFields: string[]): TemplateCheck =>
    checkTemplate(template, listFields, {
      unsubscribe,
      dkim: statics ? statics.signer !== null : undefined,
      inlineCids: template.attachments.flatMap((a) => (a.cid ? [a.cid] : [])),
    });

  return {
    compose,
    checkRecipient,
    check,
    renderParts,
    recipientFile,
    layout: laidOut,
    get attachments() {
      return ready().s.attachments;
    },
    get signed() {
      return ready().s.signer !== null;
    },
  };
}

