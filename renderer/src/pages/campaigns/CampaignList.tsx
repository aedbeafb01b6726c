/** Campaign history, newest first: each campaign's state in words and how many got it. */
import { Anchor, Button, Progress, Table, Text } from '@mantine/core';
import { StateBadge } from '../../components/StateBadge';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import type { CampaignState } from '../../../../shared/contract/sending';

export const CAMPAIGN_STATE_WORDS: Record<CampaignState, { label: string; color: string }> = {
  draft: { label: 'Draft', color: 'gray' },
  scheduled: { label: 'Scheduled', color: 'blue' },
  sending: { label: 'Sending', color: 'blue' },
  waiting: { label: 'Waiting for the relay', color: 'yellow' },
  paused: { label: 'Paused', color: 'yellow' },
  completed: { label: 'Sent', color: 'green' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

export function CampaignList() {
  const q = useQuery('campaignsList', {}, { refreshOn: ['campaign:progress'] });
  const overview = useQuery('appOverview', {});
  const o = overview.data;
  const missing = o ? [o.relays === 0 && 'a relay', o.lists === 0 && 'a list of recipients', o.templates === 0 && 'a template'].filter(Boolean) : [];
  return (
    <Page
      title="Campaigns"
      description="A campaign sends one template to one list through one relay, and keeps a record of every message."
      actions={
        <Button component="a" href={href('campaigns', 'new')}>
          New campaign
        </Button>
      }
    >
      <Loading {...q}>
        {(campaigns) =>
          campaigns.length === 0 ? (
            <Empty title="No campaigns yet" action="Start a campaign" actionHref={href('campaigns', 'new')}>
              A campaign sends a template to a list of recipients through your relay, paced to its limits.
              {missing.length > 0 ? ` You still need ${missing.join(', ')}: the checklist on Home shows the way.` : ''}
            </Empty>
          ) : (
            <Table striped highlightOnHover aria-label="Campaigns">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>List</Table.Th>
                  <Table.Th>Progress</Table.Th>
                  <Table.Th ta="right">Sent</Table.Th>
                  <Table.Th ta="right">Failed</Table.Th>
                  <Table.Th>Created</Table.Th>
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
                        <StateBadge color={w.color} title={c.pauseReason ?? undefined}>
                          {w.label}
                        </StateBadge>
                      </Table.Td>
                      <Table.Td>{c.listName ?? '—'}</Table.Td>
                      <Table.Td w={140}>
                        {c.total > 0 ? <Progress value={pct} aria-label={`${c.name}: ${pct}% done`} /> : <Text size="sm" c="dimmed">not started</Text>}
                      </Table.Td>
                      <Table.Td ta="right">{c.sent.toLocaleString()}</Table.Td>
                      <Table.Td ta="right">{c.failed.toLocaleString()}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{new Date(c.createdAt).toLocaleDateString()}</Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )
        }
      </Loading>
    </Page>
  );
}
