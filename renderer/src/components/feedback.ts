/** Words for what came back from a recipient (the mailbox) and why an address is suppressed, as a person says them. */
import type { SuppressionReason } from '../../../shared/contract/recipients';
import type { OutboxRow } from '../../../shared/contract/sending';
import type { MessageKey } from '../i18n';

type FeedbackKind = NonNullable<NonNullable<OutboxRow['feedback']>['kind']>;

/** Catalog keys: show with `t(FEEDBACK_LABEL[kind])`. */
export const FEEDBACK_LABEL: Record<FeedbackKind, MessageKey> = {
  hard: 'cameBack.kind.hard',
  soft: 'cameBack.kind.soft',
  delayed: 'cameBack.kind.delayed',
  complaint: 'cameBack.kind.complaint',
  unsubscribe: 'cameBack.kind.unsubscribe',
  'auto-reply': 'cameBack.kind.autoReply',
};

export const FEEDBACK_COLOR: Record<FeedbackKind, string> = {
  hard: 'red',
  soft: 'orange',
  delayed: 'yellow',
  complaint: 'red',
  unsubscribe: 'grape',
  'auto-reply': 'gray',
};

/** Catalog keys: show with `t(SUPPRESSION_LABEL[reason])`. */
export const SUPPRESSION_LABEL: Record<SuppressionReason, MessageKey> = {
  'hard-bounce': 'suppressions.reason.hardBounce',
  complaint: 'suppressions.reason.complaint',
  unsubscribe: 'suppressions.reason.unsubscribe',
  manual: 'suppressions.reason.manual',
  import: 'suppressions.reason.import',
};
