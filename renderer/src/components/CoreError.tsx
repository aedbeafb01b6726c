/**
 * The one way a core error reaches a person: a headline that names the kind of problem, the core's own
 * message (which says what happened and what to do), and, when it helps, a way to try again.
 */
import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { AppError, ErrorCode } from '../../../shared/result';

const HEADLINES: Record<ErrorCode, string> = {
  INVALID_INPUT: 'Something in the form needs a look',
  NOT_FOUND: "That isn't there any more",
  ALREADY_EXISTS: 'That name is already taken',
  CONFLICT: "That can't be done right now",
  DATA_NEWER: 'This data was saved by a newer Postroom',
  DATA_CORRUPT: 'The data file looks damaged',
  DATA_UNREADABLE: "Postroom can't read or write its data folder",
  FILE_UNREADABLE: "That file couldn't be read",
  IMPORT_FAILED: "The import didn't finish",
  TEMPLATE_INVALID: 'The template has a problem',
  AUTH_FAILED: 'The relay refused the user name or password',
  RELAY_UNREACHABLE: "Couldn't reach the server",
  TLS_FAILED: "Couldn't set up a secure connection",
  DNS_FAILED: "Couldn't find that server name",
  SEND_FAILED: "The message couldn't be sent",
  CANCELLED: 'Stopped',
  UNSUPPORTED: "That isn't available yet",
  INTERNAL: 'Something went wrong inside Postroom',
};

export function errorHeadline(error: AppError): string {
  return HEADLINES[error.code] ?? 'Something went wrong';
}

export function CoreError({ error, onRetry, title }: { error: AppError; onRetry?: () => void; title?: string }) {
  return (
    <Alert color="red" variant="light" title={title ?? errorHeadline(error)} role="alert">
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {error.message}
      </Text>
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="default" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      )}
    </Alert>
  );
}

/** Toast text under a title in our dimmed colour: Mantine's own grey there is 3.3:1 on white. */
const toast = { styles: { description: { color: 'var(--mantine-color-dimmed)' } } } as const;

/** For errors from a button press, where an inline alert has no natural place. */
export function notifyError(error: AppError): void {
  notifications.show({ ...toast, color: 'red', title: errorHeadline(error), message: error.message, autoClose: 10_000 });
}

export function notifyDone(message: string, title?: string): void {
  notifications.show({ ...toast, color: 'green', title, message, autoClose: 4000 });
}
