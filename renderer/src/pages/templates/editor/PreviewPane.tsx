/**
 * The preview pane: the exact message one recipient of the chosen list would get (MessagePreview has the desktop
 * and mobile widths), the sample recipient to show, and a test send of it.
 */
import { Group, Title } from '@mantine/core';
import { CoreError } from '../../../components/CoreError';
import { MessagePreview, RecipientStepper } from '../../../components/MessagePreview';
import { SendTestButton, type TestMessage } from '../../../components/SendTestButton';
import type { TemplatePreview } from '../../../../../shared/contract/templates';
import type { AppError } from '../../../../../shared/result';
import { t } from '../../../i18n';

interface Props {
  preview: { value?: TemplatePreview; error?: AppError; busy: boolean };
  /** Which recipient of the list is shown (0 without a list). */
  index: number;
  onIndexChange(index: number): void;
  /** What a test send sends (undefined while there is no From). */
  testMessage: TestMessage | undefined;
}

export function PreviewPane({ preview, index, onIndexChange, testMessage }: Props) {
  return (
    <>
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('templateEditor.preview')}
        </Title>
        <SendTestButton message={testMessage} recipient={preview.value?.recipient.email} />
      </Group>
      {preview.error && <CoreError error={preview.error} title={t('templateEditor.previewFailed')} />}
      <MessagePreview
        preview={preview.value}
        busy={preview.busy}
        stepper={<RecipientStepper index={index} total={preview.value?.total ?? 0} onChange={onIndexChange} email={preview.value?.recipient.email} />}
      />
    </>
  );
}
