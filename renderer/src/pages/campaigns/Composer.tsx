/**
 * A campaign is one screen with a checklist: Recipients, From, Subject, Content, then Review & send. Each step
 * ticks itself when it is complete; the review names everything in one sentence, blocks on errors, asks for
 * each warning to be acknowledged, estimates the time at the relay's limits, and the button carries the count.
 * Pressing it starts a few seconds in which nothing has been sent and Undo takes it all back: the core is only
 * asked to send once that window has passed.
 *
 * This page holds the campaign as it is being filled in and composes the steps; each step is one file in
 * compose/, and so are the review (useCampaignReview), the preview (useMessagePreview) and the send with its
 * undo (useSendWithUndo).
 */
import { Anchor, Button } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { invalidate, useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { notifyDone } from '../../components/CoreError';
import { Page } from '../../components/Page';
import type { CampaignDetail } from '../../../../shared/contract/sending';
import { fieldUses } from '../../../../shared/merge-fields';
import { parseUnsubscribe } from '../../../../shared/unsubscribe';
import { t } from '../../i18n';
import { rich } from '../../i18n/rich';
import { useAudience } from './audience';
import { campaignNameProblem, suggestCampaignName } from './name';
import { Checklist, type StepsDone } from './compose/Checklist';
import { RecipientsStep } from './compose/RecipientsStep';
import { FromStep } from './compose/FromStep';
import { SubjectStep } from './compose/SubjectStep';
import { ContentStep } from './compose/ContentStep';
import { ReviewStep } from './compose/ReviewStep';
import { ScheduleChoice, toLocalInput, type When } from './compose/ScheduleChoice';
import { SendControls } from './compose/SendControls';
import { useMessagePreview } from './compose/useMessagePreview';
import { useCampaignReview } from './compose/useCampaignReview';
import { useSendWithUndo } from './compose/useSendWithUndo';

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
  const [when, setWhen] = useState<When>(existing?.scheduledAt ? 'later' : 'now');
  const [at, setAt] = useState(() => (existing?.scheduledAt ? toLocalInput(existing.scheduledAt) : ''));

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

  const unsubParsed = parseUnsubscribe(unsubscribe);
  const unsub = unsubParsed.ok ? unsubParsed.value : null;
  const preview = useMessagePreview(template, list, unsub, name);

  const uses = useMemo(() => (template ? fieldUses(template.subject, template.body, template.from) : []), [template]);

  // Review: the core decides what blocks and what to acknowledge (campaigns:review); the window shows it. Only
  // what the form itself can't read (an unfinished date, an unsubscribe that isn't a link) is checked here.
  const parsedAt = when === 'later' && at ? new Date(at).getTime() : null;
  // An unfinished date is no schedule: the form says so, and a draft saved meanwhile keeps none.
  const atMs = parsedAt !== null && !Number.isNaN(parsedAt) ? parsedAt : null;
  const formErrors: string[] = [];
  if (nameProblem) formErrors.push(t('composer.formName', { problem: nameProblem }));
  if (!unsubParsed.ok) formErrors.push(t('composer.formUnsub', { reason: unsubParsed.error }));
  if (when === 'later' && atMs === null) formErrors.push(t('composer.formDate'));
  const relayIds = relayId === null ? [] : [relayId, ...backupIds.filter((id) => id !== relayId && relays.data?.some((r) => r.id === id))];
  const unsubscribeToSave = unsub ? unsubscribe.trim() : null;
  const check = useCampaignReview(
    {
      name: name.trim(),
      list: listId,
      template: templateId,
      relays: relayIds,
      at: atMs,
      unsubscribe: unsubscribeToSave,
    },
    formErrors,
  );
  const sendable = check.review?.recipients;

  const send = useSendWithUndo(
    existing?.id,
    { name: name.trim(), list: listId!, template: templateId!, relays: relayIds, unsubscribe: unsubscribeToSave, at: atMs },
    check.skipFiles,
  );

  const done: StepsDone = {
    recipients: !!list && sendable !== undefined && sendable > 0,
    from: !!relay,
    subject: !!template?.subject && !!name.trim(),
    content: !!template && !!check.review && !check.blocksContent,
    review: check.ready,
  };

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
            void send.saveDraft().then((id) => {
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
      <Checklist done={done} />
      <RecipientsStep done={done.recipients} lists={lists.data} listId={listId} onListId={setListId} list={list} audience={audience} />
      <FromStep
        done={done.from}
        relays={relays.data}
        relayId={relayId}
        onRelayId={setRelayId}
        backupIds={backupIds}
        onBackupIds={setBackupIds}
        relay={relay}
        template={template}
      />
      <SubjectStep done={done.subject} template={template} preview={preview} name={name} onName={setName} nameProblem={nameProblem} />
      <ContentStep
        done={done.content}
        templates={templates.data}
        templateId={templateId}
        onTemplateId={setTemplateId}
        template={template}
        unsubscribe={unsubscribe}
        onUnsubscribe={setUnsubscribe}
        unsub={unsub}
        saved={!!existing}
        list={list}
        audience={audience}
        uses={uses}
        preview={preview}
        campaignName={name}
        relayName={relay?.name}
      />
      <ReviewStep check={check} scheduled={!!atMs} context={{ templateId }}>
        <ScheduleChoice when={when} onWhen={setWhen} at={at} onAt={setAt} />
        <SendControls
          recipients={sendable}
          scheduled={!!atMs}
          ready={check.ready}
          toTick={check.toTick}
          sending={send.sending}
          sendError={send.sendError}
          countdown={send.countdown}
          onSend={send.send}
          onUndo={send.undo}
        />
      </ReviewStep>
    </Page>
  );
}
