/**
 * The suppression list: addresses Postroom never sends to, on any list (unsubscribed, bounced, asked not to be
 * mailed). Add by hand, import a file, remove.
 */
import { Button, FileButton, Group, Modal, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { uploadFile } from '../../api';
import { call, invalidate, useAction, useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { CoreError, notifyDone, notifyError } from '../../components/CoreError';
import { Empty } from '../../components/Empty';
import { Page } from '../../components/Page';
import { VirtualTable } from '../../components/VirtualTable';
import type { Suppression } from '../../../../shared/contract/recipients';
import { SUPPRESSION_LABEL } from '../../components/feedback';
import { t } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { coreMessage } from '../../i18n/core-messages';

export function Suppressions() {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const q = useQuery('suppressionsList', { search: debounced || undefined, offset: 0, limit: 1000 }, { refreshOn: ['suppressions:changed'] });
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const remove = useAction('suppressionsRemove');

  const importFile = async (file: File | null) => {
    if (!file) return;
    setImporting(true);
    try {
      const { path } = await uploadFile(file);
      const r = await call('suppressionsImport', { path, reason: t('suppressions.importedFrom', { file: file.name }) });
      if (r.ok) {
        invalidate();
        notifyDone(
          t('suppressions.importDone', { added: r.value.added, already: r.value.already, invalid: r.value.invalid }),
          t('suppressions.importedTitle', { file: file.name }),
        );
      } else notifyError(r.error);
    } catch (err) {
      notifyError({ code: 'FILE_UNREADABLE', message: (err as Error).message });
    } finally {
      setImporting(false);
    }
  };

  const items = q.data?.items ?? [];
  const total = q.data?.total;
  return (
    <Page
      title={t('suppressions.title')}
      description={t('suppressions.description')}
      actions={
        <>
          <Button component="a" href={href('recipients')} variant="default">
            {t('suppressions.backToLists')}
          </Button>
          <FileButton onChange={(f) => void importFile(f)}>
            {(props) => (
              <Button {...props} variant="default" loading={importing}>
                {t('suppressions.importFile')}
              </Button>
            )}
          </FileButton>
          <Button onClick={() => setAdding(true)}>{t('suppressions.add')}</Button>
        </>
      }
    >
      {q.error && <CoreError error={q.error} onRetry={q.reload} />}
      {remove.error && <CoreError error={remove.error} />}
      {total === 0 && !debounced ? (
        <Empty title={t('suppressions.empty')} action={t('suppressions.add')} onAction={() => setAdding(true)}>
          {t('suppressions.emptyBody')}
        </Empty>
      ) : (
        <Stack>
          <Group>
            <TextInput label={t('suppressions.search')} type="search" placeholder={t('suppressions.searchPlaceholder')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={360} />
            <Text size="sm" c="dimmed" mt={24} aria-live="polite">
              {total === undefined ? '' : total > items.length ? t('suppressions.showing', { shown: items.length, total }) : t('suppressions.count', { count: total })}
            </Text>
          </Group>
          <VirtualTable<Suppression>
            label={t('suppressions.table')}
            rowCount={items.length}
            getRow={(i) => items[i]}
            height={Math.min(520, 40 + items.length * 40)}
            rowHeight={40}
            columns={[
              { key: 'email', header: t('suppressions.col.email'), width: 300, render: (s) => s.email },
              { key: 'reason', header: t('suppressions.col.why'), width: 140, render: (s) => t(SUPPRESSION_LABEL[s.reason]) },
              { key: 'campaign', header: t('suppressions.col.campaign'), width: 160, render: (s) => s.campaign ?? '' },
              {
                key: 'detail',
                header: t('suppressions.col.details'),
                width: 300,
                render: (s) => {
                  // Postroom's own description (a report, a soft-bounce streak, an import) in the window's words; a server's or a person's as written.
                  const detail = s.detail !== null && s.detailNote ? coreMessage({ ...s.detailNote, message: s.detail }) : (s.detail ?? '');
                  return <span title={detail}>{detail}</span>;
                },
              },
              { key: 'when', header: t('suppressions.col.since'), width: 130, render: (s) => formatDate(s.createdAt) },
              {
                key: 'remove',
                header: t('suppressions.col.action'),
                width: 140,
                render: (s) => (
                  <Button size="compact-xs" variant="subtle" color="red" aria-label={t('suppressions.removeLabel', { email: s.email })} onClick={() => void remove.run({ emails: [s.email] })}>
                    {t('suppressions.remove')}
                  </Button>
                ),
              },
            ]}
          />
        </Stack>
      )}
      <AddSuppressions opened={adding} onClose={() => setAdding(false)} />
    </Page>
  );
}

function AddSuppressions({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const add = useAction('suppressionsAdd');
  const emails = text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  return (
    <Modal opened={opened} onClose={onClose} title={<Title order={2} size="h4">{t('suppressions.addTitle')}</Title>}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void add.run({ emails, reason: reason.trim() || undefined }).then((r) => {
            if (r.ok) {
              notifyDone(t('suppressions.addDone', { added: r.value.added, already: r.value.already }));
              setText('');
              setReason('');
              onClose();
            }
          });
        }}
      >
        <Stack>
          <Textarea label={t('suppressions.emails')} description={t('suppressions.emailsHint')} autosize minRows={4} maxRows={12} value={text} onChange={(e) => setText(e.currentTarget.value)} data-autofocus />
          <TextInput label={t('suppressions.reason')} placeholder={t('suppressions.reasonPlaceholder')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          {add.error && <CoreError error={add.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" disabled={emails.length === 0} loading={add.busy}>
              {t('suppressions.submit', { count: emails.length })}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function SuppressionsLink() {
  return (
    <Paper withBorder p="md">
      <Group justify="space-between">
        <div>
          <Text fw={600}>{t('suppressions.title')}</Text>
          <Text size="sm" c="dimmed">
            {t('suppressions.linkBody')}
          </Text>
        </div>
        <Button component="a" href={href('recipients', 'suppressions')} variant="default">
          {t('suppressions.open')}
        </Button>
      </Group>
    </Paper>
  );
}
