/**
 * The template as the editor holds it (a draft): what a blank one starts with in each format, a saved template as a
 * draft, and the draft as the core accepts it for checks and previews while it is still being written.
 *
 * The words the editor writes into a message (a blank template's, the unsubscribe link, the footer's sentence) are
 * in the language the message is written in, the draft's `language`, which need not be the window's.
 */
import type { Language } from '../../../../../shared/contract/app';
import type { Template, TemplateDraft, TemplateFormat } from '../../../../../shared/contract/templates';
import { currentLanguage, t } from '../../../i18n';
import { contentLanguage } from '../../../i18n/languages';

/** Sets one field of the draft (the page's state). */
export type SetDraftField = <K extends keyof TemplateDraft>(k: K, v: TemplateDraft[K]) => void;

/** The language a draft's message is written in: its own, else (not named yet) the window's. */
export const draftLanguage = (d: Pick<TemplateDraft, 'language'>): Language => d.language ?? contentLanguage(currentLanguage());

/**
 * The catalog a message's words come from: its language's; the window's own when the message is in the window's
 * language, so that the pseudo-locale shows them as it shows every word it checks.
 */
const wordsIn = (language: Language): string => (language === contentLanguage(currentLanguage()) ? currentLanguage() : language);

/** The unsubscribe link's words in a message written in `language`. */
export const unsubscribeWords = (language: Language) => t('templateEditor.blank.unsubscribe', { lng: wordsIn(language) });

/** The visual editor footer's first sentence (the person edits it) in a message written in `language`. */
export const footerSentence = (language: Language) => t('visual.footer', { lng: wordsIn(language) });

/** The greeting a blank template starts with (the person's own words replace it). */
const greeting = (lng: string) => `${t('templateEditor.blank.hello', { lng })} {{ first_name | default: "${t('templateEditor.blank.there', { lng })}" }},`;

/** What a blank new template holds in each format (it starts in the visual editor), in `language`. */
export function blankBody(format: TemplateFormat, language: Language): string {
  const lng = wordsIn(language);
  const news = t('templateEditor.blank.news', { lng });
  switch (format) {
    case 'html':
      return `<h1>${greeting(lng)}</h1>
<p>${news}</p>
<p><a href="{{ unsubscribe_url }}">${unsubscribeWords(language)}</a></p>
`;
    case 'markdown':
      return `# ${greeting(lng)}

${news}
`;
    case 'visual':
      return `<h1>${greeting(lng)}</h1>
<p>${news}</p>
`;
  }
}

/** A blank new template, written in `language` (the window's unless a starter or the person names another). */
export function emptyDraft(language: Language = contentLanguage(currentLanguage())): TemplateDraft {
  return { name: '', subject: '', from: '', replyTo: null, format: 'visual', body: blankBody('visual', language), text: null, attachField: null, attachmentsDir: null, doc: null, language };
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
    language: t.language,
  };
}

/** The draft as the core will accept it for checks and previews while name or From are still being typed. */
export function forCore(d: TemplateDraft): TemplateDraft {
  return { ...d, name: d.name.trim() || 'Untitled', from: d.from.trim() || 'you@example.com' };
}

/** An unsubscribe link to put in HTML or Markdown source, in the language of the message. */
export function unsubscribeSnippet(format: TemplateDraft['format'], lng: Language): string {
  const words = unsubscribeWords(lng);
  return format === 'html' ? `<p><a href="{{ unsubscribe_url }}">${words}</a></p>` : `[${words}]({{ unsubscribe_url }})`;
}
