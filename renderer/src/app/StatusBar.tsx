/**
 * Always visible at the bottom of the window: the sending account, whether Postroom and the network are
 * reachable, today's quota left, and how many messages wait in the outbox. Every number comes from the core.
 */
import { Group, Text, Anchor } from '@mantine/core';
import { useNetwork } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { connectionState, onConnectionState, type ConnectionState } from '../api';
import { useQuery } from '../api/hooks';
import { href } from './router';
import { describeQuota } from '../pages/relays/limits';

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
  const waiting = overview.data?.outboxWaiting;

  let status: { text: string; color: string };
  if (link === 'reconnecting') status = { text: 'Reconnecting…', color: 'var(--mantine-color-yellow-6)' };
  else if (link === 'connecting') status = { text: 'Connecting…', color: 'var(--mantine-color-gray-6)' };
  else if (!network.online) status = { text: 'Offline: sending waits until you are back online', color: 'var(--mantine-color-red-6)' };
  else status = { text: 'Online', color: 'var(--mantine-color-green-6)' };

  return (
    <Group h="100%" px="md" gap="lg" wrap="nowrap" justify="space-between" aria-label="Status" role="status" style={{ overflow: 'hidden' }}>
      <Group gap="lg" wrap="nowrap">
        <Text size="xs" truncate="end">
          <Dot color={status.color} />
          {status.text}
        </Text>
        <Text size="xs" truncate="end">
          {relays.data === undefined ? (
            'Sending account: …'
          ) : relay ? (
            <>
              Sending through <strong>{relay.name}</strong>
              {relays.data.length > 1 ? ` (+${relays.data.length - 1} more)` : ''} · {describeQuota(relay.quota)}
            </>
          ) : (
            <Anchor href={href('relays')} size="xs">
              No sending account yet
            </Anchor>
          )}
        </Text>
      </Group>
      <Text size="xs" truncate="end">
        {waiting === undefined ? 'Outbox: …' : waiting === 0 ? 'Outbox empty' : `${waiting.toLocaleString()} waiting in the outbox`}
      </Text>
    </Group>
  );
}
