/**
 * Import, step 3: the import running, with its progress and a way to stop it that leaves the list as it was.
 */
import { Button, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { ImportProgress, ImportSummary, ReadOptions } from '../../../../../shared/contract/recipients';
import type { AppError } from '../../../../../shared/result';
import { api } from '../../../api';
import { call, invalidate } from '../../../api/hooks';
import { t } from '../../../i18n';
import { CoreError } from '../../../components/CoreError';

export function ImportingStep({
  fileName,
  request,
  onDone,
  onStopped,
}: {
  fileName: string;
  request: ReadOptions & { importId: string; listId?: number; listName?: string };
  onDone: (s: ImportSummary) => void;
  onStopped: (note?: string) => void;
}) {
  const [progress, setProgress] = useState<ImportProgress | undefined>();
  const [error, setError] = useState<AppError | undefined>();
  const [cancelling, setCancelling] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    const off = api.on('lists:importProgress', (p) => {
      if (p.importId === request.importId) setProgress(p);
    });
    if (!started.current) {
      started.current = true;
      void call('listsImport', request).then((r) => {
        if (r.ok) {
          invalidate();
          onDone(r.value);
        } else if (r.error.code === 'CANCELLED') onStopped(t('import.stopped'));
        else setError(r.error);
      });
    }
    return off;
    // The import runs once per importId; request and the callbacks belong to it.
  }, [request.importId]);

  const pct = progress && progress.bytesTotal > 0 ? Math.min(100, (progress.bytesRead / progress.bytesTotal) * 100) : 0;
  if (error)
    return (
      <Stack>
        <CoreError error={error} />
        <Group>
          <Button variant="default" onClick={() => onStopped()}>
            {t('import.backToPreview')}
          </Button>
        </Group>
      </Stack>
    );
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('import.importing', { file: fileName })}
        </Title>
        <Progress value={pct} animated aria-label={t('import.progress')} />
        <Text size="sm" aria-live="polite">
          {progress
            ? progress.phase === 'saving'
              ? t('import.saving', { count: progress.rows })
              : t('import.readSoFar', { count: progress.rows, pct: Math.round(pct) / 100, invalid: progress.invalid, duplicates: progress.duplicates, rate: progress.rate })
            : t('import.starting')}
        </Text>
        <Text size="sm" c="dimmed">
          {t('import.nothingSaved')}
        </Text>
        <Group>
          <Button
            color="red"
            variant="light"
            loading={cancelling}
            onClick={() => {
              setCancelling(true);
              void call('listsCancelImport', { importId: request.importId });
            }}
          >
            {t('import.stop')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
