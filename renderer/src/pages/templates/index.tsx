/** Templates (owned by UI engineer B, who replaces this with the editor). Lists what exists, through the contract. */
import { Table, Text } from '@mantine/core';
import { useQuery } from '../../api/hooks';
import type { SectionProps } from '../../app/sections';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';

export function TemplatesPage(_: SectionProps) {
  const q = useQuery('templatesList', {});
  return (
    <Page title="Templates" description="The newsletters you write: subject, content and merge fields such as {{ first_name }}.">
      <Loading {...q}>
        {(templates) =>
          templates.length === 0 ? (
            <Empty title="No templates yet">
              A template is the message you send: a subject and content, with fields from your list filled in for each person. The
              template editor is on its way in this version of Postroom.
            </Empty>
          ) : (
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Subject</Table.Th>
                  <Table.Th>Format</Table.Th>
                  <Table.Th>Changed</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {templates.map((t) => (
                  <Table.Tr key={t.id}>
                    <Table.Td>{t.name}</Table.Td>
                    <Table.Td>{t.subject}</Table.Td>
                    <Table.Td>{t.format === 'html' ? 'HTML' : 'Markdown'}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{new Date(t.updatedAt).toLocaleString()}</Text>
                    </Table.Td>
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
