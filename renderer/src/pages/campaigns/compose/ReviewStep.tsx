/**
 * Composer, step 5 (Review & send): the campaign in one sentence and its plan at the relay's limits, what blocks
 * it (each with where to fix it), advice, and the warnings to tick. When to send and the button come after, as
 * its children.
 */
import { Anchor, Checkbox, Group, List, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ReviewItem } from '../../../../../shared/contract/sending';
import { CoreError } from '../../../components/CoreError';
import { Notice } from '../../../components/Notice';
import { t } from '../../../i18n';
import { rich } from '../../../i18n/rich';
import { describePlan, formatWhen } from '../plan';
import { reviewAction, reviewKey, reviewMessage, type ReviewContext } from '../review-actions';
import { scrollToStep, Step } from './Step';
import type { CampaignCheck } from './useCampaignReview';

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
            scrollToStep(action.to.slice(1));
          }}
        >
          {action.label}
        </Anchor>
      )}
    </>
  );
}

export function ReviewStep({ check, scheduled, context, children }: { check: CampaignCheck; scheduled: boolean; context: ReviewContext; children: ReactNode }) {
  const { review, blockers, formErrors, advice, warnings } = check;
  return (
    <Step n={5} id="step-review" title={t('composer.step.review')} done={check.ready}>
      <Stack gap="sm">
        <Text size="lg" role="status" aria-live="polite">
          {review && review.list && review.template && review.relay ? (
            rich('composer.summary', {
              send: scheduled ? 'schedule' : 'send',
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
        {check.error && <CoreError error={check.error} title={t('composer.reviewFailed')} />}

        {(blockers.length > 0 || formErrors.length > 0) && (
          <Notice color="red" title={t('composer.beforeSend')} role="alert">
            <List size="sm" spacing={4} aria-label={t('composer.blockers')}>
              {blockers.map((b) => (
                <List.Item key={reviewKey(b)} data-code={b.code}>
                  <ReviewText item={b} context={context} />
                  {b.code === 'ATTACHMENTS_UNREADABLE' && (
                    <Checkbox
                      mt={4}
                      label={t('composer.skipFiles')}
                      checked={check.isTicked(b)}
                      onChange={(e) => check.tick(b, e.currentTarget.checked)}
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
              <ReviewText item={w} context={context} />
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
                  <Checkbox aria-label={reviewMessage(w)} checked={check.isTicked(w)} onChange={(e) => check.tick(w, e.currentTarget.checked)} />
                  <Text size="sm">
                    <ReviewText item={w} context={context} />
                  </Text>
                </Group>
              ))}
            </Stack>
          </Paper>
        )}

        {children}
      </Stack>
    </Step>
  );
}
