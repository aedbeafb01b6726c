/**
 * One campaign's composer: everything that does not depend on the recipient is done here once (Liquid parsed,
 * Markdown laid out, CSS inlined, text skeleton made, DKIM key unsealed, files loaded); `compose` then only
 * renders the Liquid and writes MIME, so composing is never what limits sending to a fast relay.
 */
import fs from 'node:fs';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { detectMimeType } from 'nodemailer/lib/mime-funcs';
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/result';
import type { TemplateCheck } from '../../../shared/contract/templates';
import type { TemplateRecord } from '../store/templates';
import type { CampaignComposeOptions, CampaignComposer, ComposeCallOptions, ComposedMessage, MergeRecipient, Unsubscribe } from './index';
import { compileOrThrow, render, type Compiled } from './liquid';
import { layOut, tidyText } from './layout';
import { domainOf, headerText, isAddress, isMessageId, listId, mergedMailbox, parseMailboxSource, type MailboxSource } from './headers';
import { signerFor, signMessage, type DkimSigner } from './dkim';
import { checkTemplate } from './check';
import { buildMessage, HeaderWriter } from './mime';

/** Per-recipient attachments larger than this are refused: most relays reject messages over 25 MB. */
export const MAX_RECIPIENT_ATTACHMENT = 20 * 1024 * 1024;

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

export interface ComposerExtras {
  /** Where relative per-recipient attachment paths are resolved from (the spreadsheet's folder). */
  attachmentBase?: string | null;
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
  /** The path of this recipient's own attachment (from the attachment field), or null. */
  recipientFile(recipient: MergeRecipient): string | null;
  /** The files sent with every message (inline images included). */
  readonly attachments: StaticParts['attachments'];
  readonly signed: boolean;
}

export function createComposer(ctx: CoreContext, template: TemplateRecord, opts: CampaignComposeOptions, extras: ComposerExtras = {}): FullComposer {
  const unsubscribe = normaliseUnsubscribe(opts.unsubscribe);
  let parts: Compiledparts | undefined;
  let problem: unknown;
  let statics: StaticParts | undefined;

  // Compiling can fail (a syntax error): `check` must still answer, so the failure is kept for compose.
  try {
    const from = parseMailboxSource(template.from, 'From address');
    // Parsed as written first, so that a mistake is reported at its place in the person's text, not the layout's.
    compileOrThrow(template.body, 'html', 'body');
    const laidOut = layOut(template.body, template.format, template.subject);
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
    statics = {
      attachments: template.attachments.map((a) => ({
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

  const attachField = template.attachField;
  const recipientFile = (recipient: MergeRecipient): string | null => {
    if (!attachField) return null;
    const value = (recipient.fields[attachField] ?? '').trim();
    if (!value) return null;
    return path.resolve(extras.attachmentBase ?? ctx.dataDir, value);
  };

  const checkRecipient = (recipient: MergeRecipient): string | null => {
    if (!isAddress(recipient.email)) return `"${headerText(recipient.email)}" is not a valid e-mail address.`;
    if (!attachField) return null;
    const file = recipientFile(recipient);
    if (!file) return `${recipient.email} has no file in the field "${attachField}", which holds each recipient's attachment.`;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
      fs.accessSync(file, fs.constants.R_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return `The attachment for ${recipient.email} is missing: ${file} does not exist.`;
      if (code === 'EACCES' || code === 'EPERM') return `The attachment for ${recipient.email} can't be read: no permission to read ${file}.`;
      return `The attachment for ${recipient.email} can't be read: ${file} (${(err as Error).message}).`;
    }
    if (!stat.isFile()) return `The attachment for ${recipient.email} is not a file: ${file}.`;
    if (stat.size > MAX_RECIPIENT_ATTACHMENT) {
      return `The attachment for ${recipient.email} is too big to send (${Math.round(stat.size / 1048576)} MB; relays accept about 20 MB): ${file}.`;
    }
    return null;
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
    const mailto = p.unsubscribeMailto ? headerUri(render(p.unsubscribeMailto, base)) : null;
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
    const trouble = checkRecipient(recipient);
    if (trouble) throw new PostroomError('FILE_UNREADABLE', trouble);
    const m = renderParts(recipient, call);

    const attachments = [...s.attachments];
    const file = recipientFile(recipient);
    if (file) {
      let content: Buffer;
      try {
        content = await fs.promises.readFile(file);
      } catch (err) {
        throw new PostroomError('FILE_UNREADABLE', `The attachment for ${recipient.email} can't be read: ${file} (${(err as Error).message}).`);
      }
      attachments.push({ filename: path.basename(file), content, contentType: detectMimeType(file), contentDisposition: 'attachment' });
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
      const composer = new MailComposer({
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
    get attachments() {
      return ready().s.attachments;
    },
    get signed() {
      return ready().s.signer !== null;
    },
  };
}

