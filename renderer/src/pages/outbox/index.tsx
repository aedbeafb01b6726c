/**
 * The outbox: what waits to leave across every campaign, and how much of each relay's daily quota is left.
 * Messages wait here safely (in the database) until a relay accepts them, across restarts and lost connections.
 */
import { Anchor, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { Notice } from '../../components/Notice';
import { StateBadge } from '../../components/StateBadge';
import { useQuery } from '../../api/hooks';
import type { SectionProps } from '../../app/sections';
import { href } from '../../app/router';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import { CAMPAIGN_STATE_WORDS } from '../campaigns/CampaignList';
import { formatWhen } from '../campaigns/plan';

export function OutboxPage(_: SectionProps) {
  const q = useQuery('outboxOverview', {}, { refreshOn: ['campaign:progress'], pollMs: 5000 });
  const relays = useQuery('relaysList', {}, { refreshOn: ['relays:changed', 'campaign:progress'] });
  return (
    <Page title="Outbox" description="Messages waiting to leave, across all campaigns. They stay here safely until the relay accepts them, even if you close Postroom or lose your connection.">
      <Loading {...q}>
        {(o) => {
          const waiting = o.active.reduce((n, c) => n + c.queued + c.sending + c.deferred, 0);
          const alive = o.engines.filter((e) => e.alive);
          return (
            <Stack gap="lg">
              {o.active.length === 0 ? (
                <Empty title="Nothing is waiting to be sent" action="Go to Campaigns" actionHref={href('campaigns')}>
                  When you send a campaign, each message waits here until your relay accepts it, even if you close Postroom or lose your
                  connection.
                </Empty>
              ) : (
                <Stack gap="sm">
                  <Text size="sm" role="status">
                    <b>{waiting.toLocaleString()}</b> message{waiting === 1 ? '' : 's'} waiting in {o.active.length} campaign{o.active.length === 1 ? '' : 's'}.{' '}
                    {alive.length > 0
                      ? `Sending runs in ${alive.map((e) => (e.hostKind === 'cli' ? 'the command line' : e.hostKind === 'browser' ? 'postroom serve' : 'the desktop app')).join(' and ')}.`
                      : ''}
                  </Text>
                  {alive.length === 0 && (
                    <Notice color="yellow" title="Nothing is sending right now">
                      No Postroom is running the outbox, so messages wait. They go as soon as the desktop app or <code>postroom send</code> runs.
                    </Notice>
                  )}
                  <Table striped aria-label="Campaigns with messages waiting">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Campaign</Table.Th>
                        <Table.Th>State</Table.Th>
                        <Table.Th ta="right">Waiting</Table.Th>
                        <Table.Th ta="right">Retrying</Table.Th>
                        <Table.Th ta="right">Sent</Table.Th>
                        <Table.Th>When the rest goes</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {o.active.map((c) => (
                        <Table.Tr key={c.id}>
                          <Table.Td>
                            <Anchor underline="always" href={href('campaigns', c.id)}>{c.campaign}</Anchor>
                          </Table.Td>
                          <Table.Td>
                            <StateBadge color={CAMPAIGN_STATE_WORDS[c.state].color} title={c.pauseReason ?? undefined}>
                              {CAMPAIGN_STATE_WORDS[c.state].label}
                            </StateBadge>
                          </Table.Td>
                          <Table.Td ta="right">{(c.queued + c.sending).toLocaleString()}</Table.Td>
                          <Table.Td ta="right">{c.deferred.toLocaleString()}</Table.Td>
                          <Table.Td ta="right">
                            {c.sent.toLocaleString()} of {c.total.toLocaleString()}
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{c.state === 'paused' ? (c.pauseReason ?? 'Paused until you resume it') : c.state === 'scheduled' && c.scheduledAt ? `Starts ${formatWhen(c.scheduledAt)}` : c.eta.message}</Text>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Stack>
              )}
            </Stack>
          );
        }}
      </Loading>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="quota-title">
        <Title order={2} size="h4" id="quota-title" mb="xs">
          Quota left today
        </Title>
        <Loading {...relays}>
          {(rs) =>
            rs.length === 0 ? (
              <Text size="sm">
                No relay yet. <Anchor underline="always" href={href('relays', 'new')}>Add one</Anchor>: the account or server your mail is sent through.
              </Text>
            ) : (
              <Table aria-label="Quota of each relay">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Relay</Table.Th>
                    <Table.Th>Used in the last 24 hours</Table.Th>
                    <Table.Th ta="right">Left</Table.Th>
                    <Table.Th>Next free</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rs.map((r) => {
                    const limit = r.quota.dailyLimit;
                    const left = limit === null ? null : Math.max(0, limit - r.quota.usedToday);
                    return (
                      <Table.Tr key={r.id}>
                        <Table.Td>{r.name}</Table.Td>
                        <Table.Td w={260}>
                          {limit === null ? (
                            <Text size="sm">{r.quota.usedToday.toLocaleString()} (no daily limit)</Text>
                          ) : (
                            <Stack gap={2}>
                              <Text size="sm">
                                {r.quota.usedToday.toLocaleString()} of {limit.toLocaleString()}
                              </Text>
                              <Progress value={(r.quota.usedToday / limit) * 100} color={left === 0 ? 'red' : undefined} aria-label={`${r.name}: ${r.quota.usedToday} of ${limit} used`} />
                            </Stack>
                          )}
                        </Table.Td>
                        <Table.Td ta="right">{left === null ? 'no limit' : left.toLocaleString()}</Table.Td>
                        <Table.Td>{r.quota.nextFreeAt ? formatWhen(r.quota.nextFreeAt) : '—'}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )
          }
        </Loading>
      </Paper>
    </Page>
  );
}
