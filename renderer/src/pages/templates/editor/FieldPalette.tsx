/**
 * "Insert a field": a button for each of the list's fields and one for the unsubscribe link, the fallback an
 * inserted field gets for a recipient whose value is empty, and a hint to choose a list while there is none.
 */
import { Anchor, Button, Group, Paper, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { href } from '../../../app/router';
import { rich } from '../../../i18n/rich';
import { t } from '../../../i18n';

interface Props {
  /** The fields to offer, in order. */
  fields: string[];
  /** Whether a list is chosen (without one, the palette says how to get one). */
  hasList: boolean;
  onInsertField(field: string, fallback: string | undefined): void;
  onInsertUnsubscribe(): void;
}

export function FieldPalette({ fields, hasList, onInsertField, onInsertUnsubscribe }: Props) {
  const [fallback, setFallback] = useState('');
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={t('templateEditor.insertField')}>
      <Group justify="space-between" mb={6} wrap="wrap" gap="xs">
        <Text size="sm" fw={600}>
          {t('templateEditor.insertField')}
        </Text>
        <TextInput
          size="xs"
          label={t('templateEditor.fallback')}
          placeholder={t('templateEditor.fallbackExample')}
          value={fallback}
          onChange={(e) => setFallback(e.currentTarget.value)}
          w={290}
          styles={{ root: { display: 'flex', alignItems: 'center', gap: 8 }, label: { whiteSpace: 'nowrap' } }}
        />
      </Group>
      <Group gap={6}>
        {fields.map((f) => (
          <Button
            key={f}
            size="compact-sm"
            variant="light"
            radius="xl"
            aria-label={t('templateEditor.insertFieldNamed', { field: f })}
            onClick={() => onInsertField(f, fallback || undefined)}
          >
            {`{{ ${f} }}`}
          </Button>
        ))}
        <Button size="compact-sm" variant="default" radius="xl" onClick={() => onInsertUnsubscribe()}>
          {t('templateEditor.unsubscribeLink')}
        </Button>
      </Group>
      {!hasList && (
        <Text size="xs" c="dimmed" mt={6}>
          {rich('templateEditor.chooseListHint', {
            a: (chunks) => (
              <Anchor underline="always" href={href('recipients', 'import')} size="xs">
                {chunks}
              </Anchor>
            ),
          })}
        </Text>
      )}
    </Paper>
  );
}
