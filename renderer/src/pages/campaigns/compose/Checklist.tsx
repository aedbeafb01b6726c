/**
 * The checklist over the composer: the five steps in order, each ticked once it is complete, each a link to its
 * step.
 */
import { Anchor, Group, Text, VisuallyHidden } from '@mantine/core';
import { StepMark } from '../../../components/StepMark';
import { t } from '../../../i18n';
import { scrollToStep } from './Step';

/** Which steps are complete (the page decides once; the checklist and each step's mark show it). */
export interface StepsDone {
  recipients: boolean;
  from: boolean;
  subject: boolean;
  content: boolean;
  review: boolean;
}

export function Checklist({ done }: { done: StepsDone }) {
  const steps: [label: string, done: boolean, id: string][] = [
    [t('composer.step.recipients'), done.recipients, 'step-recipients'],
    [t('composer.step.from'), done.from, 'step-from'],
    [t('composer.step.subject'), done.subject, 'step-subject'],
    [t('composer.step.content'), done.content, 'step-content'],
    [t('composer.step.review'), done.review, 'step-review'],
  ];
  return (
    <nav aria-label={t('composer.checklist')}>
      <Group gap="md" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {steps.map(([label, isDone, id], i) => (
          <li key={id}>
            <Anchor href={`#${id}`} onClick={(e) => { e.preventDefault(); scrollToStep(id); }} underline="never" c="inherit">
              <Group gap={6} wrap="nowrap">
                <StepMark size="sm" done={isDone} n={i + 1} />
                <Text size="sm" fw={500}>
                  {label}
                  <VisuallyHidden>{isDone ? t('composer.stepDone') : t('composer.stepToDo')}</VisuallyHidden>
                </Text>
              </Group>
            </Anchor>
          </li>
        ))}
      </Group>
    </nav>
  );
}
