/**
 * The template as the editor holds it (a draft): what a blank one starts with in each format, a saved template as a
 * draft, and the draft as the core accepts it for checks and previews while it is still being written.
 */
import type { Template, TemplateDraft } from '../../../../../shared/contract/templates';
import { t } from '../../../i18n';

/** Sets one field of the draft (the page's state). */
export type SetDraftField = <K extends keyof TemplateDraft>(k: K, v: TemplateDraft[K]) => void;

/** The greeting a blank template starts with, in the window's language (the person's own words replace it). */
const greeting = () => `${t('templateEditor.blank.hello')} {{ first_name | default: "${t('templateEditor.blank.there')}" }},`;

/** What a blank new template holds in each format (it starts in the visual editor). */
export const blankSource = (format: 'html' | 'markdown') =>
  format === 'html'
    ? `<h1>${greeting()}</h1>
<p>${t('templateEditor.blank.news')}</p>
<p><a href="{{ unsubscribe_url }}">${t('templateEditor.blank.unsubscribe')}</a></p>
`
    : `# ${greeting()}

${t('templateEditor.blank.news')}
`;

/** A new template starts in the visual editor. */
const blankVisual = () => `<h1>${greeting()}</h1>
<p>${t('templateEditor.blank.news')}</p>
`;

export function emptyDraft(): TemplateDraft {
  return { name: '', subject: '', from: '', replyTo: null, format: 'visual', body: blankVisual(), text: null, attachField: null, attachmentsDir: null, doc: null };
}

export function toDraft(t: Template): TemplateDraft {
  return {
    name: t.name,
    subject: t.subject,
    from: t.from,
    replyTo: t.replyTo,
    format: t.format,
    body: t.body,
    text: t.text,
    attachField: t.attachField,
    attachmentsDir: t.attachmentsDir ?? null,
    ...(t.format === 'visual' ? { doc: t.doc ?? null } : {}),
  };
}

/** The draft as the core will accept it for checks and previews while name or From are still being typed. */
export function forCore(d: TemplateDraft): TemplateDraft {
  return { ...d, name: d.name.trim() || 'Untitled', from: d.from.trim() || 'you@example.com' };
}

export function unsubscribeSnippet(format: TemplateDraft['format']): string {
  return format === 'html' ? '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>' : '[Unsubscribe]({{ unsubscribe_url }})';
}
