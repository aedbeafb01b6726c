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
      const r = await call('suppressionsImport', { path, reason: `Imported from ${file.name}` });
      if (r.ok) {
        invalidate();
        notifyDone(
          `${r.value.added.toLocaleString()} added, ${r.value.already.toLocaleString()} already suppressed, ${r.value.invalid.toLocaleString()} not e-mail addresses.`,
          `Imported ${file.name}`,
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
      title="Suppression list"
      description="Addresses Postroom never sends to, whichever list they are on: people who unsubscribed, addresses that bounced, anyone who asked not to be mailed."
      actions={
        <>
          <Button component="a" href={href('recipients')} variant="default">
            Back to lists
          </Button>
          <FileButton onChange={(f) => void importFile(f)}>
            {(props) => (
              <Button {...props} variant="default" loading={importing}>
                Import a file…
              </Button>
            )}
          </FileButton>
          <Button onClick={() => setAdding(true)}>Add addresses</Button>
        </>
      }
    >
      {q.error && <CoreError error={q.error} onRetry={q.reload} />}
      {remove.error && <CoreError error={remove.error} />}
      {total === 0 && !debounced ? (
        <Empty title="Nobody is suppressed" action="Add addresses" onAction={() => setAdding(true)}>
          When someone asks not to get your mail, add their address here: Postroom will skip it in every campaign, even if it is
          imported again.
        </Empty>
      ) : (
        <Stack>
          <Group>
            <TextInput label="Search" type="search" placeholder="Address, reason or campaign" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={360} />
            <Text size="sm" c="dimmed" mt={24} aria-live="polite">
              {total === undefined ? '' : total > items.length ? `Showing ${items.length.toLocaleString()} of ${total.toLocaleString()}: search to narrow it down` : `${total.toLocaleString()} suppressed`}
            </Text>
          </Group>
          <VirtualTable<Suppression>
            label="Suppressed addresses"
            rowCount={items.length}
            getRow={(i) => items[i]}
            height={Math.min(520, 40 + items.length * 40)}
            rowHeight={40}
            columns={[
              { key: 'email', header: 'E-mail address', width: 300, render: (s) => s.email },
              { key: 'reason', header: 'Why', width: 140, render: (s) => SUPPRESSION_LABEL[s.reason] },
              { key: 'campaign', header: 'Campaign', width: 160, render: (s) => s.campaign ?? '' },
              { key: 'detail', header: 'Details', width: 300, render: (s) => <span title={s.detail ?? ''}>{s.detail ?? ''}</span> },
              { key: 'when', header: 'Since', width: 130, render: (s) => new Date(s.createdAt).toLocaleDateString() },
              {
                key: 'remove',
                header: 'Action',
                width: 140,
                render: (s) => (
                  <Button size="compact-xs" variant="subtle" color="red" aria-label={`Remove ${s.email} from the suppression list`} onClick={() => void remove.run({ emails: [s.email] })}>
                    Remove
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
    <Modal opened={opened} onClose={onClose} title={<Title order={2} size="h4">Add to the suppression list</Title>}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void add.run({ emails, reason: reason.trim() || undefined }).then((r) => {
            if (r.ok) {
              notifyDone(`${r.value.added.toLocaleString()} added${r.value.already ? `, ${r.value.already.toLocaleString()} were already on it` : ''}.`);
              setText('');
              setReason('');
              onClose();
            }
          });
        }}
      >
        <Stack>
          <Textarea label="E-mail addresses" description="One per line, or separated by commas." autosize minRows={4} maxRows={12} value={text} onChange={(e) => setText(e.currentTarget.value)} data-autofocus />
          <TextInput label="Reason (optional)" placeholder="Asked to unsubscribe by phone" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          {add.error && <CoreError error={add.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={emails.length === 0} loading={add.busy}>
              {emails.length > 1 ? `Suppress ${emails.length} addresses` : 'Suppress'}
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
          <Text fw={600}>Suppression list</Text>
          <Text size="sm" c="dimmed">
            Addresses never sent to, on any list.
          </Text>
        </div>
        <Button component="a" href={href('recipients', 'suppressions')} variant="default">
          Open the suppression list
        </Button>
      </Group>
    </Paper>
  );
}
