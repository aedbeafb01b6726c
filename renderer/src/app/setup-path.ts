/**
 * The guided path of setting up: relay → recipients → newsletter → campaign. Each step's door opens the step
 * itself (a new relay, the import, the starter newsletter in the editor, a new campaign), and each finished step
 * offers the next one that isn't done yet (NextStep). Home's checklist uses the same doors.
 */
import type { Overview } from '../../../shared/contract/app';
import { href } from './router';
import type { MessageKey } from '../i18n';

export type SetupStep = 'relay' | 'recipients' | 'template' | 'campaign';

export const SETUP_ORDER: readonly SetupStep[] = ['relay', 'recipients', 'template', 'campaign'];

/** `next`: the catalog key of the button that offers the step. */
export const SETUP_DOORS: Record<SetupStep, { to: string; next: MessageKey; done: (o: Overview) => boolean }> = {
  relay: { to: href('relays', 'new'), next: 'setup.next.relay', done: (o) => o.relays > 0 },
  recipients: { to: href('recipients', 'import'), next: 'setup.next.recipients', done: (o) => o.lists > 0 && o.recipients > 0 },
  template: { to: `${href('templates', 'new')}?starter=newsletter`, next: 'setup.next.template', done: (o) => o.templates > 0 },
  campaign: { to: href('campaigns', 'new'), next: 'setup.next.campaign', done: (o) => o.campaignsSent > 0 },
};

/** The first step after `after` that isn't done (in order, then from the start), or null when all are. */
export function nextSetupStep(after: SetupStep, o: Overview): SetupStep | null {
  const i = SETUP_ORDER.indexOf(after);
  const rest = [...SETUP_ORDER.slice(i + 1), ...SETUP_ORDER.slice(0, i)];
  return rest.find((s) => !SETUP_DOORS[s].done(o)) ?? null;
}
