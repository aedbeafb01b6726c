/**
 * The server part of the relay form. For "Other SMTP server" the person gives the server's name only and
 * Postroom finds the port and encryption (relays:detect); "Set the port and encryption myself" shows them.
 */
import { Checkbox, Group, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import type { Security } from '../../../../shared/contract/relays';
import { t } from '../../i18n';

interface Props {
  detect: boolean;
  canDetect: boolean;
  host: string;
  port: number;
  security: Security;
  securityOptions: Array<{ value: Security; label: string }>;
  onChange(v: Partial<{ host: string; port: number; security: Security; detect: boolean }>): void;
}

export function RelayServerFields({ detect, canDetect, host, port, security, securityOptions, onChange }: Props) {
  return (
    <Stack gap="sm">
      <Group align="flex-start" grow>
        <TextInput
          label={t('relayForm.server')}
          placeholder="smtp.example.com"
          description={detect ? t('relayForm.serverDetect') : undefined}
          value={host}
          onChange={(e) => onChange({ host: e.currentTarget.value })}
          required
        />
        {!detect && <NumberInput label={t('relayForm.port')} value={port} onChange={(v) => onChange({ port: Number(v) || 587 })} min={1} max={65535} allowDecimal={false} maw={140} />}
      </Group>
      {/* The row's whole width: a select can't wrap, and its choices are sentences ("None: unencrypted (no password, …)"), longer still in German and French. */}
      {!detect && <Select label={t('relayForm.encryption')} data={securityOptions} value={security} onChange={(v) => v && onChange({ security: v as Security })} allowDeselect={false} />}
      {canDetect && (
        <Checkbox
          label={t('relayForm.manual')}
          description={t('relayForm.manualHint')}
          checked={!detect}
          onChange={(e) => onChange({ detect: !e.currentTarget.checked })}
        />
      )}
    </Stack>
  );
}
