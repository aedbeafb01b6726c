/**
 * A campaign after its first send: while it sends, the counters, the rate over time, the time left and its
 * state in plain words, with Pause/Resume/Cancel; once done, the report: who got it, who didn't and why,
 * Retry failed only, and the CSV export. Progress events come up to ten a second per campaign; we keep the
 * latest and draw at most four times a second, so a 20,000-message send leaves the main thread idle: the rate
 * chart takes a new point once a second (in a transition), and the recipients table redraws only rows whose
 * state changed.
 */
import { pauseReasonText } from './pause-reason';
import { Anchor, Button, Group, Modal, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Notice } from '../../components/Notice';
import { memo, startTransition, useEffect, useRef, useState } from 'react';
import { call, invalidate, useEvent, useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { CoreError, notifyDone, notifyError } from '../../components/CoreError';
import { Page } from '../../components/Page';
import type { CampaignDetail, CampaignStatus, OutboxRow } from '../../../../shared/contract/sending';
import type { AppError } from '../../../../shared/result';
import { downloadText } from '../../components/download';
import { safeFileName } from './file-name';
import { describeEta, formatDuration, formatRate, formatWhen } from './plan';
import { RecipientResults } from './RecipientResults';
import { CameBackSummary } from './CameBack';
import { RateChart, type Point } from './RateChart';
import { t } from '../../i18n';
import { formatList, formatNumber, formatPercent } from '../../i18n/format';

const ACTIVE = new Set(['scheduled', 'sending', 'waiting', 'paused']);
const DRAW_MS = 250;

const reason = (s: CampaignStatus) => pauseReasonText(s) ?? '';

/** The campaign's state as a sentence, with what happens next. */
export function describeStatus(s: CampaignStatus, now = Date.now()): { title: string; detail?: string; color: string; fix?: 'relays' } {
  const left = s.queued + s.sending + s.deferred;
  switch (s.state) {
    case 'draft':
      return { title: t('live.draft'), color: 'gray' };
    case 'scheduled':
      return { title: s.scheduledAt ? t('live.scheduled', { when: formatWhen(s.scheduledAt, now) }) : t('live.scheduledLater'), detail: t('live.scheduledDetail'), color: 'blue' };
    case 'sending':
      if (s.eta.leftToday === 0 && s.eta.resumesAt) {
        return { title: t('live.dailyLimit', { when: formatWhen(s.eta.resumesAt, now) }), detail: describeEta(s, now), color: 'yellow' };
      }
      return {
        title: s.rate > 0 ? t('live.sendingAt', { rate: formatRate(s.rate) }) : t('live.sending'),
        // The core's sentence matters when a daily quota splits the send; otherwise the time left says it all.
        detail: s.eta.finishAt
          ? `${t('live.timeLeft', { duration: formatDuration(Math.max(1, (s.eta.finishAt - now) / 1000)), left })}${s.eta.dailyLimit !== null ? ` ${describeEta(s, now)}` : ''}`
          : describeEta(s, now),
        color: 'blue',
      };
    case 'waiting':
      return { title: t('live.waiting'), detail: `${s.pauseReason ? reason(s) : t('live.noConnection')} ${t('live.keepsTrying')}`, color: 'yellow' };
    case 'paused':
      if (s.pauseCode === 'AUTH_FAILED') {
        return { title: t('live.authFailed'), detail: s.pauseReason ? reason(s) : t('live.authFailedDetail'), color: 'red', fix: 'relays' };
      }
      if (s.pauseCode) return { title: t('live.problem'), detail: s.pauseReason ? reason(s) : t('live.problemDetail'), color: 'red', fix: s.pauseCode.startsWith('TLS') || s.pauseCode.startsWith('DNS') || s.pauseCode.startsWith('RELAY') ? 'relays' : undefined };
      return { title: t('campaignState.paused'), detail: `${s.pauseReason ? `${reason(s)} ` : ''}${t('live.pausedDetail', { left })}`, color: 'yellow' };
    case 'completed':
      return {
        title: s.failed ? t('live.doneFailed', { count: s.sent, failed: s.failed }) : t('live.done', { count: s.sent }),
        detail: s.skipped ? t('live.skipped', { count: s.skipped }) : undefined,
        color: s.failed ? 'orange' : 'green',
      };
    case 'cancelled':
      return { title: t('campaignState.cancelled'), detail: t('live.cancelledDetail', { count: s.sent }), color: 'gray' };
    default: {
      const never: never = s.state;
      return { title: String(never), color: 'gray' };
    }
  }
}

/**
 * The latest replies that weren't a plain "accepted": who is being retried or has failed, with the server's own
 * words. Re-read when the counts of those states change, not on every progress event.
 */
const LatestReplies = memo(function LatestReplies({ campaign, deferred, failed }: { campaign: number; deferred: number; failed: number }) {
  // The last three of each: re-read when their counts change.
  const d = useQuery('campaignsRecipients', { campaign, state: 'deferred', offset: Math.max(0, deferred - 3), limit: 3 }, { enabled: deferred > 0, live: false, keepOnError: true });
  const f = useQuery('campaignsRecipients', { campaign, state: 'failed', offset: Math.max(0, failed - 3), limit: 3 }, { enabled: failed > 0, live: false, keepOnError: true });
  const rows: OutboxRow[] = [...(failed > 0 ? (f.data?.rows ?? []) : []), ...(deferred > 0 ? (d.data?.rows ?? []) : [])];
  if (rows.length === 0) return null;
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="replies-title">
      <Title order={2} size="h5" id="replies-title" mb={4}>
        {t('live.replies')}
      </Title>
      <Stack gap={4}>
        {rows.map((r) => (
          <Text size="sm" key={r.id}>
            <b>{r.email}</b> ({r.state === 'failed' ? t('live.rowFailed') : r.nextAttemptAt ? t('live.rowRetryingAt', { when: formatWhen(r.nextAttemptAt) }) : t('live.rowRetrying')}): {r.lastResponse ?? t('live.noReply')}
          </Text>
        ))}
      </Stack>
    </Paper>
  );
});

function Counter({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="sm" radius="md" role="group" aria-label={t('live.counterLabel', { label, value })}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={color} aria-hidden>
        {formatNumber(value)}
      </Text>
    </Paper>
  );
}

export function CampaignLive({ detail }: { detail: CampaignDetail }) {
  const id = detail.id;
  const [status, setStatus] = useState<CampaignStatus | undefined>();
  const [error, setError] = useState<AppError | undefined>();
  const [points, setPoints] = useState<Point[]>([]);
  const latest = useRef<CampaignStatus | undefined>(undefined);
  const dirty = useRef(false);

  // The status once, on opening; the progress events keep it current after that.
  const first = useQuery('campaignsStatus', { campaign: id }, { live: false });
  useEffect(() => {
    if (first.data) {
      latest.current = first.data;
      setStatus(first.data);
    }
    setError(first.error);
  }, [first.data, first.error]);

  useEvent('campaign:progress', (p) => {
    if (p.id !== id) return;
    latest.current = p;
    dirty.current = true;
  });

  // Draw at most every 250 ms, and sample the rate once a second for the chart (the last 10 minutes).
  const lastPoint = useRef(0);
  const prevState = useRef<string | undefined>(undefined);
  useEffect(() => {
    const t = setInterval(() => {
      const s = latest.current;
      if (!s) return;
      const now = Date.now();
      if (now - lastPoint.current >= 1000 && ACTIVE.has(s.state)) {
        lastPoint.current = now;
        const point = { t: now, rate: Math.round(s.rate * 10) / 10 };
        startTransition(() => setPoints((ps) => [...ps.slice(-599), point]));
      }
      if (!dirty.current) return;
      dirty.current = false;
      // Not urgent: React may split this redraw and let a click or a keystroke go first.
      startTransition(() => setStatus(s));
      if (prevState.current && prevState.current !== s.state) {
        invalidate();
        if (s.state === 'completed') notifyFinished(detail.name, s);
      }
      prevState.current = s.state;
    }, DRAW_MS);
    return () => clearInterval(t);
  }, [detail.name]);
  useEffect(() => {
    if (status && prevState.current === undefined) prevState.current = status.state;
  }, [status]);

  // While it runs, ask now and then too: an engine in another process (postroom send) emits no events here.
  const currentState = status?.state;
  useEffect(() => {
    if (!currentState || !ACTIVE.has(currentState)) return;
    const t = setInterval(() => {
      void call('campaignsStatus', { campaign: id }).then((r) => {
        if (r.ok && (!latest.current || r.value.sent !== latest.current.sent || r.value.state !== latest.current.state)) {
          latest.current = r.value;
          dirty.current = true;
        }
      });
    }, 3000);
    return () => clearInterval(t);
  }, [id, currentState]);

  const [busy, setBusy] = useState<string | null>(null);
  const act = async (what: 'pause' | 'resume' | 'cancel' | 'retry') => {
    setBusy(what);
    const r =
      what === 'pause'
        ? await call('campaignsPause', { campaign: id })
        : what === 'resume'
          ? await call('campaignsResume', { campaign: id })
          : what === 'cancel'
            ? await call('campaignsCancel', { campaign: id })
            : await call('campaignsRetryFailed', { campaign: id });
    setBusy(null);
    if (!r.ok) return notifyError(r.error);
    latest.current = r.value;
    setStatus(r.value);
    invalidate();
    if (what === 'retry' && 'requeued' in r.value) notifyDone(t('live.retryDone', { count: r.value.requeued as number }), t('live.retryDoneTitle'));
  };
  const [confirmCancel, setConfirmCancel] = useState(false);

  const [exporting, setExporting] = useState<string | null>(null);
  const exportCsv = async (onlyFailed: boolean) => {
    setExporting(onlyFailed ? 'failed' : 'all');
    // The core writes the report (the same columns and escaping as `postroom report --csv`); the window saves it.
    const r = await call('campaignsReportCsv', { campaign: id, ...(onlyFailed ? { state: 'failed' as const } : {}) });
    setExporting(null);
    if (!r.ok) return notifyError(r.error);
    downloadText(`${safeFileName(detail.name)}${onlyFailed ? ` - ${t('live.failedSuffix')}` : ''}.csv`, r.value.csv);
  };

  if (error) return <Page title={detail.name}><CoreError error={error} /></Page>;
  const s = status;
  const words = s ? describeStatus(s) : undefined;
  const active = s ? ACTIVE.has(s.state) : false;
  const done = s ? s.sent + s.failed + s.skipped + s.cancelled : 0;
  const pct = s && s.total ? Math.round((done / s.total) * 1000) / 10 : 0;

  return (
    <Page
      title={detail.name}
      description={
        <>
          {t('live.what', { template: detail.templateName ?? t('live.templateRemoved'), list: detail.listName ?? t('live.listRemoved'), relays: detail.relayNames.length ? formatList(detail.relayNames) : t('live.noRelay') })}{' '}
          <Anchor underline="always" href={href('campaigns')}>{t('campaign.all')}</Anchor>
        </>
      }
      actions={
        s && (
          <>
            {(s.state === 'sending' || s.state === 'waiting' || s.state === 'scheduled') && (
              <Button variant="default" onClick={() => void act('pause')} loading={busy === 'pause'}>
                {t('live.pause')}
              </Button>
            )}
            {s.state === 'paused' && (
              <Button onClick={() => void act('resume')} loading={busy === 'resume'}>
                {t('live.resume')}
              </Button>
            )}
            {active && (
              <Button variant="default" color="red" onClick={() => setConfirmCancel(true)}>
                {t('live.cancel')}
              </Button>
            )}
          </>
        )
      }
    >
      {!s || !words ? (
        <Text size="sm">{t('common.loadingEllipsis')}</Text>
      ) : (
        <Stack gap="md">
          <Notice color={words.color} title={words.title} role="status" aria-live="polite">
            {words.detail && <Text size="sm">{words.detail}</Text>}
            {words.fix === 'relays' && (
              <Button component="a" href={href('relays')} size="xs" variant="default" mt="xs">
                {t('live.openRelays')}
              </Button>
            )}
            {(s.state === 'sending' || s.state === 'waiting' || s.state === 'scheduled') && (
              <Text size="sm" mt={4}>
                {t('live.canClose')}
              </Text>
            )}
          </Notice>
          <Progress value={pct} size="lg" aria-label={t('live.pctDone', { pct: formatPercent(pct) })} />
          <Text size="sm" aria-hidden>
            {t('live.pctDone', { pct: formatPercent(pct) })} · {t('common.nOfTotal', { n: done, total: s.total })}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 5 }}>
            <Counter label={t('counter.sent')} value={s.sent} color="green.8" />
            <Counter label={t('counter.waiting')} value={s.queued + s.sending} />
            <Counter label={t('counter.retrying')} value={s.deferred} color={s.deferred ? 'yellow.9' : undefined} />
            <Counter label={t('counter.failed')} value={s.failed} color={s.failed ? 'red.8' : undefined} />
            <Counter label={t('counter.skipped')} value={s.skipped + s.cancelled} />
          </SimpleGrid>
          {s.possibleDuplicates > 0 && (
            <Notice color="orange" title={t('live.duplicates')}>
              {t('live.duplicatesBody', { count: s.possibleDuplicates })}
            </Notice>
          )}
          <RateChart points={points} />
          <LatestReplies campaign={id} deferred={s.deferred} failed={s.failed} />

          {!active && (
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="report-title">
              <Title order={2} size="h4" id="report-title" mb="xs">
                {t('live.report')}
              </Title>
              <Text size="sm" mb="sm">
                {formatList([t('live.gotIt', { count: s.sent }), ...(s.failed ? [t('live.nFailed', { count: s.failed })] : []), ...(s.skipped ? [t('live.nSkipped', { count: s.skipped })] : []), ...(s.cancelled ? [t('live.nCancelled', { count: s.cancelled })] : [])])}
                {'. '}{t('live.openRecipient')}
              </Text>
              <Group>
                <Button variant="default" onClick={() => void exportCsv(false)} loading={exporting === 'all'}>
                  {t('live.exportAll')}
                </Button>
                {s.failed > 0 && (
                  <>
                    <Button variant="default" onClick={() => void exportCsv(true)} loading={exporting === 'failed'}>
                      {t('live.exportFailed')}
                    </Button>
                    <Button onClick={() => void act('retry')} loading={busy === 'retry'}>
                      {t('live.retryFailed')}
                    </Button>
                  </>
                )}
              </Group>
            </Paper>
          )}

          <section aria-labelledby="recipients-title">
            <Title order={2} size="h4" id="recipients-title" mb="xs">
              {t('nav.recipients')}
            </Title>
            <CameBackSummary status={s} />
            <RecipientResults campaign={id} counts={s} initialFilter={!active && s.failed > 0 ? 'failed' : 'all'} />
          </section>
        </Stack>
      )}

      <Modal opened={confirmCancel} onClose={() => setConfirmCancel(false)} title={t('live.confirmTitle')} closeButtonProps={{ 'aria-label': t('live.keepSending') }}>
        {s && (
          <Stack gap="sm">
            <Text size="sm">
              {t('live.confirmBody', { count: s.sent, left: s.queued + s.sending + s.deferred })}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirmCancel(false)}>
                {t('live.keepSending')}
              </Button>
              <Button
                color="red"
                loading={busy === 'cancel'}
                onClick={() => {
                  setConfirmCancel(false);
                  void act('cancel');
                }}
              >
                {t('live.cancelRemaining', { count: s.queued + s.sending + s.deferred })}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Page>
  );
}

/**
 * In the browser, a system notification only if the person already allowed it: we never ask on our own. The
 * desktop app's main process notifies by itself (window.postroom is its preload), so not twice there.
 */
function notifyFinished(name: string, s: CampaignStatus) {
  const text = s.failed ? t('live.finishedFailed', { count: s.sent, failed: s.failed }) : t('live.finished', { count: s.sent });
  notifyDone(text, t('live.finishedTitle', { name }));
  if (!window.postroom && typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
    try {
      new Notification(t('live.finishedTitle', { name }), { body: text });
    } catch {
      // Some browsers only allow notifications from a service worker; the in-page one above is enough.
    }
  }
}
