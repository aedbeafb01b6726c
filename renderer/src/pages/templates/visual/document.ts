/**
 * A visual template as stored: the body (email-safe HTML blocks, merge fields as Liquid) and `doc`, the editor's
 * JSON with the brand (colour and logo) so it reopens as it was. Conversions to and from HTML and Markdown say
 * what they would lose, so the editor can ask before switching.
 */
import type { JSONContent } from '@tiptap/core';
import { DEFAULT_BRAND, safeColour } from './nodes';
import { t } from '../../../i18n';

export interface Brand {
  color: string;
  /** An https: address of the logo shown at the top, or '' for none. */
  logoUrl: string;
  logoAlt: string;
}

export interface VisualDoc {
  version: 1;
  brand: Brand;
  content: JSONContent | null;
}

const BRAND_KEY = 'postroom.brand';

/** The brand used last: set once, every new visual template starts with it. */
export function rememberedBrand(): Brand {
  try {
    const b = JSON.parse(localStorage.getItem(BRAND_KEY) ?? 'null') as Partial<Brand> | null;
    if (b) return { color: safeColour(b.color), logoUrl: typeof b.logoUrl === 'string' ? b.logoUrl : '', logoAlt: typeof b.logoAlt === 'string' ? b.logoAlt : '' };
  } catch {
    /* a damaged entry: the default brand */
  }
  return { color: DEFAULT_BRAND, logoUrl: '', logoAlt: '' };
}

export function rememberBrand(b: Brand): void {
  localStorage.setItem(BRAND_KEY, JSON.stringify(b));
}

export function parseDoc(doc: string | null | undefined): VisualDoc {
  try {
    const d = JSON.parse(doc ?? '{}') as Partial<VisualDoc>;
    const brand = d.brand ? { ...rememberedBrand(), ...d.brand, color: safeColour(d.brand.color) } : rememberedBrand();
    return { version: 1, brand, content: d.content && typeof d.content === 'object' ? d.content : null };
  } catch {
    return { version: 1, brand: rememberedBrand(), content: null };
  }
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const unescapeText = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, '\u00a0').replace(/&amp;/g, '&');

function logoHtml(b: Brand): string {
  if (!/^https?:\/\/\S+$/i.test(b.logoUrl.trim())) return '';
  return `<p data-logo="" style="margin: 0 0 24px; text-align: center;"><img src="${escapeAttr(b.logoUrl.trim())}" alt="${escapeAttr(b.logoAlt || 'Logo')}" width="160" style="max-width: 160px; height: auto;"></p>\n`;
}

/**
 * The body that is stored and sent, from the editor's HTML: the logo on top, chips as their bare Liquid tags,
 * links in the brand colour. (The chips' spans would be harmless, but the stored HTML reads better without them.)
 */
export function bodyFromEditor(editorHtml: string, brand: Brand): string {
  const color = safeColour(brand.color);
  const html = editorHtml
    .replace(/<span data-field="[^"]*"(?: data-fallback="[^"]*")?>([^<]*)<\/span>/g, (_m, tag: string) => unescapeText(tag))
    .replace(/<a (?![^>]*class="button")([^>]*)>/g, (_m, attrs: string) => (/style=/.test(attrs) ? `<a ${attrs}>` : `<a ${attrs} style="color: ${color};">`))
    .replace(/<\/(p|h1|h2|h3|ul|ol|hr|div)>/g, '</$1>\n');
  return logoHtml(brand) + html;
}

const SIMPLE_FIELD = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*default:\s*"([^"]*)"\s*)?\}\}/g;

/**
 * HTML for the editor to load: `{{ field }}` and `{{ field | default: "x" }}` in the text become chips (never
 * inside attributes: only text nodes are rewritten); the stored logo is dropped (the brand puts it back).
 */
export function editorHtmlFromBody(html: string): string {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  doc.querySelectorAll('[data-logo]').forEach((el) => el.remove());
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
  for (const t of texts) {
    const value = t.data;
    if (!SIMPLE_FIELD.test(value)) continue;
    SIMPLE_FIELD.lastIndex = 0;
    const frag = doc.createDocumentFragment();
    let last = 0;
    for (const m of value.matchAll(SIMPLE_FIELD)) {
      frag.append(value.slice(last, m.index));
      const chip = doc.createElement('span');
      chip.setAttribute('data-field', m[1]!);
      if (m[2]) chip.setAttribute('data-fallback', m[2]);
      chip.textContent = m[0];
      frag.append(chip);
      last = m.index! + m[0].length;
    }
    frag.append(value.slice(last));
    t.replaceWith(frag);
  }
  return doc.body.innerHTML;
}

/** The content of a complete HTML document's body (a fragment is returned as it is). */
export function fragmentOf(html: string): string {
  if (!/<html[\s>]/i.test(html)) return html;
  return new DOMParser().parseFromString(html, 'text/html').body.innerHTML;
}

/** What switching from `from` to `to` would lose, in a sentence, or null when nothing is lost. */
export function switchLoss(from: 'html' | 'markdown' | 'visual', to: 'html' | 'markdown' | 'visual', body: string): string | null {
  if (from === to) return null;
  if (to === 'visual') {
    if (from === 'html' && /<(table|style|div|font|span\s+style|td)\b/i.test(body)) return t('visual.loss.layout');
    if (from === 'markdown' && /(^|\n)(```|\s*\|.*\|)|\{%/.test(body)) return t('visual.loss.markdownCode', { tags: '{% … %}' });
    if (/\{%/.test(body)) return t('visual.loss.liquid', { tags: '{% … %}' });
    return null;
  }
  if (from === 'visual' && to === 'markdown') return t('visual.loss.toMarkdown');
  if (from === 'visual' && to === 'html') {
    return t('visual.loss.toHtml');
  }
  return null;
}
