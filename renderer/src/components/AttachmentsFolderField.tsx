/**
 * The folder each person's own attachment is read from (compose/attachments.ts decides what may be read): a path
 * field everywhere, with the system's folder picker in the desktop app. The core checks the folder when it is
 * saved and the preview says what is wrong with a person's file.
 */
import { Button, Group, TextInput } from '@mantine/core';
import { useState } from 'react';
import { call, useQuery } from '../api/hooks';
import { t } from '../i18n';

/** A full path: `/…` on Linux and macOS, `C:\…` or `\\server\…` on Windows. */
function isFullPath(p: string): boolean {
  return /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(p);
}

export function AttachmentsFolderField({ value, onChange }: { value: string | null; onChange: (folder: string | null) => void }) {
  const info = useQuery('appInfo', {});
  const [typed, setTyped] = useState(value ?? '');
  const [pickError, setPickError] = useState<string | null>(null);
  const text = typed.trim();
  const error = text && !isFullPath(text) ? t('attachFolder.fullPath') : pickError;

  const commit = (next: string) => {
    setTyped(next);
    const folder = next.trim();
    onChange(folder && isFullPath(folder) ? folder : null);
  };

  const choose = async () => {
    const r = await call('appChooseFolder', { title: t('attachFolder.pickTitle'), ...(text ? { defaultPath: text } : {}) });
    if (!r.ok) return setPickError(r.error.message);
    setPickError(null);
    if (r.value.folder) commit(r.value.folder);
  };

  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <TextInput
        flex={1}
        size="xs"
        label={t('attachFolder.label')}
        description={t('attachFolder.hint')}
        placeholder="/Users/ann/Invoices"
        value={typed}
        error={error}
        onChange={(e) => commit(e.currentTarget.value)}
      />
      {info.data?.host === 'desktop' && (
        <Button size="xs" variant="default" onClick={() => void choose()}>
          {t('attachFolder.choose')}
        </Button>
      )}
    </Group>
  );
}
