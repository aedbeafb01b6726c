/**
 * Every recipient of a campaign with their state, attempts and the server's last reply: a virtualised table
 * (100,000 rows draw as fast as 100) read from the core a page at a time, filtered by state or searched, with
 * each person's full history of attempts one click (or Enter) away.
 */
import { CameBack, feedbackDetail } from './CameBack';
import { Anchor, Group, Loader, Modal, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { StateBadge } from '../../components/StateBadge';
import { useDebouncedValue } from '@mantine/hooks';
import { memo, startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call, useQuery } from '../../api/hooks';
import { CoreError } from '../../components/CoreError';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import type { Attempt, OutboxRow, RowState } from '../../../../shared/contract/sending';
import type { AppError } from '../../../../shared/result';
import { t, type MessageKey } from '../../i18n';
import { rich } from '../../i18n/rich';
import { formatDateTime } from '../../i18n/format';
import { coreMessage } from '../../i18n/core-messages';

/** A recipient's state in words (a catalog key: show it with `t(ROW_STATE_WORDS[state].label)`) and colour. */
export const ROW_STATE_WORDS: Record<RowState, { label: MessageKey; color: string }> = {
  queued: { label: 'results.state.queued', color: 'gray' },
  sending: { label: 'results.state.sending', color: 'blue' },
  sent: { label: 'results.state.sent', color: 'green' },
  deferred: { label: 'results.state.deferred', color: 'yellow' },
  failed: { label: 'results.state.failed', color: 'red' },
  skipped: { label: 'results.state.skipped', color: 'grape' },
  cancelled: { label: 'results.state.cancelled', color: 'gray' },
};

/** What became of one attempt, as the outbox records it; an outcome not named here shows as recorded. */
const OUTCOME_WORDS: Record<string, MessageKey> = {
  sent: 'results.outcome.sent',
  deferred: 'results.outcome.deferred',
  failed: 'results.outcome.failed',
  skipped: 'results.outcome.skipped',
  interrupted: 'results.outcome.interrupted',
};
const outcomeWords = (outcome: string) => (Object.hasOwn(OUTCOME_WORDS, outcome) ? t(OUTCOME_WORDS[outcome]!) : outcome);

/** A reply column's text: the server's words as said; Postroom's own note (skipped, interrupted, gave up) in the window's words. */
const replyWords = (response: string | null, note: Attempt['note']) => (response !== null && note ? coreMessage({ ...note, message: response }) : (response ?? ''));

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
          if (changed) setTick((n) => n + 1);
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
    const timer = setTimeout(
      () => {
        lastKey.current = countsKey;
        lastRead.current = Date.now();
        const [a, b] = visible.current;
        for (let pg = Math.floor(a / PAGE); pg <= Math.floor(b / PAGE); pg++) load(pg, true);
        if (pages.current.size === 0) load(0, true);
      },
      Math.max(0, 1000 - (Date.now() - lastRead.current)),
    );
    return () => clearTimeout(timer);
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
        header: t('results.col.recipient'),
        width: 240,
        render: (r) => (
          <Anchor component="button" type="button" size="sm" onClick={() => setOpen(r)} aria-label={t('results.detailsFor', { email: r.email })} maw={216} truncate="end" style={{ textAlign: 'left' }}>
            {r.email}
          </Anchor>
        ),
      },
      { key: 'name', header: t('results.col.name'), width: 130, render: (r) => r.name ?? '' },
      {
        key: 'state',
        header: t('common.col.state'),
        // Room for the longest state's badge in each language ("En cours d’envoi", "Wird versendet"): a cell clips.
        // (Taken from the address, name and reply columns: the last column still starts where it did.)
        width: 170,
        render: (r) => <StateBadge color={ROW_STATE_WORDS[r.state].color}>{t(ROW_STATE_WORDS[r.state].label)}</StateBadge>,
      },
      { key: 'attempts', header: t('results.col.tries'), width: 100, align: 'right', render: (r) => r.attempts },
      {
        key: 'reply',
        header: t('results.col.reply'),
        width: 250,
        render: (r) => {
          const reply = replyWords(r.lastResponse, r.lastNote);
          return <span title={reply}>{reply}</span>;
        },
      },
      { key: 'back', header: t('results.col.cameBack'), width: 300, render: (r) => <CameBack feedback={r.feedback} /> },
    ],
    [],
  );

  const options: Array<{ value: Filter; label: string }> = [
    { value: 'all', label: t('results.filter.all', { n: counts.total }) },
    { value: 'sent', label: t('results.filter.sent', { n: counts.sent ?? 0 }) },
    { value: 'queued', label: t('results.filter.queued', { n: counts.queued ?? 0 }) },
    { value: 'deferred', label: t('results.filter.deferred', { n: counts.deferred ?? 0 }) },
    { value: 'failed', label: t('results.filter.failed', { n: counts.failed ?? 0 }) },
    { value: 'skipped', label: t('results.filter.skipped', { n: counts.skipped ?? 0 }) },
  ];
  if (counts.cancelled) options.push({ value: 'cancelled', label: t('results.filter.cancelled', { n: counts.cancelled }) });

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <SegmentedControl aria-label={t('results.show')} value={filter} onChange={(v) => {
          picked.current = true;
          setFilter(v as Filter);
        }} data={options} size="xs" />
        <TextInput aria-label={t('results.search')} placeholder={t('results.searchPlaceholder')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} size="xs" />
      </Group>
      {error && <CoreError error={error} onRetry={() => load(0, true)} />}
      {total === undefined ? (
        <Loader size="sm" aria-label={t('results.loading')} />
      ) : total === 0 ? (
        <Text size="sm" c="dimmed">
          {debSearch.trim() ? t('results.noMatch', { search: debSearch.trim() }) : t('results.noneInState')}
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
  return <VirtualTable label={t('results.table')} columns={columns} rowCount={rowCount} getRow={getRow} onRange={onRange} height={Math.min(420, (rowCount + 1) * 36 + 4)} />;
});

/** Memoised: closed, it has nothing to redraw when the counts above change. */
const AttemptsModal = memo(function AttemptsModal({ campaign, row, onClose }: { campaign: number; row: OutboxRow | null; onClose: () => void }) {
  const q = useQuery('campaignsAttempts', { campaign, email: row?.email ?? '' }, { enabled: row !== null, live: false });
  // While another row's attempts are on their way, nothing of the last row's is shown.
  const data: { attempts?: Attempt[]; error?: AppError } = q.loading ? {} : { attempts: q.data?.attempts, error: q.error };
  return (
    <Modal opened={row !== null} onClose={onClose} title={row ? row.email : ''} size="xl" closeButtonProps={{ 'aria-label': t('results.closeDetails') }}>
      {row && (
        <Stack gap="sm">
          <Group gap="sm">
            <StateBadge color={ROW_STATE_WORDS[row.state].color}>{t(ROW_STATE_WORDS[row.state].label)}</StateBadge>
            {row.sentAt && <Text size="sm">{t('results.acceptedAt', { when: formatDateTime(row.sentAt) })}</Text>}
            {row.nextAttemptAt && <Text size="sm">{t('results.nextTry', { when: formatDateTime(row.nextAttemptAt) })}</Text>}
          </Group>
          {row.possibleDuplicate && (
            <Text size="sm" c="orange.9">
              {t('results.possibleDuplicate')}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {t('results.messageId', { id: row.messageId })}
          </Text>
          {row.feedback && (
            <Text size="sm" component="div">
              {rich('results.cameBackAt', { when: formatDateTime(row.feedback.at), feedback: <CameBack feedback={row.feedback} /> })}
              {row.feedback.detail && <Text size="sm">{feedbackDetail(row.feedback)}</Text>}
            </Text>
          )}
          {data.error && <CoreError error={data.error} />}
          {!data.attempts && !data.error && <Loader size="sm" aria-label={t('results.loadingAttempts')} />}
          {data.attempts && data.attempts.length === 0 && <Text size="sm">{t('results.noAttempt')}</Text>}
          {data.attempts && data.attempts.length > 0 && (
            <Table aria-label={t('results.attempts')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('results.col.when')}</Table.Th>
                  <Table.Th>{t('results.col.relay')}</Table.Th>
                  <Table.Th>{t('results.col.outcome')}</Table.Th>
                  <Table.Th>{t('results.col.serverSaid')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.attempts.map((a, i) => (
                  <Table.Tr key={i}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(a.at)}</Table.Td>
                    <Table.Td>{a.relay ?? '—'}</Table.Td>
                    <Table.Td>{outcomeWords(a.outcome)}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-word' }}>{replyWords(a.response, a.note)}</Table.Td>
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
