/**
 * A campaign after its first send: while it sends, the counters, the rate over time, the time left and its
 * state in plain words, with Pause/Resume/Cancel; once done, the report: who got it, who didn't and why,
 * Retry failed only, and the CSV export. Progress events come up to ten a second per campaign; we keep the
 * latest and draw at most four times a second, so a 20,000-message send leaves the main thread idle: the rate
 * chart takes a new point once a second (in a transition), and the recipients table redraws only rows whose
 * state changed.
 */
import { Anchor, Button, Group, Modal, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Notice } from '../../components/Notice';
import { memo, startTransition, useEffect, useRef, useState } from 'react';
import { call, invalidate, useEvent } from '../../api/hooks';
import { href } from '../../app/router';
import { CoreError, notifyDone, notifyError } from '../../components/CoreError';
import { Page } from '../../components/Page';
import type { CampaignDetail, CampaignStatus, OutboxRow } from '../../../../shared/contract/sending';
import type { AppError } from '../../../../shared/result';
import { downloadText } from '../../components/download';
import { fetchAllRows } from './export-csv';
import { reportCsv, safeFileName } from './report-csv';
import { formatDuration, formatRate, formatWhen, people } from './plan';
import { RecipientResults } from './RecipientResults';
import { RateChart, type Point } from './RateChart';

const ACTIVE = new Set(['scheduled', 'sending', 'waiting', 'paused']);
const DRAW_MS = 250;

/** The campaign's state as a sentence, with what happens next. */
export function describeStatus(s: CampaignStatus, now = Date.now()): { title: string; detail?: string; color: string; fix?: 'relays' } {
  const left = s.queued + s.sending + s.deferred;
  switch (s.state) {
    case 'draft':
      return { title: 'Draft: not sent yet', color: 'gray' };
    case 'scheduled':
      return { title: `Scheduled for ${s.scheduledAt ? formatWhen(s.scheduledAt, now) : 'later'}`, detail: 'Postroom starts sending then, if it is running.', color: 'blue' };
    case 'sending':
      if (s.eta.leftToday === 0 && s.eta.resumesAt) {
        return { title: `Paused by the daily limit: resumes ${formatWhen(s.eta.resumesAt, now)}`, detail: s.eta.message, color: 'yellow' };
      }
      return {
        title: `Sending${s.rate > 0 ? ` at ${formatRate(s.rate)}` : ''}`,
        // The core's sentence matters when a daily quota splits the send; otherwise the time left says it all.
        detail: s.eta.finishAt
          ? `About ${formatDuration(Math.max(1, (s.eta.finishAt - now) / 1000))} left (${left.toLocaleString()} to go).${s.eta.dailyLimit !== null ? ` ${s.eta.message}` : ''}`
          : s.eta.message,
        color: 'blue',
      };
    case 'waiting':
      return { title: "Waiting: the relay can't be reached", detail: `${s.pauseReason ?? 'No connection to the relay.'} Postroom keeps trying and carries on when it answers.`, color: 'yellow' };
    case 'paused':
      if (s.pauseCode === 'AUTH_FAILED') {
        return { title: 'Paused: the relay refused the user name or password', detail: s.pauseReason ?? 'Check the user name and password in Relays, then press Resume.', color: 'red', fix: 'relays' };
      }
      if (s.pauseCode) return { title: 'Paused because of a problem', detail: s.pauseReason ?? 'Something stopped the sending. Press Resume to try again.', color: 'red', fix: s.pauseCode.startsWith('TLS') || s.pauseCode.startsWith('DNS') || s.pauseCode.startsWith('RELAY') ? 'relays' : undefined };
      return { title: 'Paused', detail: `${s.pauseReason ? `${s.pauseReason} ` : ''}Nothing more is sent until you press Resume. ${left.toLocaleString()} still to go.`, color: 'yellow' };
    case 'completed':
      return {
        title: s.failed ? `Done: ${people(s.sent)} got it, ${s.failed.toLocaleString()} failed` : `Done: ${people(s.sent)} got it`,
        detail: s.skipped ? `${people(s.skipped)} skipped (suppressed).` : undefined,
        color: s.failed ? 'orange' : 'green',
      };
    case 'cancelled':
      return { title: 'Cancelled', detail: `${people(s.sent)} got it before it was cancelled; the rest weren't sent.`, color: 'gray' };
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
  const [rows, setRows] = useState<OutboxRow[]>([]);
  useEffect(() => {
    if (deferred + failed === 0) return setRows([]);
    let stop = false;
    void Promise.all([
      call('campaignsRecipients', { campaign, state: 'deferred', offset: Math.max(0, deferred - 3), limit: 3 }),
      call('campaignsRecipients', { campaign, state: 'failed', offset: Math.max(0, failed - 3), limit: 3 }),
    ]).then(([d, f]) => {
      if (stop) return;
      setRows([...(f.ok ? f.value.rows : []), ...(d.ok ? d.value.rows : [])]);
    });
    return () => {
      stop = true;
    };
  }, [campaign, deferred, failed]);
  if (rows.length === 0) return null;
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="replies-title">
      <Title order={2} size="h5" id="replies-title" mb={4}>
        Latest replies that need a look
      </Title>
      <Stack gap={4}>
        {rows.map((r) => (
          <Text size="sm" key={r.id}>
            <b>{r.email}</b> ({r.state === 'failed' ? 'failed' : `retrying${r.nextAttemptAt ? ` ${formatWhen(r.nextAttemptAt)}` : ''}`}): {r.lastResponse ?? 'no reply yet'}
          </Text>
        ))}
      </Stack>
    </Paper>
  );
});

function Counter({ label, value, color }: { label: string; value: number; color?: string }) {
  return (
    <Paper withBorder p="sm" radius="md" role="group" aria-label={`${label}: ${value.toLocaleString()}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={color} aria-hidden>
        {value.toLocaleString()}
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

  useEffect(() => {
    let stop = false;
    void call('campaignsStatus', { campaign: id }).then((r) => {
      if (stop) return;
      if (r.ok) {
        latest.current = r.value;
        setStatus(r.value);
      } else setError(r.error);
    });
    return () => {
      stop = true;
    };
  }, [id]);

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
    if (what === 'retry' && 'requeued' in r.value) notifyDone(`${people(r.value.requeued as number)} will be tried again.`, 'Retrying the failed');
  };
  const [confirmCancel, setConfirmCancel] = useState(false);

  const [exporting, setExporting] = useState<string | null>(null);
  const exportCsv = async (onlyFailed: boolean) => {
    setExporting(onlyFailed ? 'failed' : 'all');
    const rows = await fetchAllRows(id, onlyFailed ? 'failed' : undefined);
    setExporting(null);
    if (!Array.isArray(rows)) return notifyError(rows);
    downloadText(`${safeFileName(detail.name)}${onlyFailed ? ' - failed' : ''}.csv`, reportCsv(rows));
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
          {detail.templateName ?? 'Template removed'} to {detail.listName ?? 'a removed list'} through {detail.relayNames.join(', ') || 'no relay'}.{' '}
          <Anchor underline="always" href={href('campaigns')}>All campaigns</Anchor>
        </>
      }
      actions={
        s && (
          <>
            {(s.state === 'sending' || s.state === 'waiting' || s.state === 'scheduled') && (
              <Button variant="default" onClick={() => void act('pause')} loading={busy === 'pause'}>
                Pause
              </Button>
            )}
            {s.state === 'paused' && (
              <Button onClick={() => void act('resume')} loading={busy === 'resume'}>
                Resume
              </Button>
            )}
            {active && (
              <Button variant="default" color="red" onClick={() => setConfirmCancel(true)}>
                Cancel sending
              </Button>
            )}
          </>
        )
      }
    >
      {!s || !words ? (
        <Text size="sm">Loading…</Text>
      ) : (
        <Stack gap="md">
          <Notice color={words.color} title={words.title} role="status" aria-live="polite">
            {words.detail && <Text size="sm">{words.detail}</Text>}
            {words.fix === 'relays' && (
              <Button component="a" href={href('relays')} size="xs" variant="default" mt="xs">
                Open Relays
              </Button>
            )}
            {(s.state === 'sending' || s.state === 'waiting' || s.state === 'scheduled') && (
              <Text size="sm" mt={4}>
                You can close this window — sending continues while Postroom runs, and picks up where it left off after a restart.
              </Text>
            )}
          </Notice>
          <Progress value={pct} size="lg" aria-label={`${pct}% done`} />
          <Text size="sm" aria-hidden>
            {pct}% done · {done.toLocaleString()} of {s.total.toLocaleString()}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 5 }}>
            <Counter label="Sent" value={s.sent} color="green.8" />
            <Counter label="Waiting" value={s.queued + s.sending} />
            <Counter label="Retrying" value={s.deferred} color={s.deferred ? 'yellow.9' : undefined} />
            <Counter label="Failed" value={s.failed} color={s.failed ? 'red.8' : undefined} />
            <Counter label="Skipped" value={s.skipped + s.cancelled} />
          </SimpleGrid>
          {s.possibleDuplicates > 0 && (
            <Notice color="orange" title="Some messages may have arrived twice">
              Postroom stopped while {people(s.possibleDuplicates)} were being handed to the relay, so they may have received it twice (with the same
              Message-ID, which most mailboxes show once).
            </Notice>
          )}
          <RateChart points={points} />
          <LatestReplies campaign={id} deferred={s.deferred} failed={s.failed} />

          {!active && (
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="report-title">
              <Title order={2} size="h4" id="report-title" mb="xs">
                Report
              </Title>
              <Text size="sm" mb="sm">
                {people(s.sent)} got it{s.failed ? `, ${s.failed.toLocaleString()} failed` : ''}
                {s.skipped ? `, ${s.skipped.toLocaleString()} skipped` : ''}
                {s.cancelled ? `, ${s.cancelled.toLocaleString()} not sent (cancelled)` : ''}. Open a recipient to read the server's replies.
              </Text>
              <Group>
                <Button variant="default" onClick={() => void exportCsv(false)} loading={exporting === 'all'}>
                  Export report as CSV
                </Button>
                {s.failed > 0 && (
                  <>
                    <Button variant="default" onClick={() => void exportCsv(true)} loading={exporting === 'failed'}>
                      Export failed as CSV
                    </Button>
                    <Button onClick={() => void act('retry')} loading={busy === 'retry'}>
                      Retry failed only
                    </Button>
                  </>
                )}
              </Group>
            </Paper>
          )}

          <section aria-labelledby="recipients-title">
            <Title order={2} size="h4" id="recipients-title" mb="xs">
              Recipients
            </Title>
            <RecipientResults campaign={id} counts={s} initialFilter={!active && s.failed > 0 ? 'failed' : 'all'} />
          </section>
        </Stack>
      )}

      <Modal opened={confirmCancel} onClose={() => setConfirmCancel(false)} title="Stop this campaign for good?" closeButtonProps={{ 'aria-label': 'Keep sending' }}>
        {s && (
          <Stack gap="sm">
            <Text size="sm">
              {people(s.sent)} already got it; that record is kept. The {(s.queued + s.sending + s.deferred).toLocaleString()} not yet sent won't be, and the campaign
              can't be restarted. To stop for a while instead, use Pause.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirmCancel(false)}>
                Keep sending
              </Button>
              <Button
                color="red"
                loading={busy === 'cancel'}
                onClick={() => {
                  setConfirmCancel(false);
                  void act('cancel');
                }}
              >
                Cancel the remaining {(s.queued + s.sending + s.deferred).toLocaleString()}
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
  const text = s.failed ? `${people(s.sent)} got it, ${s.failed.toLocaleString()} failed.` : `${people(s.sent)} got it.`;
  notifyDone(text, `“${name}” is sent`);
  if (!window.postroom && typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
    try {
      new Notification(`“${name}” is sent`, { body: text });
    } catch {
      // Some browsers only allow notifications from a service worker; the in-page one above is enough.
    }
  }
}
