import { Anchor, Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import { t } from '../../i18n';
import { rich } from '../../i18n/rich';
import type { RelaySummary } from '../../../../shared/contract/relays';
import { describeLimits, describeQuota } from './limits';

/** TLS and STARTTLS are names; only "no encryption" is words. */
function securityWords(security: RelaySummary['security']): string {
  return security === 'tls' ? 'TLS' : security === 'starttls' ? 'STARTTLS' : t('relays.security.none');
}

export function RelaysOverview() {
  const q = useQuery('relaysList', {}, { refreshOn: ['relays:changed'], pollMs: 30_000 });
  return (
    <Page
      title={t('relays.title')}
      description={t('relays.description')}
      actions={
        <Button component="a" href={href('relays', 'new')}>
          {t('relays.add')}
        </Button>
      }
    >
      <Loading {...q}>
        {(relays) =>
          relays.length === 0 ? (
            <Empty title={t('relays.emptyTitle')} action={t('relays.add')} actionHref={href('relays', 'new')}>
              {t('relays.emptyText')}
            </Empty>
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('relays.col.name')}</Table.Th>
                    <Table.Th>{t('relays.col.server')}</Table.Th>
                    <Table.Th>{t('relays.col.limits')}</Table.Th>
                    <Table.Th>{t('relays.col.today')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {relays.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>
                        <Anchor href={href('relays', r.name)}>{r.name}</Anchor>
                        <Text size="xs" c="dimmed">
                          {r.user ?? (r.auth === 'oauth2' ? t('relays.notSignedInYet') : t('relays.noSignIn'))}
                        </Text>
                        {r.auth === 'oauth2' && !r.signedIn && (
                          <Button component="a" href={href('relays', r.name)} size="compact-xs" color="orange" variant="light" mt={4}>
                            {rich(r.oauth?.problem ? 'relays.signInAgain' : 'relays.signIn', { name: r.name, hidden: (c) => <VisuallyHidden>{c}</VisuallyHidden> })}
                          </Button>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {r.host}:{r.port}
                        <Text size="xs" c="dimmed">
                          {securityWords(r.security)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{describeLimits(r.limits)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{describeQuota(r.quota)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </Loading>
    </Page>
  );
}
