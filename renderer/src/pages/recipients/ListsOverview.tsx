import { Button, Table, Text } from '@mantine/core';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import { SuppressionsLink } from './Suppressions';

export function ListsOverview() {
  const q = useQuery('listsList', {});
  return (
    <Page
      title="Recipients"
      description="The people you write to, in lists imported from your spreadsheets."
      actions={
        <Button component="a" href={href('recipients', 'import')}>
          Import a spreadsheet
        </Button>
      }
    >
      <Loading {...q}>
        {(lists) =>
          lists.length === 0 ? (
            <Empty title="No recipients yet" action="Import a spreadsheet" actionHref={href('recipients', 'import')}>
              Import a CSV or Excel file of the people you write to. Postroom shows you a preview first, checks every address and
              removes duplicates.
            </Empty>
          ) : (
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>List</Table.Th>
                  <Table.Th ta="right">Recipients</Table.Th>
                  <Table.Th>Fields</Table.Th>
                  <Table.Th>From</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lists.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>
                      <a href={href('recipients', 'lists', l.id)}>{l.name}</a>
                    </Table.Td>
                    <Table.Td ta="right">{l.recipients.toLocaleString()}</Table.Td>
                    <Table.Td>
                      <Text size="sm" lineClamp={1}>
                        {l.fields.join(', ')}
                      </Text>
                    </Table.Td>
                    <Table.Td>{l.source ? l.source : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </Loading>
      <SuppressionsLink />
    </Page>
  );
}
