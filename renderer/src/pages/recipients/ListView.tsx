/** One list: its recipients in a virtualised table with search, and a recipient's details in a drawer. */
import { Button, Drawer, Group, Menu, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import type { ListSummary, Recipient } from '../../../../shared/contract/recipients';
import { useAction, useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { CoreError, notifyDone } from '../../components/CoreError';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { usePagedRecipients } from './usePagedRecipients';
import { CampaignHistory } from './CampaignHistory';

export function ListView({ listId, query }: { listId: number; query: URLSearchParams }) {
  const lists = useQuery('listsList', {});
  const list = lists.data?.find((l) => l.id === listId);
  if (lists.data && !list)
    return (
      <Page title="List not found">
        <Empty title="This list isn't there any more" action="Back to lists" actionHref={href('recipients')}>
          It may have been deleted, here or from the command line.
        </Empty>
      </Page>
    );
  return (
    <Loading data={list} error={lists.error} reload={lists.reload}>
      {(l) => <ListContent list={l} initialSearch={query.get('q') ?? ''} />}
    </Loading>
  );
}

function ListContent({ list, initialSearch }: { list: ListSummary; initialSearch: string }) {
  const [search, setSearch] = useState(initialSearch);
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const paged = usePagedRecipients(list.id, debounced);
  const [open, setOpen] = useState<Recipient | undefined>();
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const columns = useMemo<Column<Recipient>[]>(() => {
    const extra = list.fields.filter((f) => f !== 'email');
    return [
      {
        key: 'email',
        header: 'E-mail address',
        width: 280,
        render: (r) => (
          // A plain link (not Mantine's Anchor): hundreds of these render while scrolling.
          <a
            className="row-link"
            href={href('recipients', 'lists', list.id)}
            onClick={(e) => {
              e.preventDefault();
              e.stopPropagation();
              setOpen(r);
            }}
          >
            {r.email}
          </a>
        ),
      },
      ...extra.map((f) => ({ key: `f:${f}`, header: f, width: 160, render: (r: Recipient) => r.fields[f] ?? '' })),
    ];
  }, [list.fields, list.id]);

  return (
    <Page
      title={list.name}
      description={`${list.recipients.toLocaleString()} recipients${list.source ? ` · imported from ${list.source}` : ''} · fields: ${list.fields.join(', ')}`}
      actions={
        <>
          <Button component="a" href={`${href('recipients', 'import')}?list=${list.id}`}>
            Import more into this list
          </Button>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button variant="default">More…</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setRenaming(true)}>Rename list</Menu.Item>
              <Menu.Item color="red" onClick={() => setDeleting(true)}>
                Delete list…
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </>
      }
    >
      <Group>
        <TextInput
          label="Search"
          placeholder="Address, name or any field"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={360}
          type="search"
        />
        <Text size="sm" c="dimmed" mt={24} aria-live="polite">
          {paged.total === undefined ? 'Searching…' : debounced ? `${paged.total.toLocaleString()} of ${list.recipients.toLocaleString()} match` : `${paged.total.toLocaleString()} recipients`}
        </Text>
      </Group>
      {paged.error && <CoreError error={paged.error} onRetry={paged.reload} />}
      {paged.total === 0 && list.recipients === 0 ? (
        <Empty title="This list is empty" action="Import a spreadsheet" actionHref={`${href('recipients', 'import')}?list=${list.id}`}>
          Import a spreadsheet into this list to add people to it.
        </Empty>
      ) : paged.total === 0 ? (
        <Text c="dimmed">Nobody in this list matches “{debounced}”.</Text>
      ) : (
        <VirtualTable<Recipient>
          label={`Recipients of ${list.name}`}
          columns={columns}
          rowCount={paged.total ?? 0}
          getRow={paged.getRow}
          onRange={paged.onRange}
          onRowClick={(r) => setOpen(r)}
          height="calc(100vh - 330px)"
        />
      )}
      <RecipientDrawer recipient={open} list={list} onClose={() => setOpen(undefined)} />
      <RenameList list={list} opened={renaming} onClose={() => setRenaming(false)} />
      <DeleteList list={list} opened={deleting} onClose={() => setDeleting(false)} />
    </Page>
  );
}

function RecipientDrawer({ recipient: r, list, onClose }: { recipient?: Recipient; list: ListSummary; onClose: () => void }) {
  return (
    <Drawer opened={!!r} onClose={onClose} position="right" size="md" title={r ? <Title order={2} size="h4">{r.email}</Title> : undefined} closeButtonProps={{ 'aria-label': 'Close the details' }}>
      {r && (
        <Stack>
          <Text size="sm" c="dimmed">
            In {list.name} since {new Date(r.createdAt).toLocaleDateString()}
            {r.updatedAt !== r.createdAt ? `, last updated ${new Date(r.updatedAt).toLocaleDateString()}` : ''}.
          </Text>
          <Table withTableBorder aria-label="Fields">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={160}>email</Table.Th>
                <Table.Td>{r.email}</Table.Td>
              </Table.Tr>
              {r.name !== null && (
                <Table.Tr>
                  <Table.Th>name</Table.Th>
                  <Table.Td>{r.name}</Table.Td>
                </Table.Tr>
              )}
              {Object.entries(r.fields).map(([k, v]) => (
                <Table.Tr key={k}>
                  <Table.Th>{k}</Table.Th>
                  <Table.Td style={{ wordBreak: 'break-word', whiteSpace: 'pre-wrap' }}>{v === '' ? <Text span c="dimmed" size="sm">empty</Text> : v}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <CampaignHistory email={r.email} />
        </Stack>
      )}
    </Drawer>
  );
}

function RenameList({ list, opened, onClose }: { list: ListSummary; opened: boolean; onClose: () => void }) {
  const [name, setName] = useState(list.name);
  const rename = useAction('listsRename');
  return (
    <Modal opened={opened} onClose={onClose} title="Rename list">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void rename.run({ id: list.id, name }).then((r) => r.ok && onClose());
        }}
      >
        <Stack>
          <TextInput label="New name" value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus required />
          {rename.error && <CoreError error={rename.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={rename.busy}>
              Rename
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteList({ list, opened, onClose }: { list: ListSummary; opened: boolean; onClose: () => void }) {
  const del = useAction('listsDelete');
  const [typed, setTyped] = useState('');
  return (
    <Modal opened={opened} onClose={onClose} title={`Delete “${list.name}”?`}>
      <Stack>
        <Text size="sm">
          This removes the list and its {list.recipients.toLocaleString()} recipients from Postroom. Campaigns already sent keep
          their own record of who they went to. Your spreadsheet file is not touched.
        </Text>
        <TextInput label={`Type the list's name (${list.name}) to confirm`} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />
        {del.error && <CoreError error={del.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep the list
          </Button>
          <Button
            color="red"
            disabled={typed.trim() !== list.name}
            loading={del.busy}
            onClick={() =>
              void del.run({ id: list.id }).then((r) => {
                if (r.ok) {
                  notifyDone(`Deleted “${list.name}” and its ${r.value.deleted.toLocaleString()} recipients.`);
                  navigate(href('recipients'));
                }
              })
            }
          >
            Delete {list.recipients.toLocaleString()} recipients
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
