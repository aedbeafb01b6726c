/**
 * The words the template editor writes into a message (a blank template's, the unsubscribe link it inserts, the
 * visual footer's sentence) are in the language the message is written in, which need not be the window's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { changeLanguage } from '../../renderer/src/i18n';
import { blankBody, draftLanguage, emptyDraft, footerSentence, toDraft, unsubscribeSnippet } from '../../renderer/src/pages/templates/editor/draft';

afterEach(() => changeLanguage('en'));

describe('a new template in the editor', () => {
  it('is written in the window’s language unless told another', () => {
    changeLanguage('de');
    const d = emptyDraft();
    expect(d.language).toBe('de');
    expect(d.body).toContain('Hallo {{ first_name | default: "zusammen" }},');
    const fr = emptyDraft('fr');
    expect(fr.language).toBe('fr');
    expect(fr.body).toContain('Bonjour {{ first_name | default: "à tous" }},');
  });

  it('starts a blank HTML template with an unsubscribe link in the message’s language', () => {
    expect(blankBody('html', 'es')).toContain('<a href="{{ unsubscribe_url }}">Darse de baja</a>');
    expect(blankBody('markdown', 'de')).toMatch(/^# Hallo /);
  });

  it('is written in English under the pseudo-locale, its words accented as the window’s are', () => {
    changeLanguage('en-XA');
    expect(draftLanguage(emptyDraft())).toBe('en');
    expect(emptyDraft().body).not.toContain('Hello');
    expect(blankBody('html', 'de')).toContain('>Abmelden</a>');
  });
});

describe('what the editor inserts', () => {
  it('links to unsubscribe in the message’s language, whatever the window’s', () => {
    changeLanguage('fr');
    expect(unsubscribeSnippet('html', 'de')).toBe('<p><a href="{{ unsubscribe_url }}">Abmelden</a></p>');
    expect(unsubscribeSnippet('markdown', 'es')).toBe('[Darse de baja]({{ unsubscribe_url }})');
    expect(unsubscribeSnippet('markdown', 'en')).toBe('[Unsubscribe]({{ unsubscribe_url }})');
  });

  it('words the visual footer in the message’s language', () => {
    expect(footerSentence('de')).toBe('Sie erhalten diese E-Mail, weil Sie auf unserer Liste stehen.');
    expect(footerSentence('en')).toBe('You receive this because you are on our list.');
  });

  it('keeps a saved template’s language in its draft', () => {
    const draft = toDraft({
      id: 1,
      name: 'Brief',
      subject: 'Hallo',
      from: 'a@example.com',
      replyTo: null,
      format: 'markdown',
      body: 'Hallo',
      text: null,
      attachField: null,
      attachments: [],
      language: 'de',
      createdAt: 1,
      updatedAt: 1,
    });
    expect(draft.language).toBe('de');
  });
});
