/**
 * The starter templates in the window's language, for every place that offers them (the template list, a new
 * template made from a starter, the sample data). The core writes them in English, German, French and Spanish;
 * under the pseudo-locale they come in English, and the list shows their name and description accented like the
 * catalog, so that a starter's words don't read as strings that escaped translation.
 */
import { useMemo } from 'react';
import type { StarterTemplate } from '../../../shared/contract/templates';
import type { Result } from '../../../shared/result';
import { currentLanguage } from '../i18n';
import { contentLanguage, PSEUDO } from '../i18n/languages';
import { accent } from '../i18n/pseudo';
import { call, useQuery, type QueryState } from './hooks';

function shown(starters: StarterTemplate[]): StarterTemplate[] {
  if (currentLanguage() !== PSEUDO) return starters;
  return starters.map((s) => ({ ...s, name: accent(s.name), description: accent(s.description) }));
}

/** `useQuery('templatesStarters', …)` in the window's language, for display: `const starters = useStarters()`. */
export function useStarters(options: Parameters<typeof useQuery>[2] = {}): QueryState<StarterTemplate[]> {
  const q = useQuery('templatesStarters', { lang: contentLanguage(currentLanguage()) }, options);
  // The same array while the answer is the same: an editor that fills its draft from a starter runs once.
  const data = useMemo(() => q.data && shown(q.data), [q.data]);
  return { ...q, data };
}

/** The starters in the window's language, read once (outside a component), as the core wrote them. */
export function readStarters(): Promise<Result<StarterTemplate[]>> {
  return call('templatesStarters', { lang: contentLanguage(currentLanguage()) });
}
