/** What came back from one recipient (read from the mailbox): bounced, marked as spam, unsubscribed, with the server's words. */
import { Group, Text } from '@mantine/core';
import type { OutboxRow } from '../../../../shared/contract/sending';
import type { CampaignStatus } from '../../../../shared/contract/sending';
import { StateBadge } from '../../components/StateBadge';
import { FEEDBACK_COLOR, FEEDBACK_LABEL } from '../../components/feedback';

export function CameBack({ feedback }: { feedback: OutboxRow['feedback'] }) {
  if (!feedback) return null;
  return (
    <Group gap={6} wrap="nowrap" title={feedback.detail ?? undefined}>
      <StateBadge color={FEEDBACK_COLOR[feedback.kind]}>{FEEDBACK_LABEL[feedback.kind]}</StateBadge>
      {feedback.detail && (
        <Text size="xs" c="dimmed" truncate="end" maw={200}>
          {feedback.detail}
        </Text>
      )}
    </Group>
  );
}

/** The campaign's totals of what came back, in one line; nothing when nothing has. */
export function CameBackSummary({ status }: { status: Pick<CampaignStatus, 'bounced' | 'softBounced' | 'complained' | 'unsubscribed'> }) {
  const { bounced, softBounced, complained, unsubscribed } = status;
  if (!bounced && !softBounced && !complained && !unsubscribed) return null;
  const n = (x: number) => x.toLocaleString();
  return (
    <Text size="sm" aria-label="What came back">
      Came back: {n(bounced)} bounced · {n(softBounced)} temporary failures · {n(complained)} marked as spam · {n(unsubscribed)} unsubscribed. Bounced, spam and
      unsubscribed addresses are on the suppression list now.
    </Text>
  );
}
