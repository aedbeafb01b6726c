/**
 * The languages Postroom speaks (the window's catalogs and the starter templates), without zod: a compose worker
 * reads a template's language with it and shouldn't load a schema library for that. English first: the source
 * and the fallback. The contract's Language schema is built from this list (contract/app.ts).
 */
export const LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}
