/** Campaign history, newest first: each campaign's state in words and how many got it. */
import { Anchor, Button, Progress, Table, Text } from '@mantine/core';
import { StateBadge } from '../../components/StateBadge';
import { pauseReasonText } from './pause-reason';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import type { CampaignState } from '../../../../shared/contract/sending';
import { t, type MessageKey } from '../../i18n';
import { formatDate, formatList, formatNumber, formatPercent } from '../../i18n/format';

export const CAMPAIGN_STATE_WORDS: Record<CampaignState, { label: MessageKey; color: string }> = {
  draft: { label: 'campaignState.draft', color: 'gray' },
  scheduled: { label: 'campaignState.scheduled', color: 'blue' },
  sending: { label: 'campaignState.sending', color: 'blue' },
  waiting: { label: 'campaignState.waiting', color: 'yellow' },
  paused: { label: 'campaignState.paused', color: 'yellow' },
  completed: { label: 'campaignState.completed', color: 'green' },
  cancelled: { label: 'campaignState.cancelled', color: 'gray' },
};

export function CampaignList() {
  const q = useQuery('campaignsList', {}, { refreshOn: ['campaign:progress'] });
  const overview = useQuery('appOverview', {});
  const o = overview.data;
  const missing = o ? [o.relays === 0 && t('campaigns.missing.relay'), o.lists === 0 && t('campaigns.missing.list'), o.templates === 0 && t('campaigns.missing.template')].filter((m): m is string => !!m) : [];
  return (
    <Page
      title={t('nav.campaigns')}
      description={t('campaigns.description')}
      actions={
        <Button component="a" href={href('campaigns', 'new')}>
          {t('campaigns.new')}
        </Button>
      }
    >
      <Loading {...q}>
        {(campaigns) =>
          campaigns.length === 0 ? (
            <Empty title={t('campaigns.empty')} action={t('common.startCampaign')} actionHref={href('campaigns', 'new')}>
              {t('campaigns.emptyBody')}
              {missing.length > 0 ? ` ${t('campaigns.stillNeed', { things: formatList(missing) })}` : ''}
            </Empty>
          ) : (
            // At the smallest window, longer labels (German) make the table wider than the page: it scrolls on its own.
            <Table.ScrollContainer minWidth={760} type="native"><Table striped highlightOnHover aria-label={t('nav.campaigns')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('campaigns.col.name')}</Table.Th>
                  <Table.Th>{t('common.col.state')}</Table.Th>
                  <Table.Th>{t('common.col.list')}</Table.Th>
                  <Table.Th>{t('campaigns.col.progress')}</Table.Th>
                  <Table.Th ta="right">{t('counter.sent')}</Table.Th>
                  <Table.Th ta="right">{t('counter.failed')}</Table.Th>
                  <Table.Th>{t('campaigns.col.created')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {campaigns.map((c) => {
                  const w = CAMPAIGN_STATE_WORDS[c.state];
                  const pct = c.total ? Math.round(((c.sent + c.failed) / c.total) * 100) : 0;
                  return (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor underline="always" href={href('campaigns', c.id)}>{c.name}</Anchor>
                      </Table.Td>
                      <Table.Td>
                        <StateBadge color={w.color} title={pauseReasonText(c) ?? undefined}>
                          {t(w.label)}
                        </StateBadge>
                      </Table.Td>
                      <Table.Td>{c.listName ?? '—'}</Table.Td>
                      <Table.Td w={140}>
                        {c.total > 0 ? <Progress value={pct} aria-label={t('campaigns.pctDone', { name: c.name, pct: formatPercent(pct) })} /> : <Text size="sm" c="dimmed">{t('campaigns.notStarted')}</Text>}
                      </Table.Td>
                      <Table.Td ta="right">{formatNumber(c.sent)}</Table.Td>
                      <Table.Td ta="right">{formatNumber(c.failed)}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(c.createdAt)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table></Table.ScrollContainer>
          )
        }
      </Loading>
    </Page>
  );
}
