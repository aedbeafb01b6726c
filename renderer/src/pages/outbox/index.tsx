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
import { describeEta, formatWhen } from '../campaigns/plan';
import { t } from '../../i18n';
import { rich } from '../../i18n/rich';
import { formatList, formatNumber } from '../../i18n/format';
import { pauseReasonText } from '../campaigns/pause-reason';

export function OutboxPage(_: SectionProps) {
  const q = useQuery('outboxOverview', {}, { refreshOn: ['campaign:progress'], pollMs: 5000 });
  const relays = useQuery('relaysList', {}, { refreshOn: ['relays:changed', 'campaign:progress'] });
  return (
    <Page title={t('nav.outbox')} description={t('outbox.description')}>
      <Loading {...q}>
        {(o) => {
          const waiting = o.active.reduce((n, c) => n + c.queued + c.sending + c.deferred, 0);
          const alive = o.engines.filter((e) => e.alive);
          return (
            <Stack gap="lg">
              {o.active.length === 0 ? (
                <Empty title={t('outbox.empty')} action={t('outbox.emptyAction')} actionHref={href('campaigns')}>
                  {t('outbox.emptyBody')}
                </Empty>
              ) : (
                <Stack gap="sm">
                  <Text size="sm" role="status">
                    {rich('outbox.summary', { count: waiting, campaigns: o.active.length, b: (c) => <b>{c}</b> })}{' '}
                    {alive.length > 0
                      ? t('outbox.runsIn', { hosts: formatList(alive.map((e) => (e.hostKind === 'cli' ? t('outbox.host.cli') : e.hostKind === 'browser' ? t('outbox.host.browser') : t('outbox.host.desktop')))) })
                      : ''}
                  </Text>
                  {alive.length === 0 && (
                    <Notice color="yellow" title={t('outbox.idle')}>
                      {rich('outbox.idleBody', { code: (c) => <code>{c}</code> })}
                    </Notice>
                  )}
                  <Table striped aria-label={t('outbox.table')}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('outbox.col.campaign')}</Table.Th>
                        <Table.Th>{t('common.col.state')}</Table.Th>
                        <Table.Th ta="right">{t('counter.waiting')}</Table.Th>
                        <Table.Th ta="right">{t('counter.retrying')}</Table.Th>
                        <Table.Th ta="right">{t('counter.sent')}</Table.Th>
                        <Table.Th>{t('outbox.col.when')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {o.active.map((c) => (
                        <Table.Tr key={c.id}>
                          <Table.Td>
                            <Anchor underline="always" href={href('campaigns', c.id)}>{c.campaign}</Anchor>
                          </Table.Td>
                          <Table.Td>
                            <StateBadge color={CAMPAIGN_STATE_WORDS[c.state].color} title={pauseReasonText(c) ?? undefined}>
                              {t(CAMPAIGN_STATE_WORDS[c.state].label)}
                            </StateBadge>
                          </Table.Td>
                          <Table.Td ta="right">{formatNumber(c.queued + c.sending)}</Table.Td>
                          <Table.Td ta="right">{formatNumber(c.deferred)}</Table.Td>
                          <Table.Td ta="right">
                            {t('common.nOfTotal', { n: c.sent, total: c.total })}
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{c.state === 'paused' ? (pauseReasonText(c) ?? t('outbox.pausedUntilResume')) : c.state === 'scheduled' && c.scheduledAt ? t('outbox.starts', { when: formatWhen(c.scheduledAt) }) : describeEta(c)}</Text>
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
          {t('outbox.quotaTitle')}
        </Title>
        <Loading {...relays}>
          {(rs) =>
            rs.length === 0 ? (
              <Text size="sm">
                {rich('outbox.noRelay', { a: (c) => <Anchor underline="always" href={href('relays', 'new')}>{c}</Anchor> })}
              </Text>
            ) : (
              <Table aria-label={t('outbox.quotaTable')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('outbox.col.relay')}</Table.Th>
                    <Table.Th>{t('outbox.col.used')}</Table.Th>
                    <Table.Th ta="right">{t('outbox.col.left')}</Table.Th>
                    <Table.Th>{t('outbox.col.nextFree')}</Table.Th>
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
                            <Text size="sm">{t('outbox.usedNoLimit', { n: r.quota.usedToday })}</Text>
                          ) : (
                            <Stack gap={2}>
                              <Text size="sm">
                                {t('common.nOfTotal', { n: r.quota.usedToday, total: limit })}
                              </Text>
                              <Progress value={(r.quota.usedToday / limit) * 100} color={left === 0 ? 'red' : undefined} aria-label={t('outbox.usedLabel', { name: r.name, n: r.quota.usedToday, total: limit })} />
                            </Stack>
                          )}
                        </Table.Td>
                        <Table.Td ta="right">{left === null ? t('outbox.noLimit') : formatNumber(left)}</Table.Td>
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
