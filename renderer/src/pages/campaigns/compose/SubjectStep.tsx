/**
 * Composer, step 3 (Subject): the subject line as the recipient in the preview gets it (written in the template,
 * changed there), and the campaign's own name.
 */
import { Anchor, Stack, Text, TextInput } from '@mantine/core';
import type { Template } from '../../../../../shared/contract/templates';
import { href } from '../../../app/router';
import { t } from '../../../i18n';
import { rich } from '../../../i18n/rich';
import { Step } from './Step';
import type { MessagePreviewState } from './useMessagePreview';

export function SubjectStep({
  done,
  template,
  preview,
  name,
  onName,
  nameProblem,
}: {
  done: boolean;
  template: Template | undefined;
  preview: MessagePreviewState;
  name: string;
  onName: (name: string) => void;
  /** Why the typed name can't be used, or null. */
  nameProblem: string | null;
}) {
  return (
    <Step n={3} id="step-subject" title={t('composer.step.subject')} done={done} summary={t('composer.subjectHint')}>
      <Stack gap="xs">
        <Text size="sm">
          {template ? (
            <>
              {rich('composer.subjectLine', { subject: preview.value?.subject ?? template.subject, b: (c) => <b>{c}</b> })}{' '}
              <Text span c="dimmed" size="sm">
                {rich('composer.subjectAs', {
                  who: preview.value?.recipient.email ?? t('composer.firstRecipient'),
                  a: (c) => (
                    <Anchor underline="always" href={href('templates', template.id)} size="sm">
                      {c}
                    </Anchor>
                  ),
                })}
              </Text>
            </>
          ) : (
            <Text span c="dimmed" size="sm">
              {t('composer.subjectFromTemplate')}
            </Text>
          )}
        </Text>
        <TextInput label={t('composer.name')} description={t('composer.nameHint')} value={name} onChange={(e) => onName(e.currentTarget.value)} error={nameProblem} maw={420} />
      </Stack>
    </Step>
  );
}
