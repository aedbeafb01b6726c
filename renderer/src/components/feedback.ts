/** Words for what came back from a recipient (the mailbox) and why an address is suppressed, as a person says them. */
import type { SuppressionReason } from '../../../shared/contract/recipients';
import type { OutboxRow } from '../../../shared/contract/sending';

type FeedbackKind = NonNullable<NonNullable<OutboxRow['feedback']>['kind']>;

export const FEEDBACK_LABEL: Record<FeedbackKind, string> = {
  hard: 'Bounced',
  soft: 'Temporary failure',
  delayed: 'Delayed',
  complaint: 'Marked as spam',
  unsubscribe: 'Unsubscribed',
  'auto-reply': 'Auto-reply',
};

export const FEEDBACK_COLOR: Record<FeedbackKind, string> = {
  hard: 'red',
  soft: 'orange',
  delayed: 'yellow',
  complaint: 'red',
  unsubscribe: 'grape',
  'auto-reply': 'gray',
};

export const SUPPRESSION_LABEL: Record<SuppressionReason, string> = {
  'hard-bounce': 'Bounced',
  complaint: 'Marked as spam',
  unsubscribe: 'Unsubscribed',
  manual: 'Added by hand',
  import: 'Imported',
};
