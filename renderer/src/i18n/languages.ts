/**
 * Which language the window speaks: the person's choice in Settings, or the computer's when they chose "System".
 * Pure functions, so the rule is checked without a browser.
 */
import type { LanguageChoice } from '../../../shared/contract/app';
import { isLanguage, LANGUAGES, type Language } from '../../../shared/languages';

/** The languages with a complete catalog, English first (the source and the fallback). */
export { LANGUAGES, type Language };

/**
 * The pseudo-locale (accented, about 40 % longer): shows every string that escaped translation and every label
 * that can't grow. en-XA is the code Android and Chrome use for it; a browser set to it gets it.
 */
export const PSEUDO = 'en-XA';
export type UiLanguage = Language | typeof PSEUDO;

/** Each language named in itself, as the Settings choice shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español' };

/** The first of the computer's preferred locales that we speak ("de-AT" → de), else English. */
export function fromSystem(locales: readonly (string | null | undefined)[]): UiLanguage {
  for (const locale of locales) {
    if (!locale) continue;
    if (locale.toLowerCase() === PSEUDO.toLowerCase()) return PSEUDO;
    const base = locale.split(/[-_]/)[0]!.toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function resolveLanguage(choice: LanguageChoice | undefined, systemLocales: readonly (string | null | undefined)[]): UiLanguage {
  return !choice || choice === 'system' ? fromSystem(systemLocales) : choice;
}

/**
 * The language of what the core writes for the window (starter templates) and of the sample data: the window's,
 * English under the pseudo-locale.
 */
export function contentLanguage(lang: UiLanguage): Language {
  return lang === PSEUDO ? 'en' : lang;
}

/** The locale Intl formats numbers and dates in: the pseudo-locale formats as English. */
export function intlLocale(lang: string): string {
  return lang === PSEUDO ? 'en' : lang;
}
