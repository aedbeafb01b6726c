/**
 * The one way a core error reaches a person: a headline that names the kind of problem, the core's own
 * message (which says what happened and what to do), and, when it helps, a way to try again.
 */
import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { AppError, ErrorCode } from '../../../shared/result';
import { t, type MessageKey } from '../i18n';
import { coreMessage } from '../i18n/core-messages';

const HEADLINES: Record<ErrorCode, MessageKey> = {
  INVALID_INPUT: 'error.INVALID_INPUT',
  NOT_FOUND: 'error.NOT_FOUND',
  ALREADY_EXISTS: 'error.ALREADY_EXISTS',
  CONFLICT: 'error.CONFLICT',
  DATA_NEWER: 'error.DATA_NEWER',
  DATA_CORRUPT: 'error.DATA_CORRUPT',
  DATA_UNREADABLE: 'error.DATA_UNREADABLE',
  FILE_UNREADABLE: 'error.FILE_UNREADABLE',
  IMPORT_FAILED: 'error.IMPORT_FAILED',
  TEMPLATE_INVALID: 'error.TEMPLATE_INVALID',
  AUTH_FAILED: 'error.AUTH_FAILED',
  RELAY_UNREACHABLE: 'error.RELAY_UNREACHABLE',
  TLS_FAILED: 'error.TLS_FAILED',
  DNS_FAILED: 'error.DNS_FAILED',
  SEND_FAILED: 'error.SEND_FAILED',
  CANCELLED: 'error.CANCELLED',
  REVIEW_BLOCKED: 'error.REVIEW_BLOCKED',
  UNSUPPORTED: 'error.UNSUPPORTED',
  BOUNCE_RATE: 'error.BOUNCE_RATE',
  INTERNAL: 'error.INTERNAL',
};

export function errorHeadline(error: AppError): string {
  return HEADLINES[error.code] ? t(HEADLINES[error.code]) : t('error.unknown');
}

export function CoreError({ error, onRetry, title }: { error: AppError; onRetry?: () => void; title?: string }) {
  return (
    <Alert color="red" variant="light" title={title ?? errorHeadline(error)} role="alert">
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {coreMessage(error)}
      </Text>
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="default" onClick={onRetry}>
            {t('common.tryAgain')}
          </Button>
        </Group>
      )}
    </Alert>
  );
}

/** For errors from a button press, where an inline alert has no natural place. */
export function notifyError(error: AppError): void {
  notifications.show({ color: 'red', title: errorHeadline(error), message: coreMessage(error), autoClose: 10_000 });
}

/** Done notices shown, and when: one goes with the screen change it came with, and no further. */
const doneShown = new Map<string, number>();
let watchingRoutes = false;

export function notifyDone(message: string, title?: string): void {
  const id = notifications.show({ color: 'green', title, message, autoClose: 4000 });
  doneShown.set(id, Date.now());
  if (!watchingRoutes && typeof window !== 'undefined') {
    watchingRoutes = true;
    // "Saved the relay" must not hang over the next steps: a later screen change closes it.
    window.addEventListener('hashchange', () => {
      for (const [shown, at] of doneShown) {
        if (Date.now() - at > 1000) {
          notifications.hide(shown);
          doneShown.delete(shown);
        }
      }
    });
  }
}
