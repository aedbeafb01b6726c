/**
 * The save bar in the page's heading: "Unsaved changes" while there are any, the next step once the template is
 * saved, and the Save button.
 */
import { Button, Text } from '@mantine/core';
import { NextStep } from '../../../components/NextStep';
import { t } from '../../../i18n';

interface Props {
  /** The saved template's id (undefined for a new one). */
  templateId: number | undefined;
  dirty: boolean;
  canSave: boolean;
  busy: boolean;
  onSave(): void;
}

export function SaveBar({ templateId: id, dirty, canSave, busy, onSave }: Props) {
  return (
    <>
      {dirty && (
        <Text size="sm" c="dimmed">
          {t('templateEditor.unsaved')}
        </Text>
      )}
      {id !== undefined && !dirty && <NextStep after="template" templateId={id} />}
      <Button onClick={() => onSave()} loading={busy} disabled={!canSave || (!dirty && id !== undefined)}>
        {id === undefined ? t('templateEditor.save') : t('templateEditor.saveChanges')}
      </Button>
    </>
  );
}
