/** Every template, newest change first; with none yet, the starter templates to begin from. */
import { Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { StateBadge } from '../../components/StateBadge';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import type { StarterTemplate } from '../../../../shared/contract/templates';

function Starters({ starters }: { starters: StarterTemplate[] }) {
  if (starters.length === 0) return null;
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        Start from a ready-made template
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
        {starters.map((s) => (
          <Card key={s.key} withBorder padding="md" radius="md" component="section" aria-label={s.name}>
            <Stack gap="xs" h="100%">
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600}>{s.name}</Text>
                <StateBadge color="indigo">{s.format === 'html' ? 'HTML' : 'Markdown'}</StateBadge>
              </Group>
              <Text size="sm" c="dimmed" style={{ flex: 1 }}>
                {s.description}
              </Text>
              {s.fields.length > 0 && (
                <Text size="xs" c="dimmed">
                  Uses: {s.fields.join(', ')}
                </Text>
              )}
              <Button component="a" href={`${href('templates', 'new')}?starter=${encodeURIComponent(s.key)}`} variant="light" aria-label={`Use the ${s.name} template`}>
                Use this template
              </Button>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

export function TemplateList() {
  const q = useQuery('templatesList', {});
  const starters = useQuery('templatesStarters', {});
  return (
    <Page
      title="Templates"
      description="The newsletters you write: subject, content and merge fields such as {{ first_name }} that are filled in for each person."
      actions={
        <Button component="a" href={href('templates', 'new')}>
          New template
        </Button>
      }
    >
      <Loading {...q}>
        {(templates) =>
          templates.length === 0 ? (
            <Stack gap="lg">
              <Empty title="No templates yet" action="Write a template" actionHref={href('templates', 'new')}>
                A template is the message you send: a subject and content, with fields from your list (a first name, a city) filled in
                for each person. Start from a blank page or from one of the ready-made templates below.
              </Empty>
              <Starters starters={starters.data ?? []} />
            </Stack>
          ) : (
            <Stack gap="xl">
              <Table striped highlightOnHover aria-label="Templates">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Subject</Table.Th>
                    <Table.Th>From</Table.Th>
                    <Table.Th>Format</Table.Th>
                    <Table.Th>Changed</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {templates.map((t) => (
                    <Table.Tr key={t.id}>
                      <Table.Td>
                        <Anchor underline="always" href={href('templates', t.id)}>{t.name}</Anchor>
                      </Table.Td>
                      <Table.Td>{t.subject || <Text span c="dimmed" size="sm">(no subject)</Text>}</Table.Td>
                      <Table.Td>{t.from}</Table.Td>
                      <Table.Td>{t.format === 'html' ? 'HTML' : 'Markdown'}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{new Date(t.updatedAt).toLocaleString()}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Starters starters={starters.data ?? []} />
            </Stack>
          )
        }
      </Loading>
    </Page>
  );
}
