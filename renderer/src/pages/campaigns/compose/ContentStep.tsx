/**
 * Composer, step 4 (Content): the template, how people leave the list, the fallbacks for fields some recipients
 * have empty, and the message as each recipient gets it, with "Send a test to me".
 */
import { Anchor, Grid, Group, Select, Stack, Text } from '@mantine/core';
import type { ListSummary } from '../../../../../shared/contract/recipients';
import type { Template, TemplateSummary } from '../../../../../shared/contract/templates';
import { mailboxAddress } from '../../../../../shared/mailbox';
import type { FieldUse } from '../../../../../shared/merge-fields';
import type { UnsubscribeMethods } from '../../../../../shared/unsubscribe';
import { href } from '../../../app/router';
import { CoreError } from '../../../components/CoreError';
import { FallbacksPanel } from '../../../components/FallbacksPanel';
import { MessagePreview, RecipientStepper } from '../../../components/MessagePreview';
import { SendTestButton } from '../../../components/SendTestButton';
import { t } from '../../../i18n';
import { rich } from '../../../i18n/rich';
import type { Audience } from '../audience';
import { UnsubscribeStep } from '../UnsubscribeStep';
import { Step } from './Step';
import type { MessagePreviewState } from './useMessagePreview';

export function ContentStep({
  done,
  templates,
  templateId,
  onTemplateId,
  template,
  unsubscribe,
  onUnsubscribe,
  unsub,
  saved,
  list,
  audience,
  uses,
  preview,
  campaignName,
  relayName,
}: {
  done: boolean;
  /** Every template (undefined while they load). */
  templates: TemplateSummary[] | undefined;
  templateId: number | null;
  onTemplateId: (id: number | null) => void;
  /** The chosen template. */
  template: Template | undefined;
  /** The unsubscribe as typed (its stored form), and as parsed (null when there is none or it doesn't parse). */
  unsubscribe: string;
  onUnsubscribe: (value: string) => void;
  unsub: UnsubscribeMethods | null;
  /** Whether the campaign has been saved (then it keeps its unsubscribe, even none). */
  saved: boolean;
  list: ListSummary | undefined;
  audience: Audience | undefined;
  /** The merge fields the template uses. */
  uses: FieldUse[];
  preview: MessagePreviewState;
  campaignName: string;
  relayName: string | undefined;
}) {
  return (
    <Step n={4} id="step-content" title={t('composer.step.content')} done={done} summary={t('composer.contentHint')}>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="sm">
            <Select
              label={t('composer.template')}
              placeholder={templates?.length === 0 ? t('composer.noTemplates') : t('composer.chooseTemplate')}
              data={(templates ?? []).map((x) => ({ value: String(x.id), label: x.name }))}
              value={templateId === null ? null : String(templateId)}
              onChange={(v) => onTemplateId(v ? Number(v) : null)}
            />
            {template && (
              <Anchor underline="always" href={href('templates', template.id)} size="sm">
                {t('composer.editTemplate', { name: template.name })}
              </Anchor>
            )}
            {templates?.length === 0 && (
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
              onChange={onUnsubscribe}
              sendingAddress={template ? mailboxAddress(template.from) : undefined}
              saved={saved}
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
                  message={{ id: template.id, ...(list ? { list: list.name, index: preview.index } : {}), unsubscribe: unsub ?? null, campaignName: campaignName || undefined }}
                  relay={relayName}
                  recipient={preview.value?.recipient.email}
                />
              </Group>
              <MessagePreview
                preview={preview.value}
                stepper={<RecipientStepper index={preview.index} total={preview.value?.total ?? 0} onChange={preview.setIndex} email={preview.value?.recipient.email} />}
              />
            </Stack>
          )}
        </Grid.Col>
      </Grid>
    </Step>
  );
}
