/** Every template, newest change first; with none yet, the starter templates to begin from. */
import { Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { StateBadge } from '../../components/StateBadge';
import { useQuery } from '../../api/hooks';
import { useStarters } from '../../api/starters';
import { href } from '../../app/router';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import type { StarterTemplate } from '../../../../shared/contract/templates';
import { t } from '../../i18n';
import { formatDateTime } from '../../i18n/format';

const formatLabel = (f: 'visual' | 'html' | 'markdown') => (f === 'visual' ? t('templates.format.visual') : f === 'html' ? 'HTML' : 'Markdown');

function Starters({ starters }: { starters: StarterTemplate[] }) {
  if (starters.length === 0) return null;
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {t('templates.startFrom')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
        {starters.map((s) => (
          <Card key={s.key} withBorder padding="md" radius="md" component="section" aria-label={s.name}>
            <Stack gap="xs" h="100%">
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600}>{s.name}</Text>
                <StateBadge color="indigo">{formatLabel(s.format)}</StateBadge>
              </Group>
              <Text size="sm" c="dimmed" style={{ flex: 1 }}>
                {s.description}
              </Text>
              {s.fields.length > 0 && (
                <Text size="xs" c="dimmed">
                  {t('templates.uses', { fields: s.fields.join(', ') })}
                </Text>
              )}
              <Button component="a" href={`${href('templates', 'new')}?starter=${encodeURIComponent(s.key)}`} variant="light" aria-label={t('templates.useThisNamed', { name: s.name })}>
                {t('templates.useThis')}
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
  const starters = useStarters();
  return (
    <Page
      title={t('templates.title')}
      description={t('templates.description', { example: '{{ first_name }}' })}
      actions={
        <Button component="a" href={href('templates', 'new')}>
          {t('templates.new')}
        </Button>
      }
    >
      <Loading {...q}>
        {(templates) =>
          templates.length === 0 ? (
            <Stack gap="lg">
              <Empty title={t('templates.empty')} action={t('templates.write')} actionHref={href('templates', 'new')}>
                {t('templates.emptyBody')}
              </Empty>
              <Starters starters={starters.data ?? []} />
            </Stack>
          ) : (
            <Stack gap="xl">
              <Table striped highlightOnHover aria-label={t('templates.title')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('templates.col.name')}</Table.Th>
                    <Table.Th>{t('templates.col.subject')}</Table.Th>
                    <Table.Th>{t('templates.col.from')}</Table.Th>
                    <Table.Th>{t('templates.col.format')}</Table.Th>
                    <Table.Th>{t('templates.col.changed')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {templates.map((x) => (
                    <Table.Tr key={x.id}>
                      <Table.Td>
                        <Anchor underline="always" href={href('templates', x.id)}>{x.name}</Anchor>
                      </Table.Td>
                      <Table.Td>{x.subject || <Text span c="dimmed" size="sm">{t('templates.noSubject')}</Text>}</Table.Td>
                      <Table.Td>{x.from}</Table.Td>
                      <Table.Td>{formatLabel(x.format)}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(x.updatedAt)}</Text>
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
