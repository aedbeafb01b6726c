/**
 * The frame each step of the composer sits in: its mark (the number, a tick once done), its heading and a line
 * that sums it up. The checklist and the review's links jump to a step by its id.
 */
import { Group, Paper, Text, Title, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { StepMark } from '../../../components/StepMark';
import { t } from '../../../i18n';

export function Step({ n, title, done, summary, children, id }: { n: number; title: string; done: boolean; summary?: ReactNode; children: ReactNode; id: string }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`${id}-title`} id={id}>
      <Group gap="sm" mb="sm" wrap="nowrap" align="flex-start">
        <StepMark size="sm" done={done} n={n} />
        <div style={{ flex: 1, minWidth: 0 }}>
          <Title order={2} size="h4" id={`${id}-title`}>
            {title}
            {done && <VisuallyHidden>{t('composer.stepDone')}</VisuallyHidden>}
          </Title>
          {summary && (
            <Text size="sm" c="dimmed">
              {summary}
            </Text>
          )}
        </div>
      </Group>
      {children}
    </Paper>
  );
}

/** Scrolls to the step with this id (`step-…`). */
export function scrollToStep(id: string): void {
  document.getElementById(id)?.scrollIntoView({ behavior: 'smooth' });
}
