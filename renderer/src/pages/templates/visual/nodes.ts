/**
 * The visual editor's own blocks, besides StarterKit's headings, paragraphs, lists, links and dividers:
 * merge fields as chips, a button, the footer with its unsubscribe link. Each renders the email-safe HTML that is
 * stored as the template's body (inline styles, since mail clients drop most CSS) and parses it back.
 */
import { Node, mergeAttributes } from '@tiptap/core';
import { fieldTag } from '../../../../../shared/merge-fields';
import { t } from '../../../i18n';

export const DEFAULT_BRAND = '#1d4ed8';

/** Black or white text, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return '#ffffff';
  const n = parseInt(m[1]!, 16);
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
  return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? '#ffffff' : '#111827';
}

/** A colour the stored HTML may carry: `#rrggbb` only (it goes into a style attribute). */
export function safeColour(hex: string | null | undefined): string {
  return hex && /^#[0-9a-f]{6}$/i.test(hex.trim()) ? hex.trim() : DEFAULT_BRAND;
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    mergeField: { insertMergeField: (field: string, fallback?: string) => ReturnType };
    emailButton: { insertButton: (href: string, label: string, color: string) => ReturnType };
    emailFooter: { insertFooter: (text: string, link: string) => ReturnType };
  }
}

/** `{{ first_name | default: "there" }}` as one chip that shows the field and its fallback. */
export const MergeField = Node.create({
  name: 'mergeField',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      field: { default: 'name', parseHTML: (el) => el.getAttribute('data-field') },
      fallback: { default: null, parseHTML: (el) => el.getAttribute('data-fallback') },
    };
  },
  parseHTML() {
    return [{ tag: 'span[data-field]' }];
  },
  renderHTML({ node }) {
    const { field, fallback } = node.attrs as { field: string; fallback: string | null };
    return ['span', { 'data-field': field, ...(fallback ? { 'data-fallback': fallback } : {}) }, fieldTag(field, fallback ?? undefined)];
  },
  renderText({ node }) {
    return fieldTag(node.attrs.field as string, (node.attrs.fallback as string | null) ?? undefined);
  },
  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement('span');
      const { field, fallback } = node.attrs as { field: string; fallback: string | null };
      dom.className = 'merge-chip';
      dom.contentEditable = 'false';
      dom.textContent = fallback ? `${field} · ${fallback}` : field;
      dom.title = fallback ? t('visual.chipTitleFallback', { field, fallback }) : t('visual.chipTitle', { field });
      return { dom };
    };
  },
  addCommands() {
    return {
      insertMergeField:
        (field, fallback) =>
        ({ state, commands }) => {
          // A chip dropped against a word gets a space on that side, so "taste|the" doesn't become "tasteLeedsthe".
          const { $from, $to } = state.selection;
          const before = $from.nodeBefore?.isText && /\w$/.test($from.nodeBefore.text ?? '');
          const after = $to.nodeAfter?.isText && /^\w/.test($to.nodeAfter.text ?? '');
          const chip = { type: this.name, attrs: { field, fallback: fallback || null } };
          return commands.insertContent([...(before ? [{ type: 'text', text: ' ' }] : []), chip, ...(after ? [{ type: 'text', text: ' ' }] : [])]);
        },
    };
  },
});

const BUTTON_STYLE = (color: string) =>
  `display: inline-block; padding: 12px 24px; background-color: ${color}; color: ${textOn(color)}; text-decoration: none; border-radius: 6px; font-weight: bold;`;

/** A call to action: a link that looks like a button, in the brand colour. */
export const EmailButton = Node.create({
  name: 'emailButton',
  group: 'block',
  content: 'text*',
  marks: '',
  defining: true,
  addAttributes() {
    return {
      href: { default: 'https://', parseHTML: (el) => el.querySelector('a')?.getAttribute('href') ?? 'https://' },
      color: { default: DEFAULT_BRAND, parseHTML: (el) => el.getAttribute('data-color') ?? DEFAULT_BRAND },
    };
  },
  parseHTML() {
    return [{ tag: 'p[data-button]', contentElement: 'a' }];
  },
  renderHTML({ node, HTMLAttributes }) {
    const color = safeColour(node.attrs.color as string);
    return [
      'p',
      mergeAttributes({ 'data-button': '', 'data-color': color, style: 'margin: 8px 0 24px;' }, { class: HTMLAttributes.class }),
      ['a', { href: node.attrs.href as string, class: 'button', style: BUTTON_STYLE(color) }, 0],
    ];
  },
  addCommands() {
    return {
      insertButton:
        (href, label, color) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { href, color }, content: label ? [{ type: 'text', text: label }] : [] }),
    };
  },
});

const FOOTER_STYLE = 'margin-top: 32px; padding-top: 16px; border-top: 1px solid #e5e7eb; font-size: 13px; line-height: 1.5; color: #6b7280; text-align: center;';

/** The unsubscribe link's words of a footer written before they followed the message's language. */
const FOOTER_LINK = 'Unsubscribe';

/**
 * The footer: who sends this and why (editable), then the unsubscribe link (fixed; its words, `link`, are the
 * message's language's, set when the footer is added and when the language changes). The link falls back to the
 * mailto: address when the campaign has no https: link; the layout then adds no footer of its own.
 */
export const EmailFooter = Node.create({
  name: 'emailFooter',
  group: 'block',
  content: 'inline*',
  defining: true,
  addAttributes() {
    return {
      // Read back from the link itself (a starter's, in its language); kept out of the div's own attributes.
      link: { default: FOOTER_LINK, parseHTML: (el) => el.querySelector('p:last-child > a')?.textContent?.trim() || FOOTER_LINK, renderHTML: () => ({}) },
    };
  },
  parseHTML() {
    return [{ tag: 'div[data-footer]', contentElement: 'p' }];
  },
  renderHTML({ node }) {
    return [
      'div',
      { 'data-footer': '', style: FOOTER_STYLE },
      ['p', { style: 'margin: 0 0 8px;' }, 0],
      ['p', { style: 'margin: 0;' }, ['a', { href: '{{ unsubscribe_url | default: unsubscribe_mailto }}', style: 'color: #6b7280;' }, (node.attrs.link as string) || FOOTER_LINK]],
    ];
  },
  addCommands() {
    return {
      insertFooter:
        (text, link) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { link }, content: text ? [{ type: 'text', text }] : [] }),
    };
  },
});
