/**
 * The mailbox of a relay: where its bounces, complaints and unsubscribe requests come back (IMAP). Connect it
 * (usually the sending account itself), test it, see when it was last checked and what it brought back.
 */
import { Alert, Button, Grid, Group, NumberInput, Paper, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { call, useAction, useQuery } from '../../api/hooks';
import { CoreError, notifyDone } from '../../components/CoreError';
import type { MailboxSummary } from '../../../../shared/contract/mailboxes';
import type { AppError } from '../../../../shared/result';

type Security = 'tls' | 'starttls' | 'none';

/** imap.example.com for smtp.example.com: most providers name them alike. */
function guessImapHost(smtpHost: string | undefined): string {
  if (!smtpHost) return '';
  if (/^smtp\.gmail\.com$/i.test(smtpHost)) return 'imap.gmail.com';
  if (/office365|outlook/i.test(smtpHost)) return 'outlook.office365.com';
  return smtpHost.replace(/^(smtp|mail|out(going)?)\./i, 'imap.');
}

export function MailboxSection({ relay }: { relay: string }) {
  const boxes = useQuery('mailboxesList', {}, { refreshOn: ['mailboxes:changed', 'mailboxes:checked'] });
  const relayInfo = useQuery('relaysGet', { relay });
  const mine = boxes.data?.filter((b) => b.relay?.toLowerCase() === relay.toLowerCase()) ?? [];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="mailbox-title" maw={860}>
      <Title order={2} size="h4" id="mailbox-title">
        Mailbox: what comes back
      </Title>
      <Text size="sm" c="dimmed" mb="md" maw="72ch">
        Bounces, spam complaints and unsubscribe requests arrive in your mailbox. Connect it and Postroom reads them every few minutes (every minute
        while a campaign sends), stops mailing those addresses, and moves what it handled to a “Postroom/Processed” folder. It never deletes mail and
        leaves people’s real replies where they are.
      </Text>
      {boxes.error && <CoreError error={boxes.error} onRetry={boxes.reload} />}
      {mine.map((b) => (
        <MailboxCard key={b.id} box={b} />
      ))}
      {boxes.data && mine.length === 0 && (
        <ConnectMailbox relay={relay} defaultUser={relayInfo.data?.user ?? ''} defaultHost={guessImapHost(relayInfo.data?.host)} signIn={relayInfo.data?.auth === 'oauth2'} />
      )}
    </Paper>
  );
}

function MailboxCard({ box }: { box: MailboxSummary }) {
  const check = useAction('mailboxesCheck');
  const remove = useAction('mailboxesRemove');
  const [tested, setTested] = useState<string | undefined>();
  const [testError, setTestError] = useState<AppError | undefined>();
  const [testing, setTesting] = useState(false);
  const t = box.totals;
  const test = async () => {
    setTesting(true);
    setTested(undefined);
    setTestError(undefined);
    const r = await call('mailboxesTest', { mailbox: box.id });
    setTesting(false);
    if (r.ok) setTested(r.value.message);
    else setTestError(r.error);
  };
  return (
    <Stack gap="sm">
      <Text size="sm">
        <b>{box.user}</b> at {box.host}:{box.port}, folder {box.folder}. Last checked:{' '}
        {box.lastCheckedAt ? new Date(box.lastCheckedAt).toLocaleString() : 'not yet'}.
      </Text>
      {box.lastError && (
        <Alert color="red" title="The last check didn't work">
          {box.lastError}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs" aria-label="What came back so far">
        <Count label="Bounced" value={t.hard} />
        <Count label="Temporary failures" value={t.soft} />
        <Count label="Marked as spam" value={t.complaints} />
        <Count label="Unsubscribed" value={t.unsubscribes} />
        <Count label="Left for you to read" value={t.unrecognised} />
      </SimpleGrid>
      <Group gap="sm">
        <Button
          onClick={() =>
            void check.run({ mailbox: box.id }).then((r) => {
              if (r.ok) notifyDone(r.value[0] && r.value[0].read ? `${r.value[0].read} new messages read, ${r.value[0].suppressed} addresses suppressed.` : 'Nothing new.', `Checked ${box.name}`);
            })
          }
          loading={check.busy}
        >
          Check now
        </Button>
        <Button variant="default" onClick={() => void test()} loading={testing}>
          Test the connection
        </Button>
        <Button variant="subtle" color="red" onClick={() => void remove.run({ mailbox: box.id })} loading={remove.busy}>
          Disconnect
        </Button>
      </Group>
      {tested && (
        <Alert color="green" role="status" title="The connection works">
          {tested}
        </Alert>
      )}
      {testError && <CoreError error={testError} />}
      {check.error && <CoreError error={check.error} />}
      {remove.error && <CoreError error={remove.error} />}
    </Stack>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <Paper withBorder p="xs" radius="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value.toLocaleString()}</Text>
    </Paper>
  );
}

function ConnectMailbox({ relay, defaultUser, defaultHost, signIn }: { relay: string; defaultUser: string; defaultHost: string; signIn: boolean }) {
  const [host, setHost] = useState<string | undefined>();
  const [user, setUser] = useState<string | undefined>();
  const [security, setSecurity] = useState<Security>('tls');
  const [port, setPort] = useState<number | string>('');
  const [password, setPassword] = useState('');
  const [folder, setFolder] = useState('INBOX');
  const [result, setResult] = useState<string | undefined>();
  const [error, setError] = useState<AppError | undefined>();
  const [busy, setBusy] = useState<'test' | 'save' | undefined>();
  const draft = () => ({
    name: relay,
    host: (host ?? defaultHost).trim(),
    ...(port !== '' ? { port: Number(port) } : {}),
    security,
    user: (user ?? defaultUser).trim(),
    // A signed-in account reads its mailbox with the same sign-in (Microsoft 365's IMAP takes no password).
    ...(signIn ? { oauthFrom: relay } : { password }),
    folder: folder.trim() || 'INBOX',
    relay,
  });
  const run = async (what: 'test' | 'save') => {
    setBusy(what);
    setError(undefined);
    setResult(undefined);
    const r = what === 'test' ? await call('mailboxesTest', { draft: draft() }) : await call('mailboxesCreate', draft());
    setBusy(undefined);
    if (!r.ok) return setError(r.error);
    if (what === 'test') setResult((r.value as { message: string }).message);
    else notifyDone('Postroom will read it every few minutes.', 'Mailbox connected');
  };
  const ready = (host ?? defaultHost).trim() && (user ?? defaultUser).trim() && (signIn || password);
  return (
    <Stack gap="sm">
      <Grid>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label="IMAP server" description="Where you read this account's mail" value={host ?? defaultHost} onChange={(e) => setHost(e.currentTarget.value)} placeholder="imap.example.com" />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <Select
            label="Security"
            value={security}
            onChange={(v) => setSecurity((v as Security) ?? 'tls')}
            data={[
              { value: 'tls', label: 'TLS (port 993)' },
              { value: 'starttls', label: 'STARTTLS (port 143)' },
              { value: 'none', label: 'None (local only)' },
            ]}
            allowDeselect={false}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <NumberInput label="IMAP port" placeholder={security === 'tls' ? '993' : '143'} value={port} onChange={setPort} min={1} max={65535} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label="Mailbox user name" value={user ?? defaultUser} onChange={(e) => setUser(e.currentTarget.value)} placeholder="you@example.com" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          {signIn ? (
            <Text size="sm" c="dimmed" mt="lg">
              Postroom reads this mailbox with the account you signed in with: no password needed.
            </Text>
          ) : (
            <PasswordInput label="Mailbox password" description="Kept in your system's keychain, never in plain text" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label="Folder to read" value={folder} onChange={(e) => setFolder(e.currentTarget.value)} />
        </Grid.Col>
      </Grid>
      <Group gap="sm">
        <Button variant="default" onClick={() => void run('test')} loading={busy === 'test'} disabled={!ready}>
          Test the connection
        </Button>
        <Button onClick={() => void run('save')} loading={busy === 'save'} disabled={!ready}>
          Connect the mailbox
        </Button>
      </Group>
      {result && (
        <Alert color="green" role="status" title="The connection works">
          {result}
        </Alert>
      )}
      {error && <CoreError error={error} />}
    </Stack>
  );
}
