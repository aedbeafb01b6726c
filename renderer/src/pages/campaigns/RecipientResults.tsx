/**
 * Every recipient of a campaign with their state, attempts and the server's last reply: a virtualised table
 * (100,000 rows draw as fast as 100) read from the core a page at a time, filtered by state or searched, with
 * each person's full history of attempts one click (or Enter) away.
 */
import { CameBack } from './CameBack';
import { Anchor, Group, Loader, Modal, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { StateBadge } from '../../components/StateBadge';
import { useDebouncedValue } from '@mantine/hooks';
import { memo, startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call, useQuery } from '../../api/hooks';
import { CoreError } from '../../components/CoreError';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import type { Attempt, OutboxRow, RowState } from '../../../../shared/contract/sending';
import type { AppError } from '../../../../shared/result';

export const ROW_STATE_WORDS: Record<RowState, { label: string; color: string }> = {
  queued: { label: 'Waiting', color: 'gray' },
  sending: { label: 'Sending', color: 'blue' },
  sent: { label: 'Sent', color: 'green' },
  deferred: { label: 'Retrying', color: 'yellow' },
  failed: { label: 'Failed', color: 'red' },
  skipped: { label: 'Skipped', color: 'grape' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

export type Filter = 'all' | RowState;
const PAGE = 200;

type Counts = Partial<Record<RowState, number>> & { total: number };
const COUNT_KEYS = ['total', 'sent', 'queued', 'deferred', 'failed', 'skipped', 'cancelled'] as const;
const sameCounts = (a: Counts, b: Counts) => COUNT_KEYS.every((k) => a[k] === b[k]);

/** The same person in the same state as before: keep the old object, so that row isn't redrawn. */
const sameRow = (a: OutboxRow, b: OutboxRow) =>
  a.id === b.id &&
  a.state === b.state &&
  a.attempts === b.attempts &&
  a.lastResponse === b.lastResponse &&
  a.nextAttemptAt === b.nextAttemptAt &&
  a.sentAt === b.sentAt &&
  a.possibleDuplicate === b.possibleDuplicate &&
  a.email === b.email &&
  a.name === b.name &&
  a.messageId === b.messageId;

/** Redrawn only when a count it shows changes, not on every status the page receives. */
export const RecipientResults = memo(
  RecipientResultsTable,
  (a, b) => a.campaign === b.campaign && a.initialFilter === b.initialFilter && sameCounts(a.counts, b.counts),
);

function RecipientResultsTable({ campaign, counts, initialFilter = 'all' }: { campaign: number; counts: Counts; initialFilter?: Filter }) {
  const [filter, setFilter] = useState<Filter>(initialFilter);
  const [search, setSearch] = useState('');
  const [debSearch] = useDebouncedValue(search, 300);
  const [total, setTotal] = useState<number | undefined>();
  const [error, setError] = useState<AppError | undefined>();
  const pages = useRef(new Map<number, OutboxRow[]>());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState<OutboxRow | null>(null);

  const load = useCallback(
    (page: number, force = false) => {
      if (loading.current.has(page) || (!force && pages.current.has(page))) return;
      loading.current.add(page);
      const gen = generation.current;
      void call('campaignsRecipients', {
        campaign,
        offset: page * PAGE,
        limit: PAGE,
        ...(filter === 'all' ? {} : { state: filter }),
        ...(debSearch.trim() ? { search: debSearch.trim() } : {}),
      }).then((r) => {
        loading.current.delete(page);
        if (gen !== generation.current) return;
        if (!r.ok) return setError(r.error);
        setError(undefined);
        const before = pages.current.get(page);
        const rows = before ? r.value.rows.map((row, i) => (before[i] && sameRow(before[i], row) ? before[i] : row)) : r.value.rows;
        const changed = !before || rows.length !== before.length || rows.some((row, i) => row !== before[i]);
        pages.current.set(page, rows);
        // Redrawing rows that were re-read is not urgent: React may split it and let scrolling or typing go first.
        startTransition(() => {
          setTotal(r.value.total);
          if (changed) setTick((t) => t + 1);
        });
      });
    },
    [campaign, filter, debSearch],
  );

  // A new filter or search starts from scratch.
  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    loading.current = new Set();
    setTotal(undefined);
    load(0, true);
  }, [load]);

  // While sending, re-read the pages on screen when the counts this filter shows change (any of them for "all",
  // whose rows change state; only its own for one state), at most once a second (the trailing change included,
  // so the last state always shows): at ten events a second, re-reading on each would be most of the main
  // thread's work for a table nobody reads that fast.
  const visible = useRef<[number, number]>([0, 0]);
  const countsKey = filter === 'all' ? COUNT_KEYS.map((k) => counts[k] ?? 0).join(',') : `${counts.total},${counts[filter] ?? 0}`;
  const lastKey = useRef(countsKey);
  const lastRead = useRef(0);
  useEffect(() => {
    if (countsKey === lastKey.current) return;
    const t = setTimeout(
      () => {
        lastKey.current = countsKey;
        lastRead.current = Date.now();
        const [a, b] = visible.current;
        for (let pg = Math.floor(a / PAGE); pg <= Math.floor(b / PAGE); pg++) load(pg, true);
        if (pages.current.size === 0) load(0, true);
      },
      Math.max(0, 1000 - (Date.now() - lastRead.current)),
    );
    return () => clearTimeout(t);
  }, [countsKey, load]);

  // Follow the page's suggestion (e.g. "failed" once a send ends with failures) until the person picks a filter.
  const picked = useRef(false);
  useEffect(() => {
    if (!picked.current) setFilter(initialFilter);
  }, [initialFilter]);

  // Stable callbacks and columns: a new count redraws the filter labels above the table, not its rows.
  const getRow = useCallback((i: number) => pages.current.get(Math.floor(i / PAGE))?.[i % PAGE], []);
  const onRange = useCallback(
    (start: number, end: number) => {
      visible.current = [start, end];
      for (let pg = Math.floor(start / PAGE); pg <= Math.floor(end / PAGE); pg++) load(pg);
    },
    [load],
  );

  const closeDetails = useCallback(() => setOpen(null), []);
  const columns = useMemo<Column<OutboxRow>[]>(
    () => [
      {
        key: 'email',
        header: 'Recipient',
        width: 260,
        render: (r) => (
          <Anchor component="button" type="button" size="sm" onClick={() => setOpen(r)} aria-label={`Details for ${r.email}`} maw={236} truncate="end" style={{ textAlign: 'left' }}>
            {r.email}
          </Anchor>
        ),
      },
      { key: 'name', header: 'Name', width: 150, render: (r) => r.name ?? '' },
      {
        key: 'state',
        header: 'State',
        width: 110,
        render: (r) => <StateBadge color={ROW_STATE_WORDS[r.state].color}>{ROW_STATE_WORDS[r.state].label}</StateBadge>,
      },
      { key: 'attempts', header: 'Tries', width: 76, align: 'right', render: (r) => r.attempts },
      { key: 'reply', header: "Server's reply", width: 300, render: (r) => <span title={r.lastResponse ?? ''}>{r.lastResponse ?? ''}</span> },
      { key: 'back', header: 'Came back', width: 300, render: (r) => <CameBack feedback={r.feedback} /> },
    ],
    [],
  );

  const options: Array<{ value: Filter; label: string }> = [
    { value: 'all', label: `All ${counts.total.toLocaleString()}` },
    { value: 'sent', label: `Sent ${(counts.sent ?? 0).toLocaleString()}` },
    { value: 'queued', label: `Waiting ${(counts.queued ?? 0).toLocaleString()}` },
    { value: 'deferred', label: `Retrying ${(counts.deferred ?? 0).toLocaleString()}` },
    { value: 'failed', label: `Failed ${(counts.failed ?? 0).toLocaleString()}` },
    { value: 'skipped', label: `Skipped ${(counts.skipped ?? 0).toLocaleString()}` },
  ];
  if (counts.cancelled) options.push({ value: 'cancelled', label: `Cancelled ${counts.cancelled.toLocaleString()}` });

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <SegmentedControl aria-label="Show recipients" value={filter} onChange={(v) => {
          picked.current = true;
          setFilter(v as Filter);
        }} data={options} size="xs" />
        <TextInput aria-label="Search recipients" placeholder="Search by address or name" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} size="xs" />
      </Group>
      {error && <CoreError error={error} onRetry={() => load(0, true)} />}
      {total === undefined ? (
        <Loader size="sm" aria-label="Loading recipients" />
      ) : total === 0 ? (
        <Text size="sm" c="dimmed">
          {debSearch.trim() ? `Nobody matches “${debSearch.trim()}”.` : 'Nobody in this state.'}
        </Text>
      ) : (
        <ResultsTable columns={columns} rowCount={total} getRow={getRow} onRange={onRange} version={tick} />
      )}
      <AttemptsModal campaign={campaign} row={open} onClose={closeDetails} />
    </Stack>
  );
}

/** The table itself, redrawn only when its rows (`version`) or their number change. */
const ResultsTable = memo(function ResultsTable({
  columns,
  rowCount,
  getRow,
  onRange,
}: {
  columns: Column<OutboxRow>[];
  rowCount: number;
  getRow: (i: number) => OutboxRow | undefined;
  onRange: (start: number, end: number) => void;
  version: number;
}) {
  return <VirtualTable label="Recipients of this campaign" columns={columns} rowCount={rowCount} getRow={getRow} onRange={onRange} height={Math.min(420, (rowCount + 1) * 36 + 4)} />;
});

/** Memoised: closed, it has nothing to redraw when the counts above change. */
const AttemptsModal = memo(function AttemptsModal({ campaign, row, onClose }: { campaign: number; row: OutboxRow | null; onClose: () => void }) {
  const q = useQuery('campaignsAttempts', { campaign, email: row?.email ?? '' }, { enabled: row !== null, live: false });
  // While another row's attempts are on their way, nothing of the last row's is shown.
  const data: { attempts?: Attempt[]; error?: AppError } = q.loading ? {} : { attempts: q.data?.attempts, error: q.error };
  return (
    <Modal opened={row !== null} onClose={onClose} title={row ? row.email : ''} size="xl" closeButtonProps={{ 'aria-label': 'Close the details' }}>
      {row && (
        <Stack gap="sm">
          <Group gap="sm">
            <StateBadge color={ROW_STATE_WORDS[row.state].color}>
              {ROW_STATE_WORDS[row.state].label}
            </StateBadge>
            {row.sentAt && <Text size="sm">Accepted by the relay {new Date(row.sentAt).toLocaleString()}</Text>}
            {row.nextAttemptAt && <Text size="sm">Next try {new Date(row.nextAttemptAt).toLocaleString()}</Text>}
          </Group>
          {row.possibleDuplicate && (
            <Text size="sm" c="orange.9">
              Postroom stopped while this message was being handed over, so the relay may have received it twice (with the same Message-ID, which most
              mailboxes show once).
            </Text>
          )}
          <Text size="xs" c="dimmed">
            Message-ID {row.messageId}
          </Text>
          {row.feedback && (
            <Text size="sm" component="div">
              Came back {new Date(row.feedback.at).toLocaleString()}: <CameBack feedback={row.feedback} />
              {row.feedback.detail && <Text size="sm">{row.feedback.detail}</Text>}
            </Text>
          )}
          {data.error && <CoreError error={data.error} />}
          {!data.attempts && !data.error && <Loader size="sm" aria-label="Loading attempts" />}
          {data.attempts && data.attempts.length === 0 && <Text size="sm">No attempt yet.</Text>}
          {data.attempts && data.attempts.length > 0 && (
            <Table aria-label="Attempts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Relay</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th>The server said</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.attempts.map((a, i) => (
                  <Table.Tr key={i}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{new Date(a.at).toLocaleString()}</Table.Td>
                    <Table.Td>{a.relay ?? '—'}</Table.Td>
                    <Table.Td>{a.outcome}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-word' }}>{a.response ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Modal>
  );
});
