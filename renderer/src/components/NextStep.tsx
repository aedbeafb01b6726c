/**
 * "Next: …": the end of each set-up step offers the next one not done yet (relay → recipients → newsletter →
 * campaign), as a button that opens that step itself. Nothing is shown once everything is set up.
 */
import { Button } from '@mantine/core';
import { useQuery } from '../api/hooks';
import { t } from '../i18n';
import { SETUP_DOORS, nextSetupStep, type SetupStep } from '../app/setup-path';

/** `templateId`: the campaign step then starts with that template chosen. */
export function NextStep({ after, variant = 'filled', templateId }: { after: SetupStep; variant?: 'filled' | 'default'; templateId?: number }) {
  const o = useQuery('appOverview', {});
  const next = o.data ? nextSetupStep(after, o.data) : null;
  if (!next) return null;
  return (
    <Button component="a" href={next === 'campaign' && templateId !== undefined ? `${SETUP_DOORS[next].to}?template=${templateId}` : SETUP_DOORS[next].to} variant={variant}>
      {t(SETUP_DOORS[next].next)}
    </Button>
  );
}
