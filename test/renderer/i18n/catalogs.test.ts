/**
 * The catalogs against the code: every key the renderer asks for exists in every language, no catalog keeps a
 * key nothing uses, every message is valid ICU that formats, and each translation has the same placeholders
 * (and tags) as the English one, so no value silently drops out of a sentence.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { catalogs } from '../../../renderer/src/i18n';
import { placeholders } from '../../../renderer/src/i18n/core-messages';

const SRC = path.resolve(__dirname, '../../../renderer/src');
const en: Record<string, string> = catalogs.en;
const languages = Object.keys(catalogs) as (keyof typeof catalogs)[];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'locales' ? [] : sources(p);
    return /\.(ts|tsx)$/.test(e.name) ? [fs.readFileSync(p, 'utf8')] : [];
  });
}
const code = sources(SRC).join('\n');
/** Keys in a t('…') or rich('…') call. */
const called = new Set([...code.matchAll(/\b(?:t|rich)\(\s*'([^']+)'/g)].map((m) => m[1]!));
/** Every quoted string in the code: keys named in tables (headlines by error code, campaign states) count as used. */
const quoted = new Set([...code.matchAll(/'([A-Za-z]+(?:\.[A-Za-z0-9_]+)+)'/g)].map((m) => m[1]!));

/** Sample values for formatting: a number where the message formats one, a function for a tag, else a word. */
function sampleValues(message: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      if (el.type === TYPE.number || el.type === TYPE.plural) values[el.value] = 1248;
      else if (el.type === TYPE.argument) values[el.value] ??= 'word';
      else if (el.type === TYPE.select) values[el.value] = 'other';
      else if (el.type === TYPE.tag) values[el.value] = (chunks: unknown[]) => chunks.join('');
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value);
      if (el.type === TYPE.tag) walk(el.children);
    }
  };
  walk(parse(message));
  return values;
}

describe('the message catalogs', () => {
  it('have every key the code asks for, in every language', () => {
    expect(called.size).toBeGreaterThan(200);
    for (const lang of languages) {
      const missing = [...called].filter((k) => !(k in catalogs[lang]));
      expect(missing, `missing in ${lang}`).toEqual([]);
    }
  });

  it('keep no key that nothing uses (core.* messages are looked up by error code)', () => {
    const stale = Object.keys(en).filter((k) => !quoted.has(k) && !k.startsWith('core.'));
    expect(stale).toEqual([]);
  });

  it('hold the same keys in every language, none left empty', () => {
    for (const lang of languages) {
      expect(Object.keys(catalogs[lang]).sort(), lang).toEqual(Object.keys(en).sort());
      const empty = Object.entries(catalogs[lang]).filter(([, v]) => !v.trim());
      expect(empty, `empty in ${lang}`).toEqual([]);
    }
  });

  it('are valid ICU messages that format in their own locale', () => {
    for (const lang of languages) {
      for (const [key, message] of Object.entries(catalogs[lang] as Record<string, string>)) {
        const formatted = new IntlMessageFormat(message, lang).format(sampleValues(message) as never);
        expect(formatted, `${lang} ${key}`).toBeTruthy();
      }
    }
  });

  it('use the same placeholders and tags in every language as in English', () => {
    for (const lang of languages) {
      const diff = Object.entries(en).filter(([key, message]) => placeholders(message).join() !== placeholders((catalogs[lang] as Record<string, string>)[key] ?? '').join());
      expect(
        diff.map(([k]) => `${k}: ${placeholders(en[k]!).join()} vs ${placeholders((catalogs[lang] as Record<string, string>)[k]!).join()}`),
        lang,
      ).toEqual([]);
    }
  });

  it('leave nothing in the translations identical to English that reads as an English sentence', () => {
    // Words that are the same in both languages (Status, Version, Test, Online…) are fine; a sentence isn't.
    for (const lang of ['de', 'fr', 'es'] as const) {
      const same = Object.entries(catalogs[lang] as Record<string, string>).filter(([k, v]) => v === en[k] && v.split(' ').length > 3);
      expect(same.map(([k]) => k), lang).toEqual([]);
    }
  });
});
