/**
 * Always visible at the bottom of the window: the sending account, whether Postroom and the network are
 * reachable, today's quota left, and how many messages wait in the outbox. Every number comes from the core.
 */
import { Button, Group, Text, Anchor } from '@mantine/core';
import { useNetwork } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { connectionState, onConnectionState, type ConnectionState } from '../api';
import { useQuery } from '../api/hooks';
import { href } from './router';
import { describeQuota } from '../pages/relays/limits';
import { t } from '../i18n';
import { rich } from '../i18n/rich';

function Dot({ color }: { color: string }) {
  return <span aria-hidden style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: color, marginRight: 6 }} />;
}

export function StatusBar() {
  const [link, setLink] = useState<ConnectionState>(connectionState());
  useEffect(() => onConnectionState(setLink), []);
  const network = useNetwork();
  const overview = useQuery('appOverview', {}, { pollMs: 5000 });
  const relays = useQuery('relaysList', {}, { refreshOn: ['relays:changed'], pollMs: 30_000 });

  const relay = relays.data?.[0];
  // A relay whose sign-in was refused can't send until someone signs in again: say so where it is always seen.
  const signIn = relays.data?.find((r) => r.auth === 'oauth2' && !r.signedIn && r.oauth?.problem);
  const waiting = overview.data?.outboxWaiting;

  let status: { text: string; color: string };
  if (link === 'reconnecting') status = { text: t('status.reconnecting'), color: 'var(--mantine-color-yellow-6)' };
  else if (link === 'connecting') status = { text: t('status.connecting'), color: 'var(--mantine-color-gray-6)' };
  else if (!network.online) status = { text: t('status.offline'), color: 'var(--mantine-color-red-6)' };
  else status = { text: t('status.online'), color: 'var(--mantine-color-green-6)' };

  return (
    <Group h="100%" px="md" gap="lg" wrap="nowrap" justify="space-between" aria-label={t('status.label')} role="status" style={{ overflow: 'hidden' }}>
      <Group gap="lg" wrap="nowrap">
        <Text size="xs" truncate="end">
          <Dot color={status.color} />
          {status.text}
        </Text>
        <Text size="xs" truncate="end">
          {relays.data === undefined ? (
            t('status.accountLoading')
          ) : relay ? (
            <>
              {rich('status.sendingThrough', { name: relay.name, b: (c) => <strong>{c}</strong> })}
              {relays.data.length > 1 ? t('status.moreRelays', { count: relays.data.length - 1 }) : ''} · {describeQuota(relay.quota)}
            </>
          ) : (
            <Anchor href={href('relays')} size="xs">
              {t('status.noAccount')}
            </Anchor>
          )}
        </Text>
      </Group>
      {signIn && (
        <Button component="a" href={href('relays', signIn.name)} size="compact-xs" color="orange" variant="light">
          Sign in again to {signIn.name}
        </Button>
      )}
      <Text size="xs" truncate="end">
        {waiting === undefined ? t('status.outboxLoading') : waiting === 0 ? t('status.outboxEmpty') : t('status.outboxWaiting', { count: waiting })}
      </Text>
    </Group>
  );
}
