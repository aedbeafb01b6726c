/**
 * Turns what a person wrote (HTML, or Markdown) into the HTML that is sent, ONCE per template:
 * Markdown → the responsive email layout → CSS inlined (juice) → a text-part skeleton (html-to-text).
 *
 * Liquid tags are swapped for inert placeholders before any of that and put back after, so that Markdown,
 * juice and html-to-text never see (or mangle) `{{ … }}` and `{% … %}`; the results are Liquid templates again,
 * rendered per recipient in microseconds. Values merged later are therefore never Markdown-interpreted,
 * CSS-processed or re-parsed as HTML.
 */
import type Juice from 'juice';
import type * as MarkedModule from 'marked';
import type * as HtmlToText from 'html-to-text';
import { LAYOUT_CSS, layoutDocument } from './layout-template';
import { onFirstUse } from '../first-use';
import type { Language } from '../../../shared/contract/app';

// Loaded when a template is first laid out: commands that don't compose never load them.
const juice = onFirstUse<typeof Juice>('juice');
const htmlToText = onFirstUse<typeof HtmlToText>('html-to-text');
const markedModule = onFirstUse<typeof MarkedModule>('marked');

const LIQUID_TAG = /\{\{-?[\s\S]*?-?\}\}|\{%-?[\s\S]*?-?%\}/g;
// Letters and digits only: nothing Markdown, HTML or CSS would treat specially; html-to-text may upper-case it.
const PLACEHOLDER = /zzlq(\d+)qlzz/gi;

interface Protected {
  text: string;
  tags: string[];
}

function protect(source: string, tags: string[] = []): Protected {
  const text = source.replace(LIQUID_TAG, (tag) => `zzlq${tags.push(tag) - 1}qlzz`);
  return { text, tags };
}

function restore(text: string, tags: string[]): string {
  return text.replace(PLACEHOLDER, (_m, n: string) => tags[Number(n)] ?? '');
}

let markdown: MarkedModule.Marked | undefined;
const marked = () => (markdown ??= new (markedModule().Marked)({ gfm: true, breaks: false, async: false }));

/** A paragraph holding nothing but `{% … %}` tags (`{% if company %}` on its own line) loses its <p>. */
function unwrapTagParagraphs(html: string, tags: string[]): string {
  return html.replace(/<p>((?:\s*zzlq\d+qlzz\s*)+)<\/p>\n?/g, (whole, inner: string) => {
    const ids = [...inner.matchAll(/zzlq(\d+)qlzz/g)].map((m) => Number(m[1]));
    return ids.every((i) => tags[i]?.startsWith('{%')) ? inner.trim() + '\n' : whole;
  });
}

export interface LaidOut {
  /** The HTML to send, as a Liquid template (CSS inlined). */
  html: string;
  /** The plain-text part, as a Liquid template, made from the HTML. */
  text: string;
}

/** What a layout is made from. */
export interface LayoutSource {
  body: string;
  format: 'html' | 'markdown' | 'visual';
  subject: string;
  language: Language;
}

/** A layout with what it was made from: a compose worker given the engine's takes it instead of laying out again. */
export type PreparedLayout = LayoutSource & LaidOut;

/**
 * The layout of `source`: `prepared` when it was made from exactly the same (the engine's, handed to its compose
 * worker, which then never loads juice and html-to-text: a tenth to a third of a second of its start), else laid out now.
 */
export function layOutOnce(source: LayoutSource, prepared?: PreparedLayout | null): PreparedLayout {
  if (
    prepared &&
    prepared.body === source.body &&
    prepared.format === source.format &&
    prepared.subject === source.subject &&
    prepared.language === source.language
  ) {
    return prepared;
  }
  const { body, format, subject, language } = source;
  return { body, format, subject, language, ...layOut(body, format, subject, language) };
}

const textOptions = {
  // Wrapped after merging (tidyText), when the lines' real lengths are known.
  wordwrap: false as const,
  selectors: [
    { selector: 'img', format: 'skip' },
    // Email layouts are tables: each row and cell is its own block of text, not words run together.
    { selector: 'table', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'tr', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'td', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'th', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: '.preheader', format: 'skip' },
  ],
};

/**
 * Lays out a template body. `format` markdown: rendered into the Postroom layout (visual: its HTML blocks put in
 * that layout as they are); html: a complete document is
 * kept as written, a fragment is put in a minimal document. `subject` (Liquid) becomes the document title.
 * `language`, the one the message is written in, goes into `<html lang>` and words the layout's footer (a complete
 * document is the person's own: its `lang` is theirs).
 */
export function layOut(body: string, format: 'html' | 'markdown' | 'visual', subject: string, language: Language = 'en'): LaidOut {
  const tags: string[] = [];
  let html: string;
  if (format === 'markdown' || format === 'visual') {
    // A visual template's body is already HTML blocks (from the visual editor): the same layout as Markdown's.
    const content =
      format === 'visual' ? protect(body, tags).text : unwrapTagParagraphs(marked().parse(protect(body, tags).text) as string, tags);
    // The layout's own Liquid (title, footer) is protected after assembly; the content holds only placeholders.
    const footer = !/unsubscribe_(url|mailto)/.test(body);
    html = protect(layoutDocument(subject, content, { footer, language }), tags).text;
  } else if (/<html[\s>]/i.test(body)) {
    html = protect(body, tags).text;
  } else {
    html = protect(layoutDocument(subject, protect(body, tags).text, { bare: true, language }), tags).text;
  }
  const inlined = juice()(html, {
    preserveMediaQueries: true,
    preserveFontFaces: true,
    applyWidthAttributes: true,
    applyAttributesTableElements: true,
    removeStyleTags: true,
    insertPreservedExtraCss: true,
  });
  const text = htmlToText().convert(inlined, textOptions)
    // A `{% … %}` tag at the start or end of a line leaves no stray space in the text once rendered.
    .replace(/^[ \t]*(zzlq(\d+)qlzz)[ \t]*/gim, (whole, ph: string, n: string) => (tags[Number(n)]?.startsWith('{%') ? ph : whole))
    .replace(/[ \t]*(zzlq(\d+)qlzz)[ \t]*$/gim, (whole, ph: string, n: string) => (tags[Number(n)]?.startsWith('{%') ? ph : whole))
    .replace(/[ \t]+$/gm, '')
    .trim();
  return { html: restore(inlined, tags), text: restore(text, tags) + '\n' };
}

/**
 * Greedy word wrap at `width` (long words, such as URLs, are left whole). Words are what lies between single
 * spaces; a line is always a slice of the input (no arrays or joins per word: this runs for every message).
 */
function wrapLine(line: string, width: number): string {
  if (line.length <= width) return line;
  let out = '';
  let any = false;
  // The line being filled is line[cs, ce); the next word is line[ws, we).
  let cs = 0;
  let ce = 0;
  let ws = 0;
  for (;;) {
    let we = line.indexOf(' ', ws);
    if (we < 0) we = line.length;
    if (ce > cs && ce - cs + 1 + (we - ws) > width) {
      out += (any ? '\n' : '') + line.slice(cs, ce);
      any = true;
      cs = ws;
    } else if (ce === cs) cs = ws;
    ce = we;
    if (we === line.length) break;
    ws = we + 1;
  }
  if (ce > cs) out += (any ? '\n' : '') + line.slice(cs, ce);
  return out;
}

/**
 * After rendering the text skeleton: spaces and tabs at line ends dropped, blank lines squeezed to one (those left
 * by `{% if %}` lines), none at the start, one line end at the end, lines wrapped at 76. One pass over the lines
 * (this runs for every message); text with other line terminators (CR, U+2028, U+2029: a merged value may hold
 * them) is tidied by the regular expressions that define the rule.
 */
export function tidyText(text: string, wrap = true): string {
  if (/[\r\u2028\u2029]/.test(text)) return tidyByRules(text, wrap);
  let out = '';
  let blank = false;
  for (const raw of text.split('\n')) {
    let end = raw.length;
    while (end > 0 && (raw.charCodeAt(end - 1) === 0x20 || raw.charCodeAt(end - 1) === 0x09)) end--;
    if (end === 0) {
      blank = out !== '';
      continue;
    }
    const line = end === raw.length ? raw : raw.slice(0, end);
    out += (out === '' ? '' : blank ? '\n\n' : '\n') + (wrap ? wrapLine(line, 76) : line);
    blank = false;
  }
  return out + '\n';
}

/** tidyText's rule as regular expressions (where `$` also ends a line at CR, U+2028 and U+2029). */
function tidyByRules(text: string, wrap: boolean): string {
  let tidy = text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+/, '');
  // One newline at the end (what /\n*$/ → '\n' did, without a regex that retries at every position).
  let end = tidy.length;
  while (end > 0 && tidy.charCodeAt(end - 1) === 10) end--;
  tidy = tidy.slice(0, end) + '\n';
  return wrap ? tidy.split('\n').map((l) => wrapLine(l, 76)).join('\n') : tidy;
}

export { LAYOUT_CSS };
