/** A notification whenever a background mailbox check brings something back (bounces, complaints, unsubscribes, a paused campaign). */
import { notifications } from '@mantine/notifications';
import { useEvent } from '../api/hooks';

export function MailboxNotices() {
  useEvent('mailboxes:checked', ({ result, summary }) => {
    notifications.show({ title: result.paused.length ? 'A campaign paused' : 'Mail came back', message: summary, color: result.paused.length ? 'red' : 'blue', autoClose: 8000 });
  });
  return null;
}
