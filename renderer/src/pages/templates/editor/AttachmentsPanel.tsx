/**
 * Attachments: the files every message carries (added once the template is saved, inline images marked), and the
 * list field that names a file of each person's own, with the folder those files are in.
 */
import { ActionIcon, Button, FileButton, Group, Paper, Select, Stack, Text, Title, Tooltip } from '@mantine/core';
import type { Dispatch, SetStateAction } from 'react';
import { uploadFile } from '../../../api';
import { call } from '../../../api/hooks';
import { notifyDone, notifyError } from '../../../components/CoreError';
import { AttachmentsFolderField } from '../../../components/AttachmentsFolderField';
import type { TemplateAttachment, TemplateDraft } from '../../../../../shared/contract/templates';
import type { SetDraftField } from './draft';
import { t } from '../../../i18n';
import { formatSize } from '../../../i18n/format';

interface Props {
  /** The saved template's id (undefined before the first save: files attach to a saved template). */
  templateId: number | undefined;
  attachments: TemplateAttachment[];
  setAttachments: Dispatch<SetStateAction<TemplateAttachment[]>>;
  draft: TemplateDraft;
  set: SetDraftField;
  /** The chosen list's fields besides `email`, for the per-person attachment. */
  listFields: string[];
}

export function AttachmentsPanel({ templateId: id, attachments, setAttachments, draft, set, listFields }: Props) {
  const addAttachment = async (file: File | null) => {
    if (!file || id === undefined) return;
    try {
      const up = await uploadFile(file);
      const r = await call('templatesAddAttachment', { templateId: id, path: up.path, filename: file.name });
      if (!r.ok) return notifyError(r.error);
      setAttachments((a) => [...a, r.value]);
      notifyDone(t('templateEditor.attached', { file: file.name }), t('templateEditor.attachedTitle'));
    } catch (err) {
      notifyError({ code: 'FILE_UNREADABLE', message: (err as Error).message });
    }
  };
  const removeAttachment = async (a: TemplateAttachment) => {
    if (id === undefined) return;
    const r = await call('templatesRemoveAttachment', { templateId: id, attachmentId: a.id });
    if (!r.ok) return notifyError(r.error);
    setAttachments((all) => all.filter((x) => x.id !== a.id));
  };

  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={t('templateEditor.attachments')}>
      <Group justify="space-between" mb={4}>
        <Title order={2} size="h5">
          {t('templateEditor.attachments')}
        </Title>
        {id !== undefined && (
          <FileButton onChange={(f) => void addAttachment(f)}>
            {(props) => (
              <Button {...props} size="xs" variant="default">
                {t('templateEditor.attach')}
              </Button>
            )}
          </FileButton>
        )}
      </Group>
      {id === undefined ? (
        <Text size="sm" c="dimmed">
          {t('templateEditor.saveFirst')}
        </Text>
      ) : attachments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('templateEditor.noFiles')}
        </Text>
      ) : (
        <Stack gap={4}>
          {attachments.map((a) => (
            <Group key={a.id} justify="space-between" wrap="nowrap">
              <Text size="sm">
                {a.filename}{' '}
                <Text span c="dimmed" size="sm">
                  {formatSize(a.size)}
                  {a.cid ? t('templateEditor.inline') : ''}
                </Text>
              </Text>
              <Tooltip label={t('templateEditor.remove', { file: a.filename })}>
                <ActionIcon variant="subtle" color="red" aria-label={t('templateEditor.remove', { file: a.filename })} onClick={() => void removeAttachment(a)}>
                  ×
                </ActionIcon>
              </Tooltip>
            </Group>
          ))}
        </Stack>
      )}
      {listFields.length > 0 && (
        <Select
          mt="xs"
          size="xs"
          label={t('templateEditor.perPerson')}
          description={t('templateEditor.perPersonHint')}
          placeholder={t('templateEditor.none')}
          clearable
          data={listFields}
          value={draft.attachField}
          onChange={(v) => set('attachField', v)}
        />
      )}
      {draft.attachField && <AttachmentsFolderField value={draft.attachmentsDir ?? null} onChange={(v) => set('attachmentsDir', v)} />}
    </Paper>
  );
}
