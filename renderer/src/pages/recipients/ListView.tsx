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
import { t } from '../../i18n';
import { formatDate } from '../../i18n/format';

export function ListView({ listId, query }: { listId: number; query: URLSearchParams }) {
  const lists = useQuery('listsList', {});
  const list = lists.data?.find((l) => l.id === listId);
  if (lists.data && !list)
    return (
      <Page title={t('list.notFound')}>
        <Empty title={t('list.gone')} action={t('list.backToLists')} actionHref={href('recipients')}>
          {t('list.goneBody')}
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
        header: t('list.col.email'),
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
      description={`${t('list.count', { count: list.recipients })}${list.source ? ` · ${t('list.importedFrom', { source: list.source })}` : ''} · ${t('list.fields', { fields: list.fields.join(', ') })}`}
      actions={
        <>
          <Button component="a" href={`${href('recipients', 'import')}?list=${list.id}`}>
            {t('list.importMore')}
          </Button>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button variant="default">{t('list.more')}</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setRenaming(true)}>{t('list.rename')}</Menu.Item>
              <Menu.Item color="red" onClick={() => setDeleting(true)}>
                {t('list.delete')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </>
      }
    >
      <Group>
        <TextInput
          label={t('list.search')}
          placeholder={t('list.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={360}
          type="search"
        />
        <Text size="sm" c="dimmed" mt={24} aria-live="polite">
          {paged.total === undefined ? t('list.searching') : debounced ? t('list.matches', { n: paged.total, total: list.recipients }) : t('list.count', { count: paged.total })}
        </Text>
      </Group>
      {paged.error && <CoreError error={paged.error} onRetry={paged.reload} />}
      {paged.total === 0 && list.recipients === 0 ? (
        <Empty title={t('list.empty')} action={t('common.importSpreadsheet')} actionHref={`${href('recipients', 'import')}?list=${list.id}`}>
          {t('list.emptyBody')}
        </Empty>
      ) : paged.total === 0 ? (
        <Text c="dimmed">{t('list.noMatch', { search: debounced })}</Text>
      ) : (
        <VirtualTable<Recipient>
          label={t('list.tableLabel', { name: list.name })}
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
    <Drawer opened={!!r} onClose={onClose} position="right" size="md" title={r ? <Title order={2} size="h4">{r.email}</Title> : undefined} closeButtonProps={{ 'aria-label': t('list.closeDetails') }}>
      {r && (
        <Stack>
          <Text size="sm" c="dimmed">
            {r.updatedAt !== r.createdAt ? t('list.sinceUpdated', { name: list.name, since: formatDate(r.createdAt), updated: formatDate(r.updatedAt) }) : t('list.since', { name: list.name, since: formatDate(r.createdAt) })}
          </Text>
          <Table withTableBorder aria-label={t('lists.col.fields')}>
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
                  <Table.Td style={{ wordBreak: 'break-word', whiteSpace: 'pre-wrap' }}>{v === '' ? <Text span c="dimmed" size="sm">{t('list.emptyValue')}</Text> : v}</Table.Td>
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
    <Modal opened={opened} onClose={onClose} title={t('list.rename')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void rename.run({ id: list.id, name }).then((r) => r.ok && onClose());
        }}
      >
        <Stack>
          <TextInput label={t('list.newName')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus required />
          {rename.error && <CoreError error={rename.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={rename.busy}>
              {t('list.renameButton')}
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
    <Modal opened={opened} onClose={onClose} title={t('list.deleteTitle', { name: list.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack>
        <Text size="sm">
          {t('list.deleteBody', { count: list.recipients })}
        </Text>
        <TextInput label={t('list.deleteConfirm', { name: list.name })} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />
        {del.error && <CoreError error={del.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('list.keep')}
          </Button>
          <Button
            color="red"
            disabled={typed.trim() !== list.name}
            loading={del.busy}
            onClick={() =>
              void del.run({ id: list.id }).then((r) => {
                if (r.ok) {
                  notifyDone(t('list.deleted', { name: list.name, count: r.value.deleted }));
                  navigate(href('recipients'));
                }
              })
            }
          >
            {t('list.deleteButton', { count: list.recipients })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
