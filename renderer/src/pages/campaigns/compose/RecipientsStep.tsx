/**
 * Composer, step 1 (Recipients): which list it goes to, and how many on it will receive it once the suppressed
 * addresses are skipped.
 */
import { Anchor, Select, Stack, Text } from '@mantine/core';
import type { ListSummary } from '../../../../../shared/contract/recipients';
import { href } from '../../../app/router';
import { CoreError } from '../../../components/CoreError';
import { t } from '../../../i18n';
import { rich } from '../../../i18n/rich';
import type { Audience } from '../audience';
import { Step } from './Step';

export function RecipientsStep({
  done,
  lists,
  listId,
  onListId,
  list,
  audience,
}: {
  done: boolean;
  /** Every list (undefined while they load). */
  lists: ListSummary[] | undefined;
  listId: number | null;
  onListId: (id: number | null) => void;
  /** The chosen list. */
  list: ListSummary | undefined;
  audience: Audience | undefined;
}) {
  return (
    <Step
      n={1}
      id="step-recipients"
      title={t('composer.step.recipients')}
      done={done}
      summary={list ? (list.source ? t('composer.listSummarySource', { list: list.name, source: list.source }) : list.name) : t('composer.listHint')}
    >
      <Stack gap="xs">
        <Select
          label={t('composer.list')}
          placeholder={lists?.length === 0 ? t('composer.noLists') : t('composer.chooseList')}
          data={(lists ?? []).map((l) => ({ value: String(l.id), label: t('composer.listOption', { name: l.name, count: l.recipients }) }))}
          value={listId === null ? null : String(listId)}
          onChange={(v) => onListId(v ? Number(v) : null)}
          maw={420}
        />
        {lists?.length === 0 && (
          <Text size="sm">
            {rich('composer.importFirst', {
              a: (c) => (
                <Anchor underline="always" href={href('recipients', 'import')}>
                  {c}
                </Anchor>
              ),
            })}
          </Text>
        )}
        {list && audience && (
          <Stack gap={4} aria-live="polite">
            {!audience.done ? (
              <Text size="sm">{t('composer.checkingList')}</Text>
            ) : audience.error ? (
              <CoreError error={audience.error} title={t('composer.listCheckFailed')} />
            ) : (
              <>
                <Text size="sm">
                  {rich('composer.willReceive', { count: audience.total - audience.suppressed, onList: list.recipients, b: (c) => <b>{c}</b> })}
                </Text>
                {audience.suppressed > 0 && (
                  <Text size="sm">
                    {t('composer.suppressedSkipped', {
                      count: audience.suppressed,
                      sample: audience.suppressedSample.join(', ') + (audience.suppressed > audience.suppressedSample.length ? '…' : ''),
                    })}
                  </Text>
                )}
              </>
            )}
          </Stack>
        )}
      </Stack>
    </Step>
  );
}
