/** Campaigns (owned by UI engineer B, who replaces this with the composer, progress and reports). */
import { Badge, Table } from '@mantine/core';
import { useQuery } from '../../api/hooks';
import type { SectionProps } from '../../app/sections';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';

export function CampaignsPage(_: SectionProps) {
  const q = useQuery('campaignsList', {});
  return (
    <Page title="Campaigns" description="A campaign sends one template to one list through one relay, and keeps a record of every message.">
      <Loading {...q}>
        {(campaigns) =>
          campaigns.length === 0 ? (
            <Empty title="No campaigns yet">
              A campaign sends a template to a list of recipients. You'll need a relay, a list and a template first: the checklist on
              Home shows what is still missing.
            </Empty>
          ) : (
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>List</Table.Th>
                  <Table.Th ta="right">Sent</Table.Th>
                  <Table.Th ta="right">Failed</Table.Th>
                  <Table.Th ta="right">Total</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {campaigns.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>{c.name}</Table.Td>
                    <Table.Td>
                      <Badge variant="light">{c.state}</Badge>
                    </Table.Td>
                    <Table.Td>{c.listName ?? '—'}</Table.Td>
                    <Table.Td ta="right">{c.sent.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{c.failed.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{c.total.toLocaleString()}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </Loading>
    </Page>
  );
}
