/**
 * The check run before any send: every part of a template parsed with Liquid, each field it reads compared
 * with the list's fields, each problem placed by part, line and column in the text the person wrote.
 */
import type { MissingField, TemplateCheck, TemplateDraft, TemplatePart, TemplateSyntaxError } from '../../../shared/contract/templates';
import { isBuiltinField, normaliseFieldName } from '../../../shared/merge-fields';
import { builtinFields, compile, FILE_TAGS, globalFields, LiquidSyntaxError, type Engine } from './liquid';
import { parseMailboxSource } from './headers';
import type { Unsubscribe } from './index';
import type { ReviewItem } from '../../../shared/contract/sending';

export interface CheckOptions {
  /** The campaign's unsubscribe methods; `undefined` when checking a template on its own (no campaign yet). */
  unsubscribe?: Unsubscribe | null;
  /** Whether a DKIM key is kept for the From domain; `undefined` to say nothing about it. */
  dkim?: boolean;
  /** cids of the template's inline images. */
  inlineCids?: string[];
}

type CheckedTemplate = Pick<TemplateDraft, 'subject' | 'from' | 'replyTo' | 'format' | 'body' | 'text' | 'attachField'>;

/** The name part of `Name <address>` (where From-name merge fields live), with its column offset. */
function fromNamePart(from: string): { source: string; column: number } {
  const m = /^(\s*"?)(.*?)"?\s*<[^<>]*>\s*$/s.exec(from);
  return m ? { source: m[2]!, column: m[1]!.length } : { source: '', column: 0 };
}

/** A template warning with its code and parameters, as the review before sending lists it. */
export type TemplateWarning = ReviewItem;

/**
 * The content IDs an HTML body shows as inline images (`src="cid:…"`, `url(cid:…)`), as written: what the check
 * asks to be attached, and which of a template's inline images each message carries (see inline-images.ts).
 */
export function cidsShownBy(html: string): Set<string> {
  return new Set([...html.matchAll(/cid:([^"'\s)>]+)/gi)].map((m) => m[1]!));
}

export function checkTemplate(t: CheckedTemplate, listFields: readonly string[], opts: CheckOptions = {}): TemplateCheck {
  return inspectTemplate(t, listFields, opts).check;
}

/** The check, with its warnings coded (the review needs the codes; `templates:check` gives the sentences). */
export function inspectTemplate(t: CheckedTemplate, listFields: readonly string[], opts: CheckOptions = {}): { check: TemplateCheck; warnings: TemplateWarning[] } {
  const have = new Set(listFields.map(normaliseFieldName));
  const used: MissingField[] = [];
  const errors: TemplateSyntaxError[] = [];
  const coded: TemplateWarning[] = [];
  const warn = (code: TemplateWarning['code'], message: string, params: TemplateWarning['params'] = {}) => coded.push({ code, message, params });

  const parts: Array<{ part: TemplatePart; source: string; engine: Engine; column?: number }> = [
    { part: 'subject', source: t.subject, engine: 'text' },
    { part: 'from', ...(() => { const f = fromNamePart(t.from); return { source: f.source, column: f.column }; })(), engine: 'text' },
    { part: 'body', source: t.body, engine: 'html' },
  ];
  if (t.replyTo) parts.push({ part: 'replyTo', source: t.replyTo, engine: 'text' });
  if (t.text !== null && t.text !== undefined) parts.push({ part: 'text', source: t.text, engine: 'text' });
  if (opts.unsubscribe?.url) parts.push({ part: 'unsubscribe', source: opts.unsubscribe.url, engine: 'url' });
  if (opts.unsubscribe?.mailto) parts.push({ part: 'unsubscribe', source: opts.unsubscribe.mailto, engine: 'url' });

  for (const p of parts) {
    try {
      const compiled = compile(p.source, p.engine, p.part);
      for (const f of globalFields(compiled, p.part)) {
        used.push({ ...f, column: f.line === 1 && p.column ? f.column + p.column : f.column });
      }
      for (const m of p.source.matchAll(FILE_TAGS)) {
        const before = p.source.slice(0, m.index);
        const line = before.split('\n').length;
        const column = m.index - before.lastIndexOf('\n') + (line === 1 && p.column ? p.column : 0);
        errors.push({ part: p.part, line, column, message: `{% ${m[1]} %} can't be used: a mail template can't read other files` });
      }
    } catch (err) {
      if (!(err instanceof LiquidSyntaxError)) throw err;
      const e = err.toProblem();
      errors.push({ ...e, column: e.line === 1 && p.column ? e.column + p.column : e.column });
    }
  }

  try {
    parseMailboxSource(t.from, 'From address');
  } catch (err) {
    errors.push({ part: 'from', line: 1, column: 1, message: (err as Error).message });
  }
  if (!t.subject.trim()) warn('SUBJECT_EMPTY', 'The subject is empty. Messages without a subject look like spam to people and to filters.');

  const fields: string[] = [];
  const missing: MissingField[] = [];
  for (const u of used) {
    if (builtinFields.has(u.field) || isBuiltinField(u.field)) continue;
    if (!fields.includes(u.field)) fields.push(u.field);
    if (!have.has(u.field)) missing.push(u);
  }
  if (t.attachField) {
    const f = normaliseFieldName(t.attachField);
    if (!fields.includes(f)) fields.push(f);
    if (!have.has(f)) missing.push({ field: f, part: 'attachField', line: 1, column: 1 });
  }

  if (opts.unsubscribe !== undefined && !opts.unsubscribe?.url && !opts.unsubscribe?.mailto) {
    warn(
      'NO_UNSUBSCRIBE',
      'This campaign has no unsubscribe method. Gmail and Yahoo expect one-click unsubscribe from bulk senders, and people who cannot leave a list mark it as spam.',
    );
  }
  if (opts.unsubscribe?.mailto && !opts.unsubscribe.url) {
    warn('UNSUBSCRIBE_MAILTO_ONLY', 'Only a mailto: unsubscribe is set. Gmail and Yahoo want one-click unsubscribe (RFC 8058), which needs an https: link as well.');
  }
  if (t.format === 'html' && opts.unsubscribe && !/unsubscribe/i.test(t.body)) {
    warn('UNSUBSCRIBE_NOT_IN_BODY', 'The message body has no unsubscribe link. Add one, e.g. <a href="{{ unsubscribe_url }}">Unsubscribe</a>.');
  }
  if (opts.dkim === false) {
    let domain = '';
    try {
      domain = parseMailboxSource(t.from, 'From address').address.replace(/^.*@/, '').toLowerCase();
    } catch {
      // the From problem itself is reported above
    }
    warn('DKIM_MISSING', `Messages from ${domain || "this sender's domain"} won't be DKIM-signed: Postroom keeps no DKIM key for it, so filters trust the mail less.`, { domain });
  }
  const cids = new Set(opts.inlineCids ?? []);
  for (const cid of cidsShownBy(t.body)) {
    if (!cids.has(cid)) warn('INLINE_IMAGE_MISSING', `The body shows an image "cid:${cid}" but no attached image has that content ID. Attach the image with that cid.`, { cid });
  }
  const check = { ok: missing.length === 0 && errors.length === 0, fields, missing, errors, warnings: coded.map((w) => w.message), warningItems: coded };
  return { check, warnings: coded };
}
