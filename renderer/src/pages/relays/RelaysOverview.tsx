import { Button, Table } from '@mantine/core';
import { useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';

const SECURITY = { tls: 'TLS', starttls: 'STARTTLS', none: 'None (unencrypted)' } as const;

export function RelaysOverview() {
  const q = useQuery('relaysList', {});
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
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Server</Table.Th>
                  <Table.Th>Security</Table.Th>
                  <Table.Th>User</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {relays.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>{r.name}</Table.Td>
                    <Table.Td>
                      {r.host}:{r.port}
                    </Table.Td>
                    <Table.Td>{SECURITY[r.security]}</Table.Td>
                    <Table.Td>{r.user ?? '—'}</Table.Td>
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
