/**
 * The language a template is written in (issue 15): the layout's `<html lang>` and the words Postroom itself adds to a
 * message (the unsubscribe footer, the subject of a mailto: unsubscribe request, the sample list of a preview) are
 * in it; a template saved without one takes the language chosen in Settings, else the computer's, else English.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newMessageId, prepareComposer, type MergeRecipient } from '../../../electron/core/compose';
import { createService, type Service } from '../../../electron/core/service';
import type { Language } from '../../../shared/contract/app';
import type { TemplateDraft } from '../../../shared/contract/templates';
import { tokenIn, unsubscribeToken } from '../../../shared/unsubscribe';
import { call, createTemplate, draft, headerBlock, openService, parse, tempDir } from './helpers';

let service: Service | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const bob: MergeRecipient = { email: 'bob@example.net', name: 'Bob Stone', fields: { first_name: 'Bob' } };
const URL = 'https://example.com/u/bob%40example.net';

/** Composes a template for Bob on the list "Kunden", with the given unsubscribe methods. */
async function compose(over: Partial<TemplateDraft>, unsubscribe: { url?: string; mailto?: string } = { url: 'https://example.com/u/{{ email }}' }) {
  service = openService();
  const templateId = await createTemplate(service, over);
  const composer = prepareComposer(service.ctx, { templateId, campaignName: 'Frühling', listName: 'Kunden', unsubscribe });
  const messageId = newMessageId('ann@example.com');
  const message = await composer.compose(bob, messageId);
  return { message, messageId, parsed: await parse(message.raw) };
}

/** A text part's words, whatever its line breaks. */
const words = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');

const letter: Partial<TemplateDraft> = { format: 'markdown', body: '# Guten Tag {{ first_name }}\n\nUnser Laden ist wieder geöffnet.' };

describe('a template written in German', () => {
  it('is laid out as a German document, with the footer in German in the HTML and in the text part', async () => {
    const { parsed } = await compose({ ...letter, language: 'de' });
    expect(parsed.html).toMatch(/^<!DOCTYPE html>\s*<html lang="de">/);
    expect(parsed.html).toContain('Sie erhalten diese E-Mail, weil Sie auf der Liste Kunden stehen.<br>');
    expect(parsed.html).toMatch(new RegExp(`Sie können sich jederzeit <a href="${URL}"[^>]*>abmelden</a>\\.`));
    // The text part is wrapped at 76 characters: read as words.
    expect(words(parsed.text)).toContain(`Sie erhalten diese E-Mail, weil Sie auf der Liste Kunden stehen. Sie können sich jederzeit abmelden [${URL}].`);
    expect(`${parsed.html}\n${parsed.text}`).not.toMatch(/You are receiving|Unsubscribe|at any time|lang="en"/);
  });

  it('asks a mail program to unsubscribe in German, with the recipient’s token', async () => {
    const { parsed, message, messageId } = await compose({ ...letter, language: 'de' }, { mailto: 'leave@example.com' });
    const mailto = `mailto:leave@example.com?subject=Abmelden%20%5B${unsubscribeToken(messageId)}%5D`;
    expect(parsed.html).toMatch(new RegExp(`jederzeit <a href="${mailto.replace(/[?[\]]/g, '\\$&')}"[^>]*>abmelden</a>`));
    expect(headerBlock(message.raw)).toContain(`List-Unsubscribe: <${mailto}>`);
    // The mailbox check reads the token back from the subject a mail program writes.
    expect(tokenIn(decodeURIComponent(mailto.split('subject=')[1]!))).toBe(unsubscribeToken(messageId));
  });

  it('is a German document as an HTML fragment too; a complete document keeps the lang it was written with', async () => {
    const fragment = await compose({ language: 'de', body: '<p>Hallo {{ first_name }}</p><p><a href="{{ unsubscribe_url }}">Abmelden</a></p>' });
    expect(fragment.parsed.html).toMatch(/<html lang="de">/);
    const whole = await compose({ language: 'de', body: '<html lang="de-AT"><body><p>Servus</p><a href="{{ unsubscribe_url }}">Abmelden</a></body></html>' });
    expect(whole.parsed.html).toMatch(/<html lang="de-AT">/);
  });
});

describe('the footer in each language', () => {
  const footers: Record<Language, [string, string]> = {
    en: ['You are receiving this because you are on the list Kunden.', `Unsubscribe [${URL}] at any time.`],
    de: ['Sie erhalten diese E-Mail, weil Sie auf der Liste Kunden stehen.', `Sie können sich jederzeit abmelden [${URL}].`],
    fr: ['Vous recevez ce message parce que votre adresse figure sur la liste Kunden.', `Vous pouvez vous désinscrire [${URL}] à tout moment.`],
    es: ['Recibe este mensaje porque su dirección figura en la lista Kunden.', `Puede darse de baja [${URL}] en cualquier momento.`],
  };
  it.each(Object.entries(footers))('in %s says why and how to leave, in the document of that language', async (lang, [why, leave]) => {
    const { parsed } = await compose({ format: 'markdown', body: 'Hello', language: lang as Language });
    expect(parsed.html).toContain(`<html lang="${lang}">`);
    expect(words(parsed.text)).toContain(`${why} ${leave}`);
  });

  it('is the English one, word for word, for a template saved without a language', async () => {
    const { parsed, message, messageId } = await compose({ format: 'markdown', body: 'Hello' }, { url: 'https://example.com/u/{{ email }}', mailto: 'leave@example.com' });
    expect(parsed.html).toContain('<html lang="en">');
    expect(parsed.html).toContain(`<p>You are receiving this because you are on the list Kunden.<br>\n<a href="${URL}"`);
    expect(parsed.text).toContain(`You are receiving this because you are on the list Kunden.\nUnsubscribe [${URL}] at any time.`);
    expect(headerBlock(message.raw)).toContain(`<mailto:leave@example.com?subject=Unsubscribe%20%5B${unsubscribeToken(messageId)}%5D>`);
  });
});

describe('the language of a new template', () => {
  const create = (s: Service, over: Partial<TemplateDraft> = {}) => call(s, 'templates:create', draft({ name: `T${Math.random()}`, ...over }));

  it('is the one the request names', async () => {
    service = openService();
    expect((await create(service, { language: 'fr' })).language).toBe('fr');
  });

  it('is otherwise the language chosen in Settings, else the computer’s, else English', async () => {
    service = openService();
    expect((await create(service)).language).toBe('en');
    await call(service, 'app:setLanguage', { language: 'de' });
    expect((await create(service)).language).toBe('de');
    await service.close();

    service = createService({ dataDir: tempDir(), host: 'desktop', locale: 'es-MX' });
    expect((await create(service)).language).toBe('es');
    await call(service, 'app:setLanguage', { language: 'fr' });
    expect((await create(service)).language).toBe('fr');
    await service.close();

    service = createService({ dataDir: tempDir(), host: 'desktop', locale: 'pt-BR' });
    expect((await create(service)).language).toBe('en');
  });

  it('is the starter’s: each starter says the language it is written in', async () => {
    service = openService();
    expect((await call(service, 'templates:starters', { lang: 'de' })).map((s) => s.language)).toEqual(['de', 'de', 'de']);
    expect((await call(service, 'templates:starters', { lang: 'en' })).map((s) => s.language)).toEqual(['en', 'en', 'en']);
  });

  it('is kept by a change that names none, changed by one that does, and copied with the template', async () => {
    service = openService();
    const t = await create(service, { name: 'Brief', language: 'de' });
    await call(service, 'app:setLanguage', { language: 'fr' });
    const { id, attachments: _a, createdAt: _c, updatedAt: _u, language: _l, ...rest } = t;
    expect((await call(service, 'templates:update', { id, template: { ...rest, subject: 'Neu' } })).language).toBe('de');
    expect((await call(service, 'templates:duplicate', { id })).language).toBe('de');
    expect((await call(service, 'templates:update', { id, template: { ...rest, language: 'es' } })).language).toBe('es');
    expect((await call(service, 'templates:list', {})).find((s) => s.id === id)?.language).toBe('es');
  });

  it('takes only a language Postroom writes in', async () => {
    service = openService();
    await expect(call(service, 'templates:create', { ...draft(), language: 'pt' as Language })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('the preview of a draft', () => {
  it('is written in the draft’s language, else its saved template’s, naming the sample list in it', async () => {
    service = openService();
    const body = 'Hallo {{ first_name }}';
    const named = await call(service, 'templates:preview', { draft: draft({ format: 'markdown', body, language: 'de' }), unsubscribe: { url: 'https://example.com/u' } });
    expect(named.html).toContain('<html lang="de">');
    expect(named.text).toContain('Sie erhalten diese E-Mail, weil Sie auf der Liste Beispielliste stehen.');

    const id = await createTemplate(service, { format: 'markdown', body, language: 'es' });
    const ofSaved = await call(service, 'templates:preview', { draft: draft({ format: 'markdown', body }), templateId: id, unsubscribe: { url: 'https://example.com/u' } });
    expect(ofSaved.text).toContain('Recibe este mensaje porque su dirección figura en la lista Lista de ejemplo.');
  });
});
