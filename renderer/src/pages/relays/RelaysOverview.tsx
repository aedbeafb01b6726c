import { Anchor, Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import { describeLimits, describeQuota } from './limits';

const SECURITY = { tls: 'TLS', starttls: 'STARTTLS', none: 'Unencrypted' } as const;

export function RelaysOverview() {
  const q = useQuery('relaysList', {}, { refreshOn: ['relays:changed'], pollMs: 30_000 });
  return (
    <Page
      title="Relays"
      description="A relay is the account or server your mail is sent through: your Gmail or Microsoft 365 account, your web host's mail server, or a service like Amazon SES."
      actions={
        <Button component="a" href={href('relays', 'new')}>
          Add a relay
        </Button>
      }
    >
      <Loading {...q}>
        {(relays) =>
          relays.length === 0 ? (
            <Empty title="No relay yet" action="Add a relay" actionHref={href('relays', 'new')}>
              Postroom sends through an account you already have. Choose your provider, enter your sign-in details, and test the
              connection before you send anything.
            </Empty>
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Server</Table.Th>
                    <Table.Th>Limits</Table.Th>
                    <Table.Th>Today</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {relays.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>
                        <Anchor href={href('relays', r.name)}>{r.name}</Anchor>
                        <Text size="xs" c="dimmed">
                          {r.user ?? (r.auth === 'oauth2' ? 'not signed in yet' : 'no sign-in')}
                        </Text>
                        {r.auth === 'oauth2' && !r.signedIn && (
                          <Button component="a" href={href('relays', r.name)} size="compact-xs" color="orange" variant="light" mt={4}>
                            {r.oauth?.problem ? 'Sign in again' : 'Sign in'}
                            <VisuallyHidden> to {r.name}</VisuallyHidden>
                          </Button>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {r.host}:{r.port}
                        <Text size="xs" c="dimmed">
                          {SECURITY[r.security]}
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
