/**
 * Composer, in the review step: when it goes, now or at a date and time (the browser's local time).
 */
import { Group, Radio, TextInput } from '@mantine/core';
import { t } from '../../../i18n';

export type When = 'now' | 'later';

export function ScheduleChoice({ when, onWhen, at, onAt }: { when: When; onWhen: (when: When) => void; at: string; onAt: (at: string) => void }) {
  return (
    <>
      <Radio.Group label={t('composer.when')} value={when} onChange={(v) => onWhen(v as When)}>
        <Group mt={4}>
          <Radio value="now" label={t('composer.sendNow')} />
          <Radio value="later" label={t('composer.sendLater')} />
        </Group>
      </Radio.Group>
      {when === 'later' && <TextInput type="datetime-local" label={t('composer.dateTime')} value={at} onChange={(e) => onAt(e.currentTarget.value)} maw={260} />}
    </>
  );
}

/** A time as the date-and-time field holds it (local, to the minute). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
