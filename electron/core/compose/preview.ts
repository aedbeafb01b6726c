/**
 * Preview and the things built on it (the spam check, send-a-test): a saved template or a draft, merged with a
 * real recipient of a list (by address or position) or a made-up sample, composed exactly as it will be sent.
 */
import { detectMimeType } from './headers';
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/errors';
import type { TemplateDraft, TemplatePreview } from '../../../shared/contract/templates';
import { loadTemplate, type TemplateRecord } from '../store/templates';
import { resolveList } from '../store/lists';
import { recipientAt } from '../store/recipients';
import type { ListSummary } from '../../../shared/contract/recipients';
import type { MergeRecipient, Unsubscribe } from './index';
import { createComposer, type FullComposer } from './composer';
import { messageIdFor } from './headers';
import { checkTemplate } from './check';
import { attachmentsFolderOf } from './attachments';
import { templateLanguage } from '../language';
import { messageWords } from './message-words';

export type TemplateSource = { id: number } | { draft: TemplateDraft; templateId?: number };

export interface PreviewTarget {
  list?: string;
  email?: string;
  index?: number;
  unsubscribe?: Unsubscribe | null;
  campaignName?: string;
}

/**
 * The template a request names: saved (with its files), or an unsaved draft: of a saved template (`templateId`),
 * with that template's files (a picture added since the last save shows); of a new one, with none yet.
 */
export function resolveTemplate(ctx: CoreContext, source: TemplateSource): TemplateRecord {
  if ('id' in source) return loadTemplate(ctx.db, source.id);
  const now = ctx.clock.now();
  const saved = source.templateId === undefined ? undefined : loadTemplate(ctx.db, source.templateId);
  // Written in the language the draft names, else the saved template's, else as a new template would be.
  const language = templateLanguage(ctx, source.draft.language, saved?.language);
  return { ...source.draft, language, id: 0, attachments: saved?.attachments ?? [], createdAt: now, updatedAt: now };
}

/** A list as the preview needs it: its fields, and the file it was imported from (relative attachment paths). */
export type ListInfo = Pick<ListSummary, 'id' | 'name' | 'fields' | 'source'>;

/** One recipient of a list: by address, else by position (0-based). NOT_FOUND when there is none. */
export function recipientOf(ctx: CoreContext, list: ListInfo, target: { email?: string; index?: number }): { recipient: MergeRecipient; index: number; total: number } {
  const found = recipientAt(ctx.db, list.id, target);
  if (found) return found;
  if (target.email) throw new PostroomError('NOT_FOUND', `${target.email} is not on the list "${list.name}".`);
  throw new PostroomError('NOT_FOUND', `The list "${list.name}" has no recipients yet. Import some first.`);
}

const SAMPLES: Record<string, string> = {
  first_name: 'Alex',
  firstname: 'Alex',
  last_name: 'Morgan',
  lastname: 'Morgan',
  company: 'Morgan & Daughters',
  city: 'Bristol',
  country: 'United Kingdom',
  phone: '+44 117 496 0000',
  title: 'Director',
};

/** A made-up recipient with a plausible value for each field the template uses. */
export function sampleRecipient(fields: readonly string[]): MergeRecipient {
  const values: Record<string, string> = {};
  for (const f of fields) values[f] = SAMPLES[f] ?? f.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  return { email: 'alex.morgan@example.com', name: 'Alex Morgan', fields: values };
}

export interface PreparedPreview {
  composer: FullComposer;
  recipient: MergeRecipient;
  index: number | null;
  total: number;
  template: TemplateRecord;
}

export function preparePreview(ctx: CoreContext, source: TemplateSource, target: PreviewTarget): PreparedPreview {
  const template = resolveTemplate(ctx, source);
  const list = target.list ? resolveList(ctx.db, target.list) : null;
  // The same folder the engine will read from: the campaign's (when it is saved), else the template's, else the list's.
  const campaign = target.campaignName
    ? (ctx.db.prepare(`SELECT id FROM campaigns WHERE name = ?`).get(target.campaignName) as { id: number } | undefined)
    : undefined;
  const composer = createComposer(ctx, template, {
    templateId: template.id,
    campaignName: target.campaignName ?? template.name,
    listName: list?.name ?? messageWords(template.language).sampleList,
    unsubscribe: target.unsubscribe ?? null,
    attachmentsDir: attachmentsFolderOf(ctx.db, { campaignId: campaign?.id }) ?? template.attachmentsDir ?? attachmentsFolderOf(ctx.db, { listId: list?.id }),
  });
  if (list) {
    const r = recipientOf(ctx, list, target);
    return { composer, recipient: r.recipient, index: r.index, total: r.total, template };
  }
  const used = checkTemplate(template, []).fields;
  return { composer, recipient: sampleRecipient(used), index: null, total: 0, template };
}

/** RFC 2047 encoded-words decoded for display (B and Q, any charset TextDecoder knows). */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?*]+)(?:\*[^?]*)?\?([BbQq])\?([^?]*)\?=/g, (whole, charset: string, enc: string, text: string) => {
      try {
        const bytes =
          enc.toUpperCase() === 'B'
            ? Buffer.from(text, 'base64')
            : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
        return new TextDecoder(charset.toLowerCase()).decode(bytes);
      } catch {
        return whole;
      }
    });
}

/** The top-level headers of a message, unfolded and decoded, in order. */
export function readHeaders(raw: Buffer): Array<{ name: string; value: string }> {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const block = (end < 0 ? text : text.slice(0, end)).replace(/\r\n(?=[ \t])/g, '');
  return block
    .split('\r\n')
    .filter((l) => l.includes(':'))
    .map((l) => {
      const i = l.indexOf(':');
      const value = Buffer.from(l.slice(i + 1).trim(), 'latin1').toString('utf8');
      return { name: l.slice(0, i), value: decodeWords(value) };
    });
}

/** The recipient's message exactly as it would be sent, with what the UI needs to show it. */
export async function buildPreview(ctx: CoreContext, source: TemplateSource, target: PreviewTarget): Promise<TemplatePreview> {
  const p = preparePreview(ctx, source, target);
  const problem = p.composer.checkRecipient(p.recipient);
  const parts = p.composer.renderParts(p.recipient);
  let raw: Buffer;
  if (problem) {
    // Still show the message; without the recipient's file (the problem says why).
    const noFile = createComposer(ctx, { ...p.template, attachField: null }, {
      templateId: p.template.id,
      campaignName: target.campaignName ?? p.template.name,
      listName: target.list ?? messageWords(p.template.language).sampleList,
      unsubscribe: target.unsubscribe ?? null,
    });
    raw = (await noFile.compose(p.recipient, messageIdFor(parts.from.address))).raw;
  } else {
    raw = (await p.composer.compose(p.recipient, messageIdFor(parts.from.address))).raw;
  }
  const headers = readHeaders(raw);
  const inline = new Map(p.composer.attachments.filter((a) => a.cid).map((a) => [a.cid!, a]));
  const html = parts.html.replace(/(["'(])cid:([^"')\s]+)/gi, (whole, q: string, cid: string) => {
    const a = inline.get(cid);
    return a ? `${q}data:${a.contentType};base64,${a.content.toString('base64')}` : whole;
  });
  const own = problem ? null : p.composer.recipientFile(p.recipient);
  const header = (name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value ?? '';
  return {
    recipient: { email: p.recipient.email, name: p.recipient.name, index: p.index },
    total: p.total,
    subject: parts.subject,
    from: header('from'),
    to: header('to'),
    html,
    text: parts.text,
    headers,
    raw: raw.toString('utf8'),
    attachments: [
      ...p.composer.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.content.length, inline: !!a.cid })),
      ...(own?.ok ? [{ filename: own.name, contentType: detectMimeType(own.name), size: own.size, inline: false }] : []),
    ],
    problem,
  };
}
