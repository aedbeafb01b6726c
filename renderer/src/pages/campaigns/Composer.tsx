/**
 * A campaign is one screen with a checklist: Recipients, From, Subject, Content, then Review & send. Each step
 * ticks itself when it is complete; the review names everything in one sentence, blocks on errors, asks for
 * each warning to be acknowledged, estimates the time at the relay's limits, and the button carries the count.
 * Pressing it starts a few seconds in which nothing has been sent and Undo takes it all back: the core is only
 * asked to send once that window has passed.
 */
import { Anchor, Button, Checkbox, Grid, Group, List, MultiSelect, Paper, Radio, Select, Stack, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { Notice } from '../../components/Notice';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { call, invalidate, useQuery } from '../../api/hooks';
import { href, navigate } from '../../app/router';
import { CoreError, notifyDone } from '../../components/CoreError';
import { MessagePreview, RecipientStepper } from '../../components/MessagePreview';
import { FallbacksPanel } from '../../components/FallbacksPanel';
import { StepMark } from '../../components/StepMark';
import { Page } from '../../components/Page';
import { SendTestButton } from '../../components/SendTestButton';
import type { CampaignDetail, ReviewItem } from '../../../../shared/contract/sending';
import type { AppError } from '../../../../shared/result';
import { useAudience } from './audience';
import { describePlan, formatWhen } from './plan';
import { fieldUses } from '../../../../shared/merge-fields';
import { reviewAction, reviewKey, reviewMessage, type ReviewContext } from './review-actions';
import { t } from '../../i18n';
import { rich } from '../../i18n/rich';
import { parseUnsubscribe } from '../../../../shared/unsubscribe';
import { mailboxAddress } from '../../../../shared/mailbox';
import { UnsubscribeStep } from './UnsubscribeStep';
import { campaignNameProblem, suggestCampaignName } from './name';

const UNDO_SECONDS = 5;

function Step({ n, title, done, summary, children, id }: { n: number; title: string; done: boolean; summary?: ReactNode; children: ReactNode; id: string }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`${id}-title`} id={id}>
      <Group gap="sm" mb="sm" wrap="nowrap" align="flex-start">
        <StepMark size="sm" done={done} n={n} />
        <div style={{ flex: 1, minWidth: 0 }}>
          <Title order={2} size="h4" id={`${id}-title`}>
            {title}
            {done && <VisuallyHidden>{t('composer.stepDone')}</VisuallyHidden>}
          </Title>
          {summary && (
            <Text size="sm" c="dimmed">
              {summary}
            </Text>
          )}
        </div>
      </Group>
      {children}
    </Paper>
  );
}

/** One review item: the core's sentence, and where in the window to fix it. */
function ReviewText({ item, context }: { item: ReviewItem; context: ReviewContext }) {
  const action = reviewAction(item, context);
  return (
    <>
      {reviewMessage(item)}{' '}
      {action && (
        <Anchor
          underline="always"
          c="inherit"
          fz="inherit"
          fw={600}
          href={action.to}
          onClick={(e) => {
            if (!action.to.startsWith('#step-')) return;
            e.preventDefault();
            document.getElementById(action.to.slice(1))?.scrollIntoView({ behavior: 'smooth' });
          }}
        >
          {action.label}
        </Anchor>
      )}
    </>
  );
}

export function Composer({ existing, templateId: initialTemplate }: { existing?: CampaignDetail; templateId?: number }) {
  const lists = useQuery('listsList', {}, { refreshOn: ['lists:changed'] });
  const templates = useQuery('templatesList', {});
  const relays = useQuery('relaysList', {}, { refreshOn: ['relays:changed'] });

  const [listId, setListId] = useState<number | null>(existing?.listId ?? null);
  const [templateId, setTemplateId] = useState<number | null>(existing?.templateId ?? initialTemplate ?? null);
  const [relayId, setRelayId] = useState<number | null>(existing?.relayIds[0] ?? null);
  /** Relays that take over, in order, when the first can't be reached (kept when a draft is edited). */
  const [backupIds, setBackupIds] = useState<number[]>(existing?.relayIds.slice(1) ?? []);
  const [name, setName] = useState(existing?.name ?? '');
  const [unsubscribe, setUnsubscribe] = useState(existing?.unsubscribe ?? '');
  const [when, setWhen] = useState<'now' | 'later'>(existing?.scheduledAt ? 'later' : 'now');
  const [at, setAt] = useState(() => (existing?.scheduledAt ? toLocalInput(existing.scheduledAt) : ''));
  const [acks, setAcks] = useState<Record<string, boolean>>({});
  const [draftId, setDraftId] = useState<number | undefined>(existing?.id);

  // Pick the only option when there is exactly one: fewer clicks for the common case.
  useEffect(() => {
    if (listId === null && lists.data?.length === 1) setListId(lists.data[0]!.id);
  }, [lists.data, listId]);
  useEffect(() => {
    if (relayId === null && relays.data?.length === 1) setRelayId(relays.data[0]!.id);
  }, [relays.data, relayId]);
  useEffect(() => {
    if (templateId === null && templates.data?.length === 1) setTemplateId(templates.data[0]!.id);
  }, [templates.data, templateId]);

  const list = lists.data?.find((l) => l.id === listId);
  const relay = relays.data?.find((r) => r.id === relayId);
  const template = useQuery('templatesGet', { id: templateId ?? 0 }, { enabled: templateId !== null }).data;
  const campaigns = useQuery('campaignsList', {});
  const takenNames = useMemo(() => (campaigns.data ?? []).map((c) => c.name), [campaigns.data]);
  useEffect(() => {
    if (!name && template && campaigns.data) setName(suggestCampaignName(template.name, takenNames, new Date()));
  }, [template, name, campaigns.data, takenNames]);
  const nameProblem = campaignNameProblem(name, takenNames, existing?.name);


  const audience = useAudience(list?.id);

  const [index, setIndex] = useState(0);
  useEffect(() => setIndex(0), [list?.id]);
  const unsubParsed = parseUnsubscribe(unsubscribe);
  const unsub = unsubParsed.ok ? unsubParsed.value : null;
  const [debUnsub] = useDebouncedValue(unsub ? JSON.stringify(unsub) : '', 400);
  // The campaign name only changes the {{ campaign }} field: a new preview once typing pauses, not per keystroke.
  const [debName] = useDebouncedValue(name, 600);
  const previewQuery = useQuery(
    'templatesPreview',
    {
      id: template?.id ?? 0,
      ...(list ? { list: list.name, index } : {}),
      unsubscribe: debUnsub ? (JSON.parse(debUnsub) as { url?: string; mailto?: string }) : null,
      campaignName: debName || undefined,
    },
    { enabled: !!template, keepOnError: true, live: false },
  );
  const preview = { value: previewQuery.data, error: previewQuery.error };

  const uses = useMemo(() => (template ? fieldUses(template.subject, template.body, template.from) : []), [template]);

  // Review: the core decides what blocks and what to acknowledge (campaigns:review); the window shows it. Only
  // what the form itself can't read (an unfinished date, an unsubscribe that isn't a link) is checked here.
  const atMs = when === 'later' && at ? new Date(at).getTime() : null;
  const formErrors: string[] = [];
  if (nameProblem) formErrors.push(t('composer.formName', { problem: nameProblem }));
  if (!unsubParsed.ok) formErrors.push(t('composer.formUnsub', { reason: unsubParsed.error }));
  if (when === 'later' && (!atMs || Number.isNaN(atMs))) formErrors.push(t('composer.formDate'));
  const relayIds = relayId === null ? [] : [relayId, ...backupIds.filter((id) => id !== relayId && relays.data?.some((r) => r.id === id))];
  const draftKey = JSON.stringify({
    name: name.trim(),
    list: listId,
    template: templateId,
    relays: relayIds,
    at: atMs !== null && !Number.isNaN(atMs) ? atMs : null,
    unsubscribe: unsub ? unsubscribe.trim() : null,
  });
  const [reviewKeyNow] = useDebouncedValue(draftKey, 300);
  const reviewQuery = useQuery('campaignsReview', { draft: JSON.parse(reviewKeyNow) as ReviewDraftInput }, { refreshOn: ['lists:changed', 'suppressions:changed', 'relays:changed'] });
  const review = reviewQuery.data;
  const current = reviewKeyNow === draftKey && !reviewQuery.loading;
  const sendable = review?.recipients;
  const blockers = review?.blockers ?? [];
  // Advice is shown with where to act on it, not as a box to tick: DKIM (Sender domains), and a mailto-only
  // unsubscribe (what a shop without a website has; Postroom reads those requests from the mailbox).
  const isAdvice = (w: ReviewItem) => w.code === 'DKIM_MISSING' || w.code === 'UNSUBSCRIBE_MAILTO_ONLY';
  const advice = (review?.warnings ?? []).filter(isAdvice);
  const warnings = (review?.warnings ?? []).filter((w) => !isAdvice(w));
  const reviewContext: ReviewContext = { templateId };
  const unacknowledged = warnings.filter((w) => !acks[reviewKey(w)]);
  const blocksContent = blockers.some((b) => b.code === 'TEMPLATE_ERROR' || b.code === 'FIELD_MISSING');
  // Recipients whose file can't be sent block until the person ticks to skip them (the engine records them skipped).
  const skipFiles = blockers.some((b) => b.code === 'ATTACHMENTS_UNREADABLE' && acks[reviewKey(b)]);
  const blocking = blockers.filter((b) => !(b.code === 'ATTACHMENTS_UNREADABLE' && acks[reviewKey(b)]));
  const ready = current && !!review && blocking.length === 0 && formErrors.length === 0 && unacknowledged.length === 0;

  // Send with a few seconds to undo: nothing reaches the core until the countdown ends.
  const [countdown, setCountdown] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<AppError | undefined>();
  const timer = useRef<ReturnType<typeof setInterval> | undefined>(undefined);
  useEffect(() => () => clearInterval(timer.current), []);

  const input = () => ({
    name: name.trim(),
    list: listId!,
    template: templateId!,
    relays: relayIds,
    ...(unsub ? { unsubscribe: unsubscribe.trim() } : {}),
  });

  const saveDraft = async (): Promise<number | undefined> => {
    setSendError(undefined);
    const r = draftId === undefined
      ? await call('campaignsCreate', { ...input(), ...(atMs ? { at: atMs } : {}) })
      : await call('campaignsUpdate', { campaign: draftId, ...input(), unsubscribe: unsub ? unsubscribe.trim() : null, at: atMs });
    if (!r.ok) {
      setSendError(r.error);
      return undefined;
    }
    setDraftId(r.value.id);
    return r.value.id;
  };

  const reallySend = async () => {
    setSending(true);
    const id = await saveDraft();
    if (id === undefined) return setSending(false);
    const r = await call('campaignsSend', { campaign: id, ...(skipFiles ? { skipUnreadableAttachments: true } : {}) });
    setSending(false);
    invalidate();
    if (!r.ok) return setSendError(r.error);
    navigate(href('campaigns', id));
  };

  const startCountdown = () => {
    setCountdown(UNDO_SECONDS);
    const started = Date.now();
    timer.current = setInterval(() => {
      const left = UNDO_SECONDS - Math.floor((Date.now() - started) / 1000);
      if (left <= 0) {
        clearInterval(timer.current);
        setCountdown(null);
        void reallySend();
      } else setCountdown(left);
    }, 200);
  };
  const undo = () => {
    clearInterval(timer.current);
    setCountdown(null);
    notifyDone(t('composer.undone'), t('composer.undoneTitle'));
  };

  const buttonLabel = sendable === undefined ? t('composer.send') : atMs ? t('composer.scheduleFor', { count: sendable }) : t('composer.sendTo', { count: sendable });

  return (
    <Page
      title={existing ? t('composer.titleExisting', { name: existing.name }) : t('composer.titleNew')}
      description={
        rich('composer.description', {
          a: (c) => (
            <Anchor underline="always" href={href('campaigns')}>
              {c}
            </Anchor>
          ),
        })
      }
      actions={
        <Button
          variant="default"
          disabled={!listId || !templateId || !relayId || !name.trim()}
          onClick={() =>
            void saveDraft().then((id) => {
              if (id !== undefined) {
                invalidate();
                notifyDone(t('composer.draftSaved'), t('composer.draftSavedTitle'));
              }
            })
          }
        >
          {t('composer.saveDraft')}
        </Button>
      }
    >
      <nav aria-label={t('composer.checklist')}>
        <Group gap="md" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {[
            [t('composer.step.recipients'), !!list && sendable !== undefined && sendable > 0, 'step-recipients'],
            [t('composer.step.from'), !!relay, 'step-from'],
            [t('composer.step.subject'), !!template?.subject && !!name.trim(), 'step-subject'],
            [t('composer.step.content'), !!template && !!review && !blocksContent, 'step-content'],
            [t('composer.step.review'), ready, 'step-review'],
          ].map(([label, done, id], i) => (
            <li key={id as string}>
              <Anchor href={`#${id as string}`} onClick={(e) => { e.preventDefault(); document.getElementById(id as string)?.scrollIntoView({ behavior: 'smooth' }); }} underline="never" c="inherit">
                <Group gap={6} wrap="nowrap">
                  <StepMark size="sm" done={done as boolean} n={i + 1} />
                  <Text size="sm" fw={500}>
                    {label as string}
                    <VisuallyHidden>{done ? t('composer.stepDone') : t('composer.stepToDo')}</VisuallyHidden>
                  </Text>
                </Group>
              </Anchor>
            </li>
          ))}
        </Group>
      </nav>

      <Step
        n={1}
        id="step-recipients"
        title={t('composer.step.recipients')}
        done={!!list && sendable !== undefined && sendable > 0}
        summary={list ? (list.source ? t('composer.listSummarySource', { list: list.name, source: list.source }) : list.name) : t('composer.listHint')}
      >
        <Stack gap="xs">
          <Select
            label={t('composer.list')}
            placeholder={lists.data?.length === 0 ? t('composer.noLists') : t('composer.chooseList')}
            data={(lists.data ?? []).map((l) => ({ value: String(l.id), label: t('composer.listOption', { name: l.name, count: l.recipients }) }))}
            value={listId === null ? null : String(listId)}
            onChange={(v) => setListId(v ? Number(v) : null)}
            maw={420}
          />
          {lists.data?.length === 0 && (
            <Text size="sm">
              {rich('composer.importFirst', {
                a: (c) => (
                  <Anchor underline="always" href={href('recipients', 'import')}>
                    {c}
                  </Anchor>
                ),
              })}
            </Text>
          )}
          {list && audience && (
            <Stack gap={4} aria-live="polite">
              {!audience.done ? (
                <Text size="sm">{t('composer.checkingList')}</Text>
              ) : audience.error ? (
                <CoreError error={audience.error} title={t('composer.listCheckFailed')} />
              ) : (
                <>
                  <Text size="sm">
                    {rich('composer.willReceive', { count: audience.total - audience.suppressed, onList: list.recipients, b: (c) => <b>{c}</b> })}
                  </Text>
                  {audience.suppressed > 0 && (
                    <Text size="sm">
                      {t('composer.suppressedSkipped', {
                        count: audience.suppressed,
                        sample: audience.suppressedSample.join(', ') + (audience.suppressed > audience.suppressedSample.length ? '…' : ''),
                      })}
                    </Text>
                  )}
                </>
              )}
            </Stack>
          )}
        </Stack>
      </Step>

      <Step
        n={2}
        id="step-from"
        title={t('composer.step.from')}
        done={!!relay}
        summary={t('composer.fromHint')}
      >
        <Stack gap="xs">
          <Select
            label={t('composer.sendThrough')}
            placeholder={relays.data?.length === 0 ? t('composer.noRelays') : t('composer.chooseRelay')}
            data={(relays.data ?? []).map((r) => ({ value: String(r.id), label: t('composer.relayOption', { name: r.name, host: r.host }) }))}
            value={relayId === null ? null : String(relayId)}
            onChange={(v) => setRelayId(v ? Number(v) : null)}
            maw={420}
          />
          {relays.data?.length === 0 && (
            <Text size="sm">
              {rich('composer.addRelayFirst', {
                a: (c) => (
                  <Anchor underline="always" href={href('relays', 'new')}>
                    {c}
                  </Anchor>
                ),
              })}
            </Text>
          )}
          {relay && (relays.data?.length ?? 0) > 1 && (
            <MultiSelect
              label={t('composer.backups')}
              description={t('composer.backupsHint')}
              placeholder={backupIds.length ? undefined : t('composer.noBackup')}
              data={(relays.data ?? []).filter((r) => r.id !== relayId).map((r) => ({ value: String(r.id), label: t('composer.relayOption', { name: r.name, host: r.host }) }))}
              value={backupIds.filter((id) => id !== relayId).map(String)}
              onChange={(v) => setBackupIds(v.map(Number))}
              clearable
              maw={420}
            />
          )}
          {relay && (
            <Text size="sm">
              {relay.quota.dailyLimit
                ? t('composer.quotaLeft', { left: Math.max(0, relay.quota.dailyLimit - relay.quota.usedToday), limit: relay.quota.dailyLimit })
                : t('composer.noDailyLimit')}{' '}
              {template && rich('composer.sentAs', { from: template.from, b: (c) => <b>{c}</b> })}
            </Text>
          )}
        </Stack>
      </Step>

      <Step n={3} id="step-subject" title={t('composer.step.subject')} done={!!template?.subject && !!name.trim()} summary={t('composer.subjectHint')}>
        <Stack gap="xs">
          <Text size="sm">
            {template ? (
              <>
                {rich('composer.subjectLine', { subject: preview.value?.subject ?? template.subject, b: (c) => <b>{c}</b> })}{' '}
                <Text span c="dimmed" size="sm">
                  {rich('composer.subjectAs', {
                    who: preview.value?.recipient.email ?? t('composer.firstRecipient'),
                    a: (c) => (
                      <Anchor underline="always" href={href('templates', template.id)} size="sm">
                        {c}
                      </Anchor>
                    ),
                  })}
                </Text>
              </>
            ) : (
              <Text span c="dimmed" size="sm">
                {t('composer.subjectFromTemplate')}
              </Text>
            )}
          </Text>
          <TextInput label={t('composer.name')} description={t('composer.nameHint')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameProblem} maw={420} />
        </Stack>
      </Step>

      <Step n={4} id="step-content" title={t('composer.step.content')} done={!!template && !!review && !blocksContent} summary={t('composer.contentHint')}>
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="sm">
              <Select
                label={t('composer.template')}
                placeholder={templates.data?.length === 0 ? t('composer.noTemplates') : t('composer.chooseTemplate')}
                data={(templates.data ?? []).map((x) => ({ value: String(x.id), label: x.name }))}
                value={templateId === null ? null : String(templateId)}
                onChange={(v) => setTemplateId(v ? Number(v) : null)}
              />
              {template && (
                <Anchor underline="always" href={href('templates', template.id)} size="sm">
                  {t('composer.editTemplate', { name: template.name })}
                </Anchor>
              )}
              {templates.data?.length === 0 && (
                <Text size="sm">
                  {rich('composer.writeFirst', {
                    a: (c) => (
                      <Anchor underline="always" href={href('templates', 'new')}>
                        {c}
                      </Anchor>
                    ),
                  })}
                </Text>
              )}
              <UnsubscribeStep
                value={unsubscribe}
                onChange={setUnsubscribe}
                sendingAddress={template ? mailboxAddress(template.from) : undefined}
                saved={!!existing}
              />
              {list && (
                <FallbacksPanel
                  fields={uses}
                  emptyByField={audience?.emptyByField}
                  listName={list.name}
                  listFields={list.fields}
                  headingOrder={3}
                />
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            {preview.error && <CoreError error={preview.error} title={t('composer.previewFailed')} />}
            {template && (
              <Stack gap="xs">
                <Group justify="flex-end">
                  <SendTestButton
                    message={{ id: template.id, ...(list ? { list: list.name, index } : {}), unsubscribe: unsub ?? null, campaignName: name || undefined }}
                    relay={relay?.name}
                    recipient={preview.value?.recipient.email}
                  />
                </Group>
                <MessagePreview
                  preview={preview.value}
                  stepper={<RecipientStepper index={index} total={preview.value?.total ?? 0} onChange={setIndex} email={preview.value?.recipient.email} />}
                />
              </Stack>
            )}
          </Grid.Col>
        </Grid>
      </Step>

      <Step n={5} id="step-review" title={t('composer.step.review')} done={ready}>
        <Stack gap="sm">
          <Text size="lg" role="status" aria-live="polite">
            {review && review.list && review.template && review.relay ? (
              rich('composer.summary', {
                send: atMs ? 'schedule' : 'send',
                template: review.template,
                count: review.recipients,
                list: review.list,
                from: review.from ?? '',
                relay: review.relay,
                at: review.at ? formatWhen(review.at) : 'none',
                b: (c) => <b>{c}</b>,
              })
            ) : (
              t('composer.summaryIncomplete')
            )}
          </Text>
          {review?.plan && review.recipients > 0 && <Text size="sm">{describePlan(review.plan, review.plan.startsAt)}</Text>}
          {reviewQuery.error && <CoreError error={reviewQuery.error} title={t('composer.reviewFailed')} />}

          {(blockers.length > 0 || formErrors.length > 0) && (
            <Notice color="red" title={t('composer.beforeSend')} role="alert">
              <List size="sm" spacing={4} aria-label={t('composer.blockers')}>
                {blockers.map((b) => (
                  <List.Item key={reviewKey(b)} data-code={b.code}>
                    <ReviewText item={b} context={reviewContext} />
                    {b.code === 'ATTACHMENTS_UNREADABLE' && (
                      <Checkbox
                        mt={4}
                        label={t('composer.skipFiles')}
                        checked={!!acks[reviewKey(b)]}
                        onChange={(e) => {
                          const checked = e.currentTarget.checked;
                          setAcks((a) => ({ ...a, [reviewKey(b)]: checked }));
                        }}
                      />
                    )}
                  </List.Item>
                ))}
                {formErrors.map((e) => (
                  <List.Item key={e}>{e}</List.Item>
                ))}
              </List>
            </Notice>
          )}
          {advice.map((w) => (
            <Notice key={reviewKey(w)} color="blue" title={t('composer.worthDoing')} role="note">
              <Text size="sm" data-code={w.code}>
                <ReviewText item={w} context={reviewContext} />
              </Text>
            </Notice>
          ))}
          {warnings.length > 0 && (
            <Paper withBorder p="sm" radius="md" component="fieldset" aria-label={t('composer.warnings')} style={{ border: '1px solid var(--mantine-color-yellow-5)' }}>
              <Text component="legend" size="sm" fw={600} px={4}>
                {t('composer.tickEach')}
              </Text>
              <Stack gap={6}>
                {warnings.map((w) => (
                  <Group key={reviewKey(w)} gap={6} wrap="nowrap" align="flex-start" data-code={w.code}>
                    <Checkbox
                      aria-label={reviewMessage(w)}
                      checked={!!acks[reviewKey(w)]}
                      onChange={(e) => {
                        const checked = e.currentTarget.checked;
                        setAcks((a) => ({ ...a, [reviewKey(w)]: checked }));
                      }}
                    />
                    <Text size="sm">
                      <ReviewText item={w} context={reviewContext} />
                    </Text>
                  </Group>
                ))}
              </Stack>
            </Paper>
          )}

          <Radio.Group label={t('composer.when')} value={when} onChange={(v) => setWhen(v as 'now' | 'later')}>
            <Group mt={4}>
              <Radio value="now" label={t('composer.sendNow')} />
              <Radio value="later" label={t('composer.sendLater')} />
            </Group>
          </Radio.Group>
          {when === 'later' && <TextInput type="datetime-local" label={t('composer.dateTime')} value={at} onChange={(e) => setAt(e.currentTarget.value)} maw={260} />}

          {sendError && <CoreError error={sendError} title={t('composer.notSent')} />}
          {countdown !== null ? (
            <Notice color="indigo" title={t('composer.sendingIn', { count: countdown })} role="alert">
              <Group justify="space-between">
                <Text size="sm">{t('composer.nothingLeftYet')}</Text>
                <Button color="red" onClick={undo} autoFocus>
                  {t('composer.undo')}
                </Button>
              </Group>
            </Notice>
          ) : (
            <Group>
              <Button size="md" disabled={!ready || sending} loading={sending} onClick={() => (atMs ? void reallySend() : startCountdown())}>
                {buttonLabel}
              </Button>
              {!ready && blocking.length === 0 && formErrors.length === 0 && unacknowledged.length > 0 && (
                <Text size="sm" c="dimmed">
                  {t('composer.tickToGoOn', { count: unacknowledged.length })}
                </Text>
              )}
            </Group>
          )}
        </Stack>
      </Step>
    </Page>
  );
}

type ReviewDraftInput = { name: string; list: number | null; template: number | null; relays: number[]; at: number | null; unsubscribe: string | null };

function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

