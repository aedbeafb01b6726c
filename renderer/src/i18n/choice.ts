/**
 * The language choice: remembered by the core (Settings → Language, `app:setLanguage`), cached in this browser
 * so the first screen is drawn in the right language before the core answers, and resolved against the
 * computer's locales (the desktop app's from Electron, else the browser's).
 */
import type { LanguageChoice } from '../../../shared/contract/app';
import { api } from '../api';
import { changeLanguage } from './index';
import { fromSystem, resolveLanguage, type UiLanguage } from './languages';

const CACHE_KEY = 'postroom.language';
let choice: LanguageChoice = 'system';
let systemLocale: string | null = null;

function read(): LanguageChoice {
  try {
    const v = localStorage.getItem(CACHE_KEY);
    return v === 'en' || v === 'de' || v === 'fr' || v === 'es' ? v : 'system';
  } catch {
    return 'system';
  }
}

function apply(next: LanguageChoice): void {
  choice = next;
  try {
    localStorage.setItem(CACHE_KEY, next);
  } catch {
    // A browser that keeps no storage still gets the language from the core at each start.
  }
  changeLanguage(resolveLanguage(next, [systemLocale, ...navigator.languages]));
}

/** The language "System" stands for on this computer. */
export function systemLanguage(): UiLanguage {
  return fromSystem([systemLocale, ...navigator.languages]);
}

/** The choice as saved ('system' follows the computer). */
export function languageChoice(): LanguageChoice {
  return choice;
}

/** At start: the cached choice now, then the core's when it answers. */
export function startLanguage(): void {
  apply(read());
  void api.appInfo({}).then((r) => {
    if (!r.ok) return;
    systemLocale = r.value.systemLocale;
    apply(r.value.language);
  });
}

/** Settings → Language: applies at once, and the core remembers it. */
export async function chooseLanguage(next: LanguageChoice): Promise<void> {
  apply(next);
  await api.appSetLanguage({ language: next });
}
