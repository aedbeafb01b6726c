/**
 * The language the person chose for Postroom (Settings → Language, kept in the settings table), and the one the
 * core writes in for them when a request names none: the starter templates.
 */
import type { CoreContext } from './context';
import { Language, LanguageChoice } from '../../shared/contract/app';
import { getSetting, setSetting } from './store/settings';

/** The settings key of the window's language ('system' when never chosen). */
const LANGUAGE_KEY = 'language';

/** The choice as saved; a value a newer version saved (a language this one doesn't speak) reads as 'system'. */
export function savedLanguage(ctx: Pick<CoreContext, 'db'>): LanguageChoice {
  const saved = LanguageChoice.safeParse(getSetting(ctx.db, LANGUAGE_KEY));
  return saved.success ? saved.data : 'system';
}

export function saveLanguage(ctx: Pick<CoreContext, 'db'>, choice: LanguageChoice): void {
  setSetting(ctx.db, LANGUAGE_KEY, choice);
}

/**
 * The language to write in: the one chosen in Settings, or on "System" the computer's locale when the host knows
 * it and Postroom speaks it ("de-AT" → de), else English. The browser host knows no locale: its window names
 * the language it shows in each request that needs one.
 */
export function preferredLanguage(ctx: Pick<CoreContext, 'db' | 'locale'>): Language {
  const choice = savedLanguage(ctx);
  if (choice !== 'system') return choice;
  const base = Language.safeParse(ctx.locale?.split(/[-_]/)[0]?.toLowerCase());
  return base.success ? base.data : 'en';
}

/**
 * The language a template's message is written in when a request names none: a change to a saved template (or a
 * draft of it) keeps the template's (`saved`); a new one is written in the language to write in (above). The window
 * always names one (a starter's, else its own), so this decides for the command line and older callers.
 */
export function templateLanguage(ctx: Pick<CoreContext, 'db' | 'locale'>, requested: Language | undefined, saved?: Language): Language {
  return requested ?? saved ?? preferredLanguage(ctx);
}
