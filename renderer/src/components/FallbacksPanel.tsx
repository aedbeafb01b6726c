/**
 * Per merge field the content uses: how many recipients of the list have it empty, and whether the template
 * says what to show then (a `default:` fallback or an `{% if %}`). Used by the template editor and the composer.
 */
import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { StateBadge } from './StateBadge';
import { t } from '../i18n';

export interface FallbackRow {
  field: string;
  /** Whether every use has a fallback or is guarded by a condition. */
  covered: boolean;
}

export function FallbacksPanel({
  fields,
  emptyByField,
  listName,
  listFields,
  headingOrder = 2,
}: {
  fields: FallbackRow[];
  emptyByField: Record<string, number> | undefined;
  listName: string;
  /** The list's fields: a field that isn't one is reported as such instead of a count. */
  listFields: string[];
  headingOrder?: 2 | 3;
}) {
  if (fields.length === 0) return null;
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={t('fallbacks.title')}>
      <Title order={headingOrder} size="h5" mb={4}>
        {t('fallbacks.title')}
      </Title>
      <Text size="xs" c="dimmed" mb={6}>
        {t('fallbacks.intro', { listName })}
      </Text>
      <Stack gap={4}>
        {fields.map((u) => {
          const empty = emptyByField?.[u.field];
          return (
            <Group key={u.field} justify="space-between" wrap="nowrap">
              <Text size="sm" fw={600}>
                {u.field}
              </Text>
              <Group gap={6} wrap="nowrap">
                <Text size="sm">{empty === undefined ? (listFields.includes(u.field) ? '…' : t('fallbacks.notOnList')) : t('fallbacks.empty', { count: empty })}</Text>
                {!!empty && (
                  <StateBadge color={u.covered ? 'green' : 'yellow'}>
                    {u.covered ? t('fallbacks.covered') : t('fallbacks.uncovered')}
                  </StateBadge>
                )}
              </Group>
            </Group>
          );
        })}
      </Stack>
    </Paper>
  );
}
