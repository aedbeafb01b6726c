/**
 * Import, step 1: drop or choose a spreadsheet.
 */
import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { Dropzone, type FileWithPath } from '@mantine/dropzone';
import { useRef } from 'react';
import type { AppError } from '../../../../../shared/result';
import { t } from '../../../i18n';
import { CoreError } from '../../../components/CoreError';

export function ChooseFile({ onFile, busy, error, note }: { onFile: (f: File) => void; busy?: string; error?: AppError; note?: string }) {
  const openRef = useRef<() => void>(null);
  return (
    <Stack>
      {error && <CoreError error={error} />}
      {note && <Alert color="blue">{note}</Alert>}
      <Dropzone
        openRef={openRef}
        onDrop={(files: FileWithPath[]) => files[0] && onFile(files[0])}
        multiple={false}
        loading={!!busy}
        activateOnClick={false}
        aria-label={t('import.drop')}
        inputProps={{ 'aria-label': t('import.fileInput') }}
      >
        <Stack align="center" gap="xs" py="xl" style={{ pointerEvents: 'none' }}>
          <Title order={2} size="h4">
            {busy ? t('import.reading', { file: busy }) : t('import.drop')}
          </Title>
          <Text size="sm" c="dimmed" ta="center" maw={520}>
            {t('import.dropHint')}
          </Text>
        </Stack>
      </Dropzone>
      <Group justify="center">
        <Button onClick={() => openRef.current?.()} disabled={!!busy}>
          {t('import.chooseFile')}
        </Button>
      </Group>
    </Stack>
  );
}
