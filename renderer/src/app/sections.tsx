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

// The editor (CodeMirror) and the progress charts (Recharts) are most of the bundle: load them when first
// opened, so the home screen is interactive sooner.
const TemplatesPage = lazy(() => import('../pages/templates').then((m) => ({ default: m.TemplatesPage })));
const CampaignsPage = lazy(() => import('../pages/campaigns').then((m) => ({ default: m.CampaignsPage })));
const OutboxPage = lazy(() => import('../pages/outbox').then((m) => ({ default: m.OutboxPage })));

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
  { id: 'home', label: 'Home', hint: 'Getting started', component: HomePage },
  { id: 'campaigns', label: 'Campaigns', hint: 'Send a newsletter', component: CampaignsPage },
  { id: 'recipients', label: 'Recipients', hint: 'Lists of people', component: RecipientsPage },
  { id: 'templates', label: 'Templates', hint: 'What you send', component: TemplatesPage },
  { id: 'relays', label: 'Relays', hint: 'How mail leaves', component: RelaysPage },
  { id: 'outbox', label: 'Outbox', hint: 'Waiting to go', component: OutboxPage },
  { id: 'settings', label: 'Settings', hint: 'Theme, data folder', component: SettingsPage },
];
