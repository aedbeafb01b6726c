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
import type { CampaignDetail } from '../../../../shared/contract/sending';
import type { Template, TemplateCheck, TemplatePreview } from '../../../../shared/contract/templates';
import type { AppError } from '../../../../shared/result';
import { useAudience } from './audience';
import { describePlan, formatWhen, people, planSend } from './plan';
import { fieldUses } from '../templates/fields';

const UNDO_SECONDS = 5;

function Step({ n, title, done, summary, children, id }: { n: number; title: string; done: boolean; summary?: ReactNode; children: ReactNode; id: string }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`${id}-title`} id={id}>
      <Group gap="sm" mb="sm" wrap="nowrap" align="flex-start">
        <StepMark size="sm" done={done} n={n} />
        <div style={{ flex: 1, minWidth: 0 }}>
          <Title order={2} size="h4" id={`${id}-title`}>
            {title}
            {done && <VisuallyHidden> (done)</VisuallyHidden>}
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

function parseUnsubscribe(v: string): { url?: string; mailto?: string } | null {
  const s = v.trim();
  if (/^https:\/\/\S+$/i.test(s)) return { url: s };
  if (/^mailto:\S+@\S+$/i.test(s)) return { mailto: s.slice(7) };
  return null;
}

function addressOf(from: string): string {
  return /<([^<>]+)>/.exec(from)?.[1] ?? from.trim();
}

export function Composer({ existing }: { existing?: CampaignDetail }) {
  const lists = useQuery('listsList', {}, { refreshOn: ['lists:changed'] });
  const templates = useQuery('templatesList', {});
  const relays = useQuery('relaysList', {}, { refreshOn: ['relays:changed'] });

  const [listId, setListId] = useState<number | null>(existing?.listId ?? null);
  const [templateId, setTemplateId] = useState<number | null>(existing?.templateId ?? null);
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
  const [template, setTemplate] = useState<Template | undefined>();
  useEffect(() => {
    if (templateId === null) return setTemplate(undefined);
    let stop = false;
    void call('templatesGet', { id: templateId }).then((r) => !stop && setTemplate(r.ok ? r.value : undefined));
    return () => {
      stop = true;
    };
  }, [templateId]);
  useEffect(() => {
    if (!name && template) setName(`${template.subject || template.name} · ${new Date().toLocaleDateString()}`);
  }, [template, name]);

  const audience = useAudience(list?.id);
  const sendable = audience?.done ? audience.total - audience.suppressed : undefined;

  const [check, setCheck] = useState<{ value?: TemplateCheck; error?: AppError }>({});
  useEffect(() => {
    if (!template || !list) return setCheck({});
    let stop = false;
    void call('templatesCheck', { id: template.id, list: list.name }).then((r) => !stop && setCheck(r.ok ? { value: r.value } : { error: r.error }));
    return () => {
      stop = true;
    };
  }, [template, list]);

  const [index, setIndex] = useState(0);
  useEffect(() => setIndex(0), [list?.id]);
  const unsub = parseUnsubscribe(unsubscribe);
  const [debUnsub] = useDebouncedValue(unsub ? JSON.stringify(unsub) : '', 400);
  const [preview, setPreview] = useState<{ value?: TemplatePreview; error?: AppError }>({});
  useEffect(() => {
    if (!template) return setPreview({});
    let stop = false;
    void call('templatesPreview', {
      id: template.id,
      ...(list ? { list: list.name, index } : {}),
      unsubscribe: debUnsub ? (JSON.parse(debUnsub) as { url?: string; mailto?: string }) : null,
      campaignName: name || undefined,
    }).then((r) => !stop && setPreview(r.ok ? { value: r.value } : { error: r.error }));
    return () => {
      stop = true;
    };
    // The campaign name only changes the {{ campaign }} field: not worth a new preview on each keystroke.
  }, [template, list, index, debUnsub]);

  const uses = useMemo(() => (template ? fieldUses(template.subject, template.body, template.from) : []), [template]);

  // Review: what blocks, what to acknowledge.
  const errors: string[] = [];
  if (!list) errors.push('Choose who receives it (step 1).');
  else if (list.recipients === 0) errors.push(`The list “${list.name}” is empty. Import recipients into it first.`);
  else if (sendable === 0) errors.push(`Everyone on “${list.name}” is on the suppression list: nobody would receive it.`);
  if (!relay) errors.push('Choose the account it is sent through (step 2).');
  else if (relay.auth !== 'none' && relay.passwordSource === 'none') errors.push(`The relay “${relay.name}” has no password yet. Add it in Relays.`);
  if (!template) errors.push('Choose the template to send (step 4).');
  if (check.value) {
    for (const e of check.value.errors) errors.push(`The template has a problem in its ${e.part} (line ${e.line}, column ${e.column}): ${e.message}`);
    for (const m of check.value.missing) errors.push(`The template uses the field “${m.field}” (${m.part}, line ${m.line}, column ${m.column}) but “${list?.name}” has no such column.`);
  }
  if (check.error) errors.push(check.error.message);
  if (!name.trim()) errors.push('Give the campaign a name (step 3).');
  if (unsubscribe.trim() && !unsub) errors.push('The unsubscribe address must start with https:// or mailto: (step 4).');
  const atMs = when === 'later' && at ? new Date(at).getTime() : null;
  if (when === 'later' && (!atMs || Number.isNaN(atMs))) errors.push('Choose the date and time to send, or send now.');
  else if (atMs !== null && atMs < Date.now() - 60_000) errors.push('The scheduled time is in the past.');

  const warnings: Array<{ key: string; text: string }> = [];
  if (!unsub) warnings.push({ key: 'no-unsub', text: "There is no unsubscribe link or address: Gmail and Yahoo expect one from bulk senders, and people who can't leave mark mail as spam." });
  if (template && !/unsubscribe/i.test(template.body)) warnings.push({ key: 'no-unsub-body', text: 'The message body has no unsubscribe link.' });
  if (audience?.done) {
    for (const u of uses) {
      const empty = audience.emptyByField[u.field];
      if (empty && !u.covered) warnings.push({ key: `empty:${u.field}`, text: `“${u.field}” is empty for ${people(empty)} and has no fallback: they will see a gap where it goes.` });
    }
  }
  for (const w of check.value?.warnings ?? []) warnings.push({ key: `check:${w}`, text: w });
  const plan = relay && sendable !== undefined ? planSend(sendable, relay.limits, relay.quota, atMs ?? Date.now()) : undefined;
  if (plan && plan.later > 0) warnings.push({ key: 'quota', text: `The daily limit of “${relay!.name}” doesn't cover everyone today: ${describePlan(plan)}` });
  const unacknowledged = warnings.filter((w) => !acks[w.key]);
  const ready = errors.length === 0 && unacknowledged.length === 0 && sendable !== undefined;

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
    relays: [relayId!, ...backupIds.filter((id) => id !== relayId && relays.data?.some((r) => r.id === id))],
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
    const r = await call('campaignsSend', { campaign: id });
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
    notifyDone('Nothing was sent.', 'Sending undone');
  };

  const from = template ? addressOf(template.from) : undefined;
  const buttonLabel = sendable === undefined ? 'Send' : atMs ? `Schedule for ${people(sendable)}` : `Send to ${people(sendable)}`;

  return (
    <Page
      title={existing ? `Campaign: ${existing.name}` : 'New campaign'}
      description={
        <>
          Fill in each step; the checklist ticks itself. Nothing is sent until you press the button at the end. <Anchor underline="always" href={href('campaigns')}>All campaigns</Anchor>
        </>
      }
      actions={
        <Button
          variant="default"
          disabled={!listId || !templateId || !relayId || !name.trim()}
          onClick={() =>
            void saveDraft().then((id) => {
              if (id !== undefined) {
                invalidate();
                notifyDone('You can come back to it from Campaigns.', 'Draft saved');
              }
            })
          }
        >
          Save draft
        </Button>
      }
    >
      <nav aria-label="Checklist">
        <Group gap="md" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {[
            ['Recipients', !!list && sendable !== undefined && sendable > 0, 'step-recipients'],
            ['From', !!relay, 'step-from'],
            ['Subject', !!template?.subject && !!name.trim(), 'step-subject'],
            ['Content', !!template && !!check.value?.ok, 'step-content'],
            ['Review & send', ready, 'step-review'],
          ].map(([label, done, id], i) => (
            <li key={id as string}>
              <Anchor href={`#${id as string}`} onClick={(e) => { e.preventDefault(); document.getElementById(id as string)?.scrollIntoView({ behavior: 'smooth' }); }} underline="never" c="inherit">
                <Group gap={6} wrap="nowrap">
                  <StepMark size="sm" done={done as boolean} n={i + 1} />
                  <Text size="sm" fw={500}>
                    {label as string}
                    <VisuallyHidden>{done ? ' (done)' : ' (to do)'}</VisuallyHidden>
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
        title="Recipients"
        done={!!list && sendable !== undefined && sendable > 0}
        summary={list ? `${list.name}${list.source ? `, imported from ${list.source}` : ''}` : 'Which list receives it.'}
      >
        <Stack gap="xs">
          <Select
            label="List"
            placeholder={lists.data?.length === 0 ? 'No lists yet' : 'Choose a list'}
            data={(lists.data ?? []).map((l) => ({ value: String(l.id), label: `${l.name} (${l.recipients.toLocaleString()})` }))}
            value={listId === null ? null : String(listId)}
            onChange={(v) => setListId(v ? Number(v) : null)}
            maw={420}
          />
          {lists.data?.length === 0 && (
            <Text size="sm">
              <Anchor underline="always" href={href('recipients', 'import')}>Import a spreadsheet</Anchor> to make your first list.
            </Text>
          )}
          {list && audience && (
            <Stack gap={4} aria-live="polite">
              {!audience.done ? (
                <Text size="sm">Checking the list…</Text>
              ) : audience.error ? (
                <CoreError error={audience.error} title="The list couldn't be checked" />
              ) : (
                <>
                  <Text size="sm">
                    <b>{people(audience.total - audience.suppressed)}</b> will receive it. {list.recipients.toLocaleString()} on the list; duplicates and
                    invalid addresses were left out when it was imported.
                  </Text>
                  {audience.suppressed > 0 && (
                    <Text size="sm">
                      {people(audience.suppressed)} {audience.suppressed === 1 ? 'is' : 'are'} skipped because {audience.suppressed === 1 ? 'the address is' : 'their addresses are'} on the
                      suppression list (unsubscribed or bounced): {audience.suppressedSample.join(', ')}
                      {audience.suppressed > audience.suppressedSample.length ? '…' : ''}
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
        title="From"
        done={!!relay}
        summary="The account or server your mail is sent through (the relay), and what is left of its daily quota."
      >
        <Stack gap="xs">
          <Select
            label="Send through"
            placeholder={relays.data?.length === 0 ? 'No relays yet' : 'Choose a relay'}
            data={(relays.data ?? []).map((r) => ({ value: String(r.id), label: `${r.name} (${r.host})` }))}
            value={relayId === null ? null : String(relayId)}
            onChange={(v) => setRelayId(v ? Number(v) : null)}
            maw={420}
          />
          {relays.data?.length === 0 && (
            <Text size="sm">
              <Anchor underline="always" href={href('relays', 'new')}>Add a relay</Anchor>: the account your mail is sent through (Gmail, your web host…).
            </Text>
          )}
          {relay && (relays.data?.length ?? 0) > 1 && (
            <MultiSelect
              label="If it can't be reached, send through"
              description="Optional. When the first can't be reached, sending carries on through these, in this order."
              placeholder={backupIds.length ? undefined : 'No backup relay'}
              data={(relays.data ?? []).filter((r) => r.id !== relayId).map((r) => ({ value: String(r.id), label: `${r.name} (${r.host})` }))}
              value={backupIds.filter((id) => id !== relayId).map(String)}
              onChange={(v) => setBackupIds(v.map(Number))}
              clearable
              maw={420}
            />
          )}
          {relay && (
            <Text size="sm">
              {relay.quota.dailyLimit
                ? `${Math.max(0, relay.quota.dailyLimit - relay.quota.usedToday).toLocaleString()} of ${relay.quota.dailyLimit.toLocaleString()} left today.`
                : 'No daily limit.'}{' '}
              {template && <>Sent as <b>{template.from}</b> (set in the template).</>}
            </Text>
          )}
        </Stack>
      </Step>

      <Step n={3} id="step-subject" title="Subject" done={!!template?.subject && !!name.trim()} summary="What people see in their inbox, and the campaign's name for you.">
        <Stack gap="xs">
          <Text size="sm">
            {template ? (
              <>
                Subject: <b>{preview.value?.subject ?? template.subject}</b>{' '}
                <Text span c="dimmed" size="sm">
                  (as {preview.value?.recipient.email ?? 'the first recipient'} will see it; <Anchor underline="always" href={href('templates', template.id)} size="sm">change it in the template</Anchor>)
                </Text>
              </>
            ) : (
              <Text span c="dimmed" size="sm">
                The subject comes from the template you choose in the next step.
              </Text>
            )}
          </Text>
          <TextInput label="Campaign name" description="For you: it names the campaign in the list and the report." value={name} onChange={(e) => setName(e.currentTarget.value)} maw={420} />
        </Stack>
      </Step>

      <Step n={4} id="step-content" title="Content" done={!!template && !!check.value?.ok} summary="The template, checked against the list, with a preview for real recipients.">
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="sm">
              <Select
                label="Template"
                placeholder={templates.data?.length === 0 ? 'No templates yet' : 'Choose a template'}
                data={(templates.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
                value={templateId === null ? null : String(templateId)}
                onChange={(v) => setTemplateId(v ? Number(v) : null)}
              />
              {template && (
                <Anchor underline="always" href={href('templates', template.id)} size="sm">
                  Edit “{template.name}”
                </Anchor>
              )}
              {templates.data?.length === 0 && (
                <Text size="sm">
                  <Anchor underline="always" href={href('templates', 'new')}>Write a template</Anchor> first.
                </Text>
              )}
              <TextInput
                label="Unsubscribe link or address"
                description="https://… or mailto:… People can leave the list with one click; filters expect it."
                placeholder="mailto:unsubscribe@example.com"
                value={unsubscribe}
                onChange={(e) => setUnsubscribe(e.currentTarget.value)}
                error={unsubscribe.trim() && !unsub ? 'Start with https:// or mailto:' : undefined}
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
            {preview.error && <CoreError error={preview.error} title="The preview couldn't be made" />}
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

      <Step n={5} id="step-review" title="Review & send" done={ready}>
        <Stack gap="sm">
          <Text size="lg" role="status" aria-live="polite">
            {list && template && relay && sendable !== undefined ? (
              <>
                {atMs ? 'Schedule' : 'Send'} <b>{template.name}</b> to {people(sendable)} in <b>{list.name}</b> from <b>{from}</b> through {relay.name}
                {atMs ? <> on {formatWhen(atMs)}</> : null}.
              </>
            ) : (
              'Complete the steps above to see what will be sent.'
            )}
          </Text>
          {plan && <Text size="sm">{describePlan(plan, atMs ?? Date.now())}</Text>}

          {errors.length > 0 && (
            <Notice color="red" title="Before you can send" role="alert">
              <List size="sm" spacing={4}>
                {errors.map((e) => (
                  <List.Item key={e}>{e}</List.Item>
                ))}
              </List>
            </Notice>
          )}
          {warnings.length > 0 && (
            <Paper withBorder p="sm" radius="md" component="fieldset" style={{ border: '1px solid var(--mantine-color-yellow-5)' }}>
              <Text component="legend" size="sm" fw={600} px={4}>
                Please read and tick each one
              </Text>
              <Stack gap={6}>
                {warnings.map((w) => (
                  <Checkbox key={w.key} label={w.text} checked={!!acks[w.key]} onChange={(e) => { const checked = e.currentTarget.checked; setAcks((a) => ({ ...a, [w.key]: checked })); }} />
                ))}
              </Stack>
            </Paper>
          )}

          <Radio.Group label="When" value={when} onChange={(v) => setWhen(v as 'now' | 'later')}>
            <Group mt={4}>
              <Radio value="now" label="Send now" />
              <Radio value="later" label="Schedule for later" />
            </Group>
          </Radio.Group>
          {when === 'later' && <TextInput type="datetime-local" label="Date and time" value={at} onChange={(e) => setAt(e.currentTarget.value)} maw={260} />}

          {sendError && <CoreError error={sendError} title="It wasn't sent" />}
          {countdown !== null ? (
            <Notice color="indigo" title={`Sending in ${countdown} second${countdown === 1 ? '' : 's'}…`} role="alert">
              <Group justify="space-between">
                <Text size="sm">Nothing has left yet. Undo now if something isn't right.</Text>
                <Button color="red" onClick={undo} autoFocus>
                  Undo
                </Button>
              </Group>
            </Notice>
          ) : (
            <Group>
              <Button size="md" disabled={!ready || sending} loading={sending} onClick={() => (atMs ? void reallySend() : startCountdown())}>
                {buttonLabel}
              </Button>
              {!ready && errors.length === 0 && unacknowledged.length > 0 && (
                <Text size="sm" c="dimmed">
                  Tick {unacknowledged.length === 1 ? 'the warning' : `the ${unacknowledged.length} warnings`} above to go on.
                </Text>
              )}
            </Group>
          )}
        </Stack>
      </Step>
    </Page>
  );
}

function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

