/**
 * The starter templates in every language Postroom speaks: each starter written in each language, with the
 * English one's merge fields, an unsubscribe link in the reader's language, and nothing the template check
 * finds wrong; and `templates:starters` answering in the language asked, the one chosen, or the computer's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkTemplate } from '../../../electron/core/compose/check';
import { loadStarters, startersDir } from '../../../electron/core/compose/starters';
import { createService, type Service } from '../../../electron/core/service';
import { contract } from '../../../shared/contract';
import { Language } from '../../../shared/contract/app';
import type { TemplateFormat } from '../../../shared/contract/templates';
import { call, openService, tempDir } from './helpers';

let service: Service | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const DIR = startersDir()!;
const TRANSLATED = Language.options.filter((l) => l !== 'en');
const english = loadStarters(DIR, 'en');
const KEYS = english.map((s) => s.key);
const UNSUBSCRIBE = 'https://shop.example/unsubscribe?e={{ email }}';
/** What the unsubscribe link says in each language. */
const UNSUBSCRIBE_WORDS: Record<Language, string> = { en: 'Unsubscribe', de: 'Abmelden', fr: 'Se désinscrire', es: 'Darse de baja' };

interface Body {
  file: string;
  format: TemplateFormat;
  subject: string;
  body: string;
}

/**
 * Every body a starter ships in a language: the one template.json names (in its format), and any other, such as
 * the newsletter as a complete HTML document (README's `template add --html` example).
 */
function bodies(key: string, lang: Language): Body[] {
  const folder = lang === 'en' ? path.join(DIR, key) : path.join(DIR, key, lang);
  const meta = JSON.parse(fs.readFileSync(path.join(folder, 'template.json'), 'utf8')) as { subject: string; format: TemplateFormat; body: string };
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== 'template.json')
    .map((e) => e.name)
    .sort()
    .map((file) => ({
      file,
      format: file === meta.body ? meta.format : file.endsWith('.md') ? 'markdown' : 'html',
      subject: meta.subject,
      body: fs.readFileSync(path.join(folder, file), 'utf8'),
    }));
}

function fieldsOf(b: Body): string[] {
  return checkTemplate({ subject: b.subject, from: 'Shop <shop@example.com>', replyTo: null, format: b.format, body: b.body, text: null, attachField: null }, []).fields.sort();
}

const everyBody = Language.options.flatMap((lang) => KEYS.flatMap((key) => bodies(key, lang).map((b) => [lang, key, b.file, b] as const)));

describe('the starter templates in every language', () => {
  it('ship three starters', () => {
    expect(KEYS).toEqual(['newsletter', 'announcement', 'plain-letter']);
  });

  it.each(TRANSLATED)('are all written in %s, with the English keys, formats and order', (lang) => {
    for (const key of KEYS) expect(fs.existsSync(path.join(DIR, key, lang, 'template.json')), `${key}/${lang}`).toBe(true);
    const translated = loadStarters(DIR, lang);
    expect(translated.map((s) => [s.key, s.format])).toEqual(english.map((s) => [s.key, s.format]));
    for (const [i, s] of translated.entries()) {
      expect(s.description, s.key).not.toBe(english[i]!.description);
      expect(s.subject, s.key).not.toBe(english[i]!.subject);
      expect(s.body, s.key).not.toBe(english[i]!.body);
    }
  });

  it.each(TRANSLATED)('ship every body file in %s, with the same merge fields as in English', (lang) => {
    for (const key of KEYS) {
      const en = bodies(key, 'en');
      const translated = bodies(key, lang);
      expect(translated.map((b) => b.file), key).toEqual(en.map((b) => b.file));
      for (const [i, b] of translated.entries()) expect(fieldsOf(b), `${key}/${lang}/${b.file}`).toEqual(fieldsOf(en[i]!));
    }
    expect(loadStarters(DIR, lang).map((s) => [...s.fields].sort())).toEqual(english.map((s) => [...s.fields].sort()));
  });

  it.each(everyBody)('in %s: %s (%s) passes the template check with no error or warning', (_lang, _key, _file, b) => {
    const check = checkTemplate(
      { subject: b.subject, from: 'Harbour Street <shop@example.com>', replyTo: null, format: b.format, body: b.body, text: null, attachField: null },
      ['email', ...fieldsOf(b)],
      { unsubscribe: { url: UNSUBSCRIBE } },
    );
    expect(check).toMatchObject({ ok: true, errors: [], missing: [], warnings: [] });
  });

  it.each(everyBody)('in %s: %s (%s) links to unsubscribe in its own language', async (lang, _key, _file, b) => {
    service = openService();
    const preview = await call(service, 'templates:preview', {
      draft: { name: 'Starter', subject: b.subject, from: 'Shop <shop@example.com>', replyTo: null, format: b.format, body: b.body, text: null, attachField: null, language: lang },
      unsubscribe: { url: UNSUBSCRIBE },
    });
    const links = [...preview.html.matchAll(/<a [^>]*href="https:\/\/shop\.example\/unsubscribe\?e=[^"]+"[^>]*>([^<]*)<\/a>/g)].map((m) => m[1]!.trim());
    expect(links).toEqual([UNSUBSCRIBE_WORDS[lang]]);
    expect(preview.text).toContain('https://shop.example/unsubscribe?e=');
    // A starter brings its own footer (the layout adds none), and nothing of it is English in another language.
    expect(preview.html).toContain(`<html lang="${lang}">`);
    if (lang !== 'en') expect(preview.html).not.toMatch(/You are receiving this|Unsubscribe/);
  });

  it('fall back to English, one by one, for a starter not written in the language asked', () => {
    const dir = tempDir();
    fs.cpSync(DIR, dir, { recursive: true });
    fs.rmSync(path.join(dir, 'announcement', 'fr'), { recursive: true });
    const starters = loadStarters(dir, 'fr');
    expect(starters.map((s) => s.key)).toEqual(KEYS);
    expect(starters.map((s) => s.name)).toEqual(['Newsletter', 'Announcement', 'Lettre simple']);
  });
});

describe('templates:starters', () => {
  it('answers in the language asked for', async () => {
    service = openService();
    expect((await call(service, 'templates:starters', { lang: 'es' })).map((s) => s.name)).toEqual(['Boletín', 'Anuncio', 'Carta sencilla']);
    expect((await call(service, 'templates:starters', { lang: 'en' })).map((s) => s.name)).toEqual(['Newsletter', 'Announcement', 'Plain letter']);
  });

  it('answers in the language chosen in Settings when none is asked for, else in the computer’s, else in English', async () => {
    service = openService();
    expect((await call(service, 'templates:starters', {})).map((s) => s.name)).toEqual(['Newsletter', 'Announcement', 'Plain letter']);
    await call(service, 'app:setLanguage', { language: 'de' });
    expect((await call(service, 'templates:starters', {})).map((s) => s.name)).toEqual(['Newsletter', 'Ankündigung', 'Schlichter Brief']);
    await service.close();

    service = createService({ dataDir: tempDir(), host: 'desktop', locale: 'fr-CA' });
    expect((await call(service, 'templates:starters', {})).map((s) => s.name)).toEqual(['Newsletter', 'Annonce', 'Lettre simple']);
    await call(service, 'app:setLanguage', { language: 'es' });
    expect((await call(service, 'templates:starters', {})).map((s) => s.name)).toEqual(['Boletín', 'Anuncio', 'Carta sencilla']);
    await service.close();

    service = createService({ dataDir: tempDir(), host: 'desktop', locale: 'pt-BR' });
    expect((await call(service, 'templates:starters', {})).map((s) => s.name)).toEqual(['Newsletter', 'Announcement', 'Plain letter']);
  });

  it('takes only a language Postroom speaks', () => {
    const input = contract['templates:starters'].input;
    expect(input.safeParse({}).success).toBe(true);
    expect(input.safeParse({ lang: 'fr' }).success).toBe(true);
    expect(input.safeParse({ lang: 'pt' }).success).toBe(false);
    expect(input.safeParse({ lang: 'de', extra: 1 }).success).toBe(false);
  });
});
