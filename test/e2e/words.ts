/**
 * The window's words in a language, for tests that walk a screen in German or French by what is on it: the same
 * catalogs the window reads (renderer/src/i18n/locales), formatted by the same ICU library.
 *
 * `words('de').t('composer.sendTo', { count: 40 })` gives the German of a message; `words('de').w('Save template')`
 * gives the German of the message whose English is exactly that (for the many labels without placeholders), so a
 * journey written in English runs in another language unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';

type Catalog = Record<string, string>;

/** A parameter the test doesn't know (the name the app gave a relay): `re()` matches anything in its place. */
export const ANY = Symbol('any');
const HOLE = '\uE000'; // a private-use character no message contains
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DIR = path.resolve(__dirname, '../../renderer/src/i18n/locales');
const load = (lang: string): Catalog => JSON.parse(fs.readFileSync(path.join(DIR, lang, 'translation.json'), 'utf8')) as Catalog;

export interface Words {
  lang: string;
  /** A message by its key, formatted with its parameters. */
  t(key: string, params?: Record<string, string | number>): string;
  /** The message whose English is `english` (no placeholders), in this language. */
  w(english: string): string;
  /** A message as a whole-text pattern, each `ANY` parameter matching any text (simple placeholders only). */
  re(key: string, params?: Record<string, string | number | typeof ANY>): RegExp;
}

export function words(lang: string): Words {
  const en = load('en');
  const mine = lang === 'en' ? en : load(lang);
  const t = (key: string, params: Record<string, string | number> = {}) => {
    const message = mine[key];
    if (message === undefined) throw new Error(`No message "${key}" in the ${lang} catalog.`);
    return String(new IntlMessageFormat(message, lang).format(params));
  };
  return {
    lang,
    t,
    re(key, params = {}) {
      const filled = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === ANY ? HOLE : v]));
      return new RegExp(`^${t(key, filled).split(HOLE).map(escapeRe).join('.+?')}$`);
    },
    w(english) {
      const keys = Object.keys(en).filter((k) => en[k] === english);
      if (keys.length === 0) throw new Error(`No message reads "${english}" in the English catalog.`);
      const found = new Set(keys.map((k) => t(k)));
      // The same English in two places may be worded differently elsewhere (a button and a heading): say so.
      if (found.size > 1) throw new Error(`"${english}" is ${[...found].map((x) => `"${x}"`).join(' or ')} in ${lang}: name the key.`);
      return [...found][0]!;
    },
  };
}
