/**
 * Import, step 4: what the import did, the rows it skipped and why, and the next step.
 */
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ImportSummary, SkippedRow } from '../../../../../shared/contract/recipients';
import type { AppError } from '../../../../../shared/result';
import { call } from '../../../api/hooks';
import { href, navigate } from '../../../app/router';
import { t } from '../../../i18n';
import { formatNumber } from '../../../i18n/format';
import { NextStep } from '../../../components/NextStep';
import { CoreError } from '../../../components/CoreError';
import { downloadText } from '../../../components/download';
import { VirtualTable } from '../../../components/VirtualTable';

const KIND_LABEL = { invalid: 'import.kind.invalid', duplicate: 'import.kind.duplicate', suppressed: 'import.kind.suppressed' } as const;

function Stat({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {/* Shade 9 in light (shade 6 green is 2.7:1 on white), the light variant's text colour in dark. */}
      <Text size="xl" fw={700} c={color ? `light-dark(var(--mantine-color-${color}-9), var(--mantine-color-${color}-4))` : undefined}>
        {formatNumber(value)}
      </Text>
    </Paper>
  );
}

export function SummaryStep({ summary: s, onAnother }: { summary: ImportSummary; onAnother: () => void }) {
  const [exportError, setExportError] = useState<AppError | undefined>();
  const skipped = s.duplicates + s.invalid + s.suppressed;
  const exportSkipped = async () => {
    const r = await call('listsSkippedCsv', { importId: s.importId });
    if (r.ok) downloadText(r.value.fileName, r.value.csv);
    else setExportError(r.error);
  };
  return (
    <Stack>
      <Alert color={skipped ? 'yellow' : 'green'} variant="light" title={t('import.summaryTitle', { count: s.imported + s.updated, list: s.list })}>
        {t('import.summaryRead', { count: s.rows, seconds: s.durationMs / 1000, skipped })}
      </Alert>
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        <Stat label={t('import.stat.added')} value={s.imported} color="green" />
        <Stat label={t('import.stat.updated')} value={s.updated} />
        <Stat label={t('import.stat.duplicates')} value={s.duplicates} />
        <Stat label={t('import.stat.invalid')} value={s.invalid} color={s.invalid ? 'red' : undefined} />
        <Stat label={t('import.stat.suppressed')} value={s.suppressed} />
      </SimpleGrid>
      {s.warnings.map((w, i) => (
        <Alert key={i} color="yellow" variant="light">
          {w}
        </Alert>
      ))}
      {s.errors.length > 0 && (
        <Paper withBorder p="md">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              {t('import.skippedRows')}
            </Title>
            <Button variant="default" onClick={() => void exportSkipped()}>
              {t('import.exportSkipped')}
            </Button>
          </Group>
          {exportError && <CoreError error={exportError} />}
          <VirtualTable<SkippedRow>
            label={t('import.skippedRows')}
            height={Math.min(400, 38 + s.errors.length * 36)}
            rowCount={s.errors.length}
            getRow={(i) => s.errors[i]}
            columns={[
              { key: 'row', header: t('import.row'), width: 90, align: 'right', render: (r) => formatNumber(r.row) },
              { key: 'kind', header: t('import.why'), width: 130, render: (r) => t(KIND_LABEL[r.kind]) },
              { key: 'reason', header: t('import.details'), width: 400, render: (r) => r.reason },
            ]}
          />
          {s.errorsOmitted > 0 && (
            <Text size="sm" c="dimmed" mt="xs">
              {t('import.more', { count: s.errorsOmitted })}
            </Text>
          )}
        </Paper>
      )}
      <Group>
        <NextStep after="recipients" />
        <Button variant="default" onClick={() => navigate(href('recipients', 'lists', s.listId))}>
          {t('import.openList')}
        </Button>
        <Button variant="default" onClick={onAnother}>
          {t('import.another')}
        </Button>
      </Group>
    </Stack>
  );
}
