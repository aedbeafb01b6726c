/**
 * The sections of the window, in sidebar order. Each is a folder under pages/ whose index.tsx exports one
 * component; it receives the rest of the route (`#/recipients/lists/12` → sub ['lists','12']).
 * To add a page inside a section, route on `sub` in that section's component (see renderer/README.md).
 */
import { lazy, type ComponentType } from 'react';
import type { Route } from './router';
import { HomePage } from '../pages/home';
import { RecipientsPage } from '../pages/recipients';
import { RelaysPage } from '../pages/relays';
import { SettingsPage } from '../pages/settings';
import { t } from '../i18n';

// The editors (CodeMirror, TipTap) and the progress charts (Recharts) are most of the bundle: loaded after the
// first screen is up (preloadSections), so the home screen is interactive sooner.
const templates = preloadable(() => import('../pages/templates').then((m) => m.TemplatesPage));
const campaigns = preloadable(() => import('../pages/campaigns').then((m) => m.CampaignsPage));
const outbox = preloadable(() => import('../pages/outbox').then((m) => m.OutboxPage));
const TemplatesPage = templates.component;
const CampaignsPage = campaigns.component;
const OutboxPage = outbox.component;

/**
 * A lazily loaded section that renders at once (no suspending, so no Suspense fallback and its reveal delay)
 * once its code has arrived, whether by a first visit or by preloading.
 */
function preloadable(load: () => Promise<ComponentType<SectionProps>>) {
  let loaded: ComponentType<SectionProps> | undefined;
  let pending: Promise<ComponentType<SectionProps>> | undefined;
  const preload = () =>
    (pending ??= load().then(
      (c) => (loaded = c),
      (err: unknown) => {
        pending = undefined; // fetched again on the next try
        throw err;
      },
    ));
  const Lazy = lazy(() => preload().then((c) => ({ default: c })));
  function Section(props: SectionProps) {
    const Loaded = loaded;
    return Loaded ? <Loaded {...props} /> : <Lazy {...props} />;
  }
  return { component: Section, preload };
}

/** Fetches the code of every lazily loaded section (a failed fetch is retried by a visit). */
export function preloadSections(): void {
  for (const s of [templates, campaigns, outbox]) s.preload().catch(() => undefined);
}

export interface SectionProps {
  /** The route segments after the section's own, e.g. ['lists', '12']. */
  sub: string[];
  query: URLSearchParams;
  route: Route;
}

export interface Section {
  id: string;
  label: string;
  /** A few words under the label in the sidebar (also read by screen readers). */
  hint: string;
  component: ComponentType<SectionProps>;
}

export const sections: Section[] = [
  { id: 'home', get label() { return t('nav.home'); }, get hint() { return t('nav.home.hint'); }, component: HomePage },
  { id: 'campaigns', get label() { return t('nav.campaigns'); }, get hint() { return t('nav.campaigns.hint'); }, component: CampaignsPage },
  { id: 'recipients', get label() { return t('nav.recipients'); }, get hint() { return t('nav.recipients.hint'); }, component: RecipientsPage },
  { id: 'templates', get label() { return t('nav.templates'); }, get hint() { return t('nav.templates.hint'); }, component: TemplatesPage },
  { id: 'relays', get label() { return t('nav.relays'); }, get hint() { return t('nav.relays.hint'); }, component: RelaysPage },
  { id: 'outbox', get label() { return t('nav.outbox'); }, get hint() { return t('nav.outbox.hint'); }, component: OutboxPage },
  { id: 'settings', get label() { return t('nav.settings'); }, get hint() { return t('nav.settings.hint'); }, component: SettingsPage },
];
