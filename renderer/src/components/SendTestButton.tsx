/**
 * "Send a test to me": the message of the recipient now in the preview, exactly as the campaign would send it,
 * with [TEST] in the subject, to the person's own address through a relay they choose. The address (and relay)
 * last used are remembered in this browser.
 */
import { Button, Group, Modal, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { call, useQuery } from '../api/hooks';
import { href } from '../app/router';
import { CoreError, notifyDone } from './CoreError';
import { parseAddress } from '../../../shared/email-address';
import type { Input } from '../../../shared/contract';
import type { AppError } from '../../../shared/result';
import { t } from '../i18n';
import { rich } from '../i18n/rich';

const ADDRESS_KEY = 'postroom.testAddress';
const RELAY_KEY = 'postroom.testRelay';

/** What to send: the template (saved or draft) and the recipient, as for `templates:preview`. */
export type TestMessage = Input<'templates:sendTest'> extends infer T ? (T extends unknown ? Omit<T, 'relay' | 'to'> : never) : never;

export function SendTestButton({ message, relay, recipient, disabled }: { message: TestMessage | undefined; relay?: string; recipient?: string; disabled?: boolean }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpened(true)} disabled={disabled || !message}>
        {t('sendTest.button')}
      </Button>
      {opened && message && <SendTestDialog message={message} relay={relay} recipient={recipient} onClose={() => setOpened(false)} />}
    </>
  );
}

function SendTestDialog({ message, relay, recipient, onClose }: { message: TestMessage; relay?: string; recipient?: string; onClose: () => void }) {
  const relays = useQuery('relaysList', {}, { refreshOn: ['relays:changed'] });
  const [chosen, setChosen] = useState<string | null>(() => relay ?? localStorage.getItem(RELAY_KEY));
  const names = (relays.data ?? []).map((r) => r.name);
  const relayName = chosen && names.includes(chosen) ? chosen : (names[0] ?? null);
  const [to, setTo] = useState(() => localStorage.getItem(ADDRESS_KEY) ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  const parsed = to.trim() ? parseAddress(to.trim()) : undefined;

  const send = async () => {
    if (!relayName || !parsed?.ok) return;
    setBusy(true);
    setError(undefined);
    const r = await call('templatesSendTest', { ...message, relay: relayName, to: to.trim() } as Input<'templates:sendTest'>);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    localStorage.setItem(ADDRESS_KEY, to.trim());
    localStorage.setItem(RELAY_KEY, relayName);
    notifyDone(t('sendTest.done', { to: r.value.to }), t('sendTest.doneTitle'));
    onClose();
  };

  return (
    <Modal opened onClose={onClose} title={<Title order={2} size="h4">{t('sendTest.button')}</Title>} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <Stack>
          <Text size="sm">
            {rich(recipient ? 'sendTest.introRecipient' : 'sendTest.intro', { recipient: recipient ?? '', b: (c) => <b>{c}</b> })}
          </Text>
          {relays.data?.length === 0 ? (
            <Text size="sm">
              {rich('sendTest.noRelay', { a: (c) => <a href={href('relays', 'new')}>{c}</a> })}
            </Text>
          ) : (
            <Select label={t('sendTest.relay')} data={names} value={relayName} onChange={setChosen} allowDeselect={false} />
          )}
          <TextInput
            label={t('common.yourAddress')}
            type="email"
            placeholder={t('common.addressPlaceholder')}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={parsed && !parsed.ok ? t('common.notAnAddress') : undefined}
            required
            data-autofocus
          />
          {error && <CoreError error={error} title={t('sendTest.failed')} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!relayName || !parsed?.ok}>
              {t('sendTest.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
