import { t } from '../../i18n';

/**
 * The name a new campaign is given: the template's name and the day ("Newsletter · 6 Dec 2026"), never the
 * subject (which is Liquid source), made unique against the campaigns that exist ("… (2)"). Campaign names are
 * unique regardless of case, as the core keeps them.
 */
export function suggestCampaignName(templateName: string, taken: readonly string[], day: Date, locale?: string): string {
  const base = `${templateName.trim() || 'Newsletter'} · ${day.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' })}`;
  const used = new Set(taken.map((n) => n.toLocaleLowerCase()));
  if (!used.has(base.toLocaleLowerCase())) return base;
  for (let i = 2; ; i++) {
    const next = `${base} (${i})`;
    if (!used.has(next.toLocaleLowerCase())) return next;
  }
}

/** The reason a typed campaign name can't be used, or null: checked as it is typed, not after the undo countdown. */
export function campaignNameProblem(name: string, taken: readonly string[], own?: string): string | null {
  const n = name.trim().toLocaleLowerCase();
  if (!n) return null;
  if (own !== undefined && own.trim().toLocaleLowerCase() === n) return null;
  return taken.some((t) => t.toLocaleLowerCase() === n) ? t('composer.nameTaken') : null;
}
