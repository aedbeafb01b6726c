/** What came back from one recipient (read from the mailbox): bounced, marked as spam, unsubscribed, with the server's words. */
import { Group, Text } from '@mantine/core';
import type { OutboxRow } from '../../../../shared/contract/sending';
import type { CampaignStatus } from '../../../../shared/contract/sending';
import { StateBadge } from '../../components/StateBadge';
import { FEEDBACK_COLOR, FEEDBACK_LABEL } from '../../components/feedback';
import { t } from '../../i18n';
import { coreMessage } from '../../i18n/core-messages';

/** What came back, in the window's words where Postroom described it (a report, a request); a server's words as said. */
export function feedbackDetail(feedback: NonNullable<OutboxRow['feedback']>): string | null {
  if (feedback.detail === null) return null;
  return feedback.note ? coreMessage({ ...feedback.note, message: feedback.detail }) : feedback.detail;
}

export function CameBack({ feedback }: { feedback: OutboxRow['feedback'] }) {
  if (!feedback) return null;
  const detail = feedbackDetail(feedback);
  return (
    <Group gap={6} wrap="nowrap" title={detail ?? undefined}>
      <StateBadge color={FEEDBACK_COLOR[feedback.kind]}>{t(FEEDBACK_LABEL[feedback.kind])}</StateBadge>
      {detail && (
        <Text size="xs" c="dimmed" truncate="end" maw={200}>
          {detail}
        </Text>
      )}
    </Group>
  );
}

/** The campaign's totals of what came back, in one line; nothing when nothing has. */
export function CameBackSummary({ status }: { status: Pick<CampaignStatus, 'bounced' | 'softBounced' | 'complained' | 'unsubscribed'> }) {
  const { bounced, softBounced, complained, unsubscribed } = status;
  if (!bounced && !softBounced && !complained && !unsubscribed) return null;
  return (
    <Text size="sm" aria-label={t('cameBack.label')}>
      {t('cameBack.summary', { bounced, softBounced, complained, unsubscribed })}
    </Text>
  );
}
