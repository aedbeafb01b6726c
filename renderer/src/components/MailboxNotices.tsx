/** A notification whenever a background mailbox check brings something back (bounces, complaints, unsubscribes, a paused campaign). */
import { notifications } from '@mantine/notifications';
import type { MailboxCheckResult } from '../../../shared/contract/mailboxes';
import { useEvent } from '../api/hooks';
import { t } from '../i18n';
import { formatList } from '../i18n/format';

/**
 * What the check found, in the window's words. The event's `summary` is the core's English sentence; its
 * `result` holds the same facts, so the window words them itself.
 */
function wordCheck(r: MailboxCheckResult): string {
  const parts: string[] = [];
  if (r.bounces.hard) parts.push(t('mailbox.notice.bounces', { count: r.bounces.hard }));
  if (r.bounces.soft) parts.push(t('mailbox.notice.soft', { count: r.bounces.soft }));
  if (r.complaints) parts.push(t('mailbox.notice.complaints', { count: r.complaints }));
  if (r.unsubscribes) parts.push(t('mailbox.notice.unsubscribes', { count: r.unsubscribes }));
  const sentences = [
    parts.length
      ? t('mailbox.notice.cameBack', { what: formatList(parts), mailbox: r.mailbox, suppressed: r.suppressed })
      : t('mailbox.notice.checked', { mailbox: r.mailbox }),
    ...r.paused.map((name) => t('mailbox.notice.paused', { name })),
  ];
  return sentences.join(' ');
}

export function MailboxNotices() {
  useEvent('mailboxes:checked', ({ result }) => {
    const paused = result.paused.length;
    notifications.show({
      title: paused ? t('mailbox.notice.pausedTitle', { count: paused }) : t('mailbox.notice.title'),
      message: wordCheck(result),
      color: paused ? 'red' : 'blue',
      autoClose: 8000,
    });
  });
  return null;
}
