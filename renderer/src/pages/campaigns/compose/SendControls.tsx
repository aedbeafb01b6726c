/**
 * Composer, the end of the review step: the button that carries the count, and once pressed the countdown in which
 * nothing has been sent yet and Undo takes it back.
 */
import { Button, Group, Text } from '@mantine/core';
import type { AppError } from '../../../../../shared/result';
import { CoreError } from '../../../components/CoreError';
import { Notice } from '../../../components/Notice';
import { t } from '../../../i18n';

export function SendControls({
  recipients,
  scheduled,
  ready,
  toTick,
  sending,
  sendError,
  countdown,
  onSend,
  onUndo,
}: {
  /** How many will receive it, once the review has said. */
  recipients: number | undefined;
  scheduled: boolean;
  ready: boolean;
  /** Warnings left to tick when they are all that holds the send back. */
  toTick: number;
  sending: boolean;
  sendError: AppError | undefined;
  /** Seconds left to undo, or null. */
  countdown: number | null;
  onSend: () => void;
  onUndo: () => void;
}) {
  const label = recipients === undefined ? t('composer.send') : scheduled ? t('composer.scheduleFor', { count: recipients }) : t('composer.sendTo', { count: recipients });
  return (
    <>
      {sendError && <CoreError error={sendError} title={t('composer.notSent')} />}
      {countdown !== null ? (
        <Notice color="indigo" title={t('composer.sendingIn', { count: countdown })} role="alert">
          <Group justify="space-between">
            <Text size="sm">{t('composer.nothingLeftYet')}</Text>
            <Button color="red" onClick={onUndo} autoFocus>
              {t('composer.undo')}
            </Button>
          </Group>
        </Notice>
      ) : (
        <Group>
          <Button size="md" disabled={!ready || sending} loading={sending} onClick={onSend}>
            {label}
          </Button>
          {toTick > 0 && (
            <Text size="sm" c="dimmed">
              {t('composer.tickToGoOn', { count: toTick })}
            </Text>
          )}
        </Group>
      )}
    </>
  );
}
