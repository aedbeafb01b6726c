/**
 * The window's words: i18next with ICU messages (plurals, numbers, selects) over one catalog per language in
 * ./locales, English the source and the fallback. `t('nav.home')` anywhere (components, plain functions);
 * the app redraws from the top when the language changes (see LanguageRoot), so nothing keeps an old word.
 * `npm run i18n:extract` adds the keys the code uses to every catalog; test/renderer/i18n checks them.
 */
import i18next from 'i18next';
import ICU from 'i18next-icu';
import en from './locales/en/translation.json';
import de from './locales/de/translation.json';
import fr from './locales/fr/translation.json';
import es from './locales/es/translation.json';
import { intlLocale, PSEUDO, type UiLanguage } from './languages';
import { pseudoCatalog } from './pseudo';

export type MessageKey = keyof typeof en;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
    keySeparator: false;
    nsSeparator: false;
  }
}

export const catalogs = { en, de, fr, es } as const;

const i18n = i18next.createInstance();
void i18n.use(new ICU({ parseLngForICU: intlLocale })).init({
  resources: {
    en: { translation: en },
    de: { translation: de },
    fr: { translation: fr },
    es: { translation: es },
    // Built from English when first chosen: nobody pays for it who doesn't use it.
  },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: ['en', 'de', 'fr', 'es', PSEUDO],
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  initAsync: false,
});

/** A message in the window's language: `t('status.outboxWaiting', { count: 3 })`. */
export const t = i18n.t.bind(i18n) as typeof i18n.t;

/** The language the window speaks now ('en', 'de', 'fr', 'es' or the pseudo-locale). */
export function currentLanguage(): UiLanguage {
  return i18n.language as UiLanguage;
}

/** The locale for Intl (numbers, dates): the current language, English for the pseudo-locale. */
export function currentLocale(): string {
  return intlLocale(i18n.language);
}

/** The raw ICU message of a key in the current language (English when the catalog lacks it). */
export function rawMessage(key: MessageKey): string {
  return (i18n.getResource(i18n.language, 'translation', key) as string | undefined) ?? en[key];
}

export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

export function changeLanguage(lang: UiLanguage): void {
  if (lang === PSEUDO && !i18n.hasResourceBundle(PSEUDO, 'translation')) i18n.addResourceBundle(PSEUDO, 'translation', pseudoCatalog(en));
  if (i18n.language !== lang) void i18n.changeLanguage(lang);
}

export function onLanguageChanged(fn: (lang: UiLanguage) => void): () => void {
  const handler = (lng: string) => fn(lng as UiLanguage);
  i18n.on('languageChanged', handler);
  return () => i18n.off('languageChanged', handler);
}

export { i18n };
