import { Button, Table, Text } from '@mantine/core';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import { SuppressionsLink } from './Suppressions';
import { t } from '../../i18n';
import { formatNumber } from '../../i18n/format';

export function ListsOverview() {
  const q = useQuery('listsList', {});
  return (
    <Page
      title={t('nav.recipients')}
      description={t('lists.description')}
      actions={
        <Button component="a" href={href('recipients', 'import')}>
          {t('common.importSpreadsheet')}
        </Button>
      }
    >
      <Loading {...q}>
        {(lists) =>
          lists.length === 0 ? (
            <Empty title={t('lists.empty')} action={t('common.importSpreadsheet')} actionHref={href('recipients', 'import')}>
              {t('lists.emptyBody')}
            </Empty>
          ) : (
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common.col.list')}</Table.Th>
                  <Table.Th ta="right">{t('nav.recipients')}</Table.Th>
                  <Table.Th>{t('lists.col.fields')}</Table.Th>
                  <Table.Th>{t('lists.col.from')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lists.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>
                      <a href={href('recipients', 'lists', l.id)}>{l.name}</a>
                    </Table.Td>
                    <Table.Td ta="right">{formatNumber(l.recipients)}</Table.Td>
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
