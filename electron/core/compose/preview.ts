/**
 * Preview and the things built on it (the spam check, send-a-test): a saved template or a draft, merged with a
 * real recipient of a list (by address or position) or a made-up sample, composed exactly as it will be sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { detectMimeType } from 'nodemailer/lib/mime-funcs';
import type { CoreContext } from '../context';
import { PostroomError } from '../../../shared/result';
import type { TemplateDraft, TemplatePreview } from '../../../shared/contract/templates';
import { loadTemplate, type TemplateRecord } from '../store/templates';
import type { MergeRecipient, Unsubscribe } from './index';
import { createComposer, type FullComposer } from './composer';
import { messageIdFor } from './headers';
import { checkTemplate } from './check';

export type TemplateSource = { id: number } | { draft: TemplateDraft };

export interface PreviewTarget {
  list?: string;
  email?: string;
  index?: number;
  unsubscribe?: Unsubscribe | null;
  campaignName?: string;
}

/** The template a request names: saved (with its files) or an unsaved draft (no files yet). */
export function resolveTemplate(ctx: CoreContext, source: TemplateSource): TemplateRecord {
  if ('id' in source) return loadTemplate(ctx.db, source.id);
  const now = ctx.clock.now();
  return { ...source.draft, id: 0, attachments: [], createdAt: now, updatedAt: now };
}

export interface ListInfo {
  id: number;
  name: string;
  fields: string[];
  /** The file the list was last imported from: relative attachment paths are resolved from its folder. */
  source: string | null;
}

/** A list by name (read from the recipients area's tables), or NOT_FOUND. */
export function listByName(ctx: CoreContext, name: string): ListInfo {
  const row = ctx.db.prepare(`SELECT id, name, fields, source FROM lists WHERE name = ?`).get(name) as
    | { id: number; name: string; fields: string; source: string | null }
    | undefined;
  if (!row) throw new PostroomError('NOT_FOUND', `There is no list named "${name}". See your lists with 'postroom lists'.`);
  let fields: string[] = [];
  try {
    fields = JSON.parse(row.fields) as string[];
  } catch {
    fields = [];
  }
  return { id: row.id, name: row.name, fields, source: row.source };
}

function parseFields(json: string): Record<string, string> {
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null || x === undefined ? '' : String(x)]));
  } catch {
    return {};
  }
}

/** One recipient of a list: by address, else by position (0-based). */
export function recipientOf(ctx: CoreContext, list: ListInfo, target: { email?: string; index?: number }): { recipient: MergeRecipient; index: number; total: number } {
  const total = (ctx.db.prepare(`SELECT count(*) AS n FROM recipients WHERE list_id = ?`).get(list.id) as { n: number }).n;
  if (total === 0) throw new PostroomError('NOT_FOUND', `The list "${list.name}" has no recipients yet. Import some first.`);
  type Row = { email: string; name: string | null; fields: string; id: number };
  let row: Row | undefined;
  let index: number;
  if (target.email) {
    row = ctx.db.prepare(`SELECT id, email, name, fields FROM recipients WHERE list_id = ? AND email_key = ?`).get(list.id, target.email.trim().toLowerCase()) as Row | undefined;
    if (!row) throw new PostroomError('NOT_FOUND', `${target.email} is not on the list "${list.name}".`);
    index = (ctx.db.prepare(`SELECT count(*) AS n FROM recipients WHERE list_id = ? AND id < ?`).get(list.id, row.id) as { n: number }).n;
  } else {
    index = Math.min(target.index ?? 0, total - 1);
    row = ctx.db.prepare(`SELECT id, email, name, fields FROM recipients WHERE list_id = ? ORDER BY id LIMIT 1 OFFSET ?`).get(list.id, index) as Row;
  }
  return { recipient: { email: row.email, name: row.name, fields: parseFields(row.fields) }, index, total };
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
  const list = target.list ? listByName(ctx, target.list) : null;
  const composer = createComposer(
    ctx,
    template,
    {
      templateId: template.id,
      campaignName: target.campaignName ?? template.name,
      listName: list?.name ?? 'Sample list',
      unsubscribe: target.unsubscribe ?? null,
    },
    { attachmentBase: list?.source ? path.dirname(list.source) : null },
  );
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
      listName: target.list ?? 'Sample list',
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
      ...(own ? [{ filename: path.basename(own), contentType: detectMimeType(own), size: fs.statSync(own).size, inline: false }] : []),
    ],
    problem,
  };
}
