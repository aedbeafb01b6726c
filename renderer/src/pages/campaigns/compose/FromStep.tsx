/**
 * Composer, step 2 (From): the relay it is sent through, the relays that take over in order when that one can't
 * be reached, how much of the relay's daily limit is left, and the sender the template names.
 */
import { Anchor, MultiSelect, Select, Stack, Text } from '@mantine/core';
import type { RelaySummary } from '../../../../../shared/contract/relays';
import type { Template } from '../../../../../shared/contract/templates';
import { href } from '../../../app/router';
import { t } from '../../../i18n';
import { rich } from '../../../i18n/rich';
import { Step } from './Step';

const relayOption = (r: RelaySummary) => ({ value: String(r.id), label: t('composer.relayOption', { name: r.name, host: r.host }) });

export function FromStep({
  done,
  relays,
  relayId,
  onRelayId,
  backupIds,
  onBackupIds,
  relay,
  template,
}: {
  done: boolean;
  /** Every relay (undefined while they load). */
  relays: RelaySummary[] | undefined;
  relayId: number | null;
  onRelayId: (id: number | null) => void;
  backupIds: number[];
  onBackupIds: (ids: number[]) => void;
  /** The chosen relay. */
  relay: RelaySummary | undefined;
  template: Template | undefined;
}) {
  return (
    <Step
      n={2}
      id="step-from"
      title={t('composer.step.from')}
      done={done}
      summary={t('composer.fromHint')}
    >
      <Stack gap="xs">
        <Select
          label={t('composer.sendThrough')}
          placeholder={relays?.length === 0 ? t('composer.noRelays') : t('composer.chooseRelay')}
          data={(relays ?? []).map(relayOption)}
          value={relayId === null ? null : String(relayId)}
          onChange={(v) => onRelayId(v ? Number(v) : null)}
          maw={420}
        />
        {relays?.length === 0 && (
          <Text size="sm">
            {rich('composer.addRelayFirst', {
              a: (c) => (
                <Anchor underline="always" href={href('relays', 'new')}>
                  {c}
                </Anchor>
              ),
            })}
          </Text>
        )}
        {relay && (relays?.length ?? 0) > 1 && (
          <MultiSelect
            label={t('composer.backups')}
            description={t('composer.backupsHint')}
            placeholder={backupIds.length ? undefined : t('composer.noBackup')}
            data={(relays ?? []).filter((r) => r.id !== relayId).map(relayOption)}
            value={backupIds.filter((id) => id !== relayId).map(String)}
            onChange={(v) => onBackupIds(v.map(Number))}
            clearable
            maw={420}
          />
        )}
        {relay && (
          <Text size="sm">
            {relay.quota.dailyLimit
              ? t('composer.quotaLeft', { left: Math.max(0, relay.quota.dailyLimit - relay.quota.usedToday), limit: relay.quota.dailyLimit })
              : t('composer.noDailyLimit')}{' '}
            {template && rich('composer.sentAs', { from: template.from, b: (c) => <b>{c}</b> })}
          </Text>
        )}
      </Stack>
    </Step>
  );
}
