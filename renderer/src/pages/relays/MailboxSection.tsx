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
import { t } from '../../i18n';
import { formatNumber, formatWhen } from '../../i18n/format';
import { rich } from '../../i18n/rich';
import { coreMessage } from '../../i18n/core-messages';

type Security = 'tls' | 'starttls' | 'none';

/** The folder Postroom moves what it handled to (the core's default for a new mailbox). */
const PROCESSED_FOLDER = 'Postroom/Processed';

/** What a successful test found: worded here from its facts, in the window's language. */
interface Tested {
  host: string;
  user: string;
  folder: string;
  count: number;
}

function TestWorked({ tested }: { tested: Tested }) {
  return (
    <Alert color="green" role="status" title={t('mailbox.works')}>
      {t('mailbox.testWorked', { ...tested })}
    </Alert>
  );
}

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
        {t('mailbox.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md" maw="72ch">
        {t('mailbox.intro', { folder: PROCESSED_FOLDER })}
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
  const [tested, setTested] = useState<Tested | undefined>();
  const [testError, setTestError] = useState<AppError | undefined>();
  const [testing, setTesting] = useState(false);
  const totals = box.totals;
  const test = async () => {
    setTesting(true);
    setTested(undefined);
    setTestError(undefined);
    const r = await call('mailboxesTest', { mailbox: box.id });
    setTesting(false);
    if (r.ok) setTested({ host: box.host, user: box.user, folder: box.folder, count: r.value.messages });
    else setTestError(r.error);
  };
  return (
    <Stack gap="sm">
      <Text size="sm">
        {rich('mailbox.where', {
          user: box.user,
          host: box.host,
          port: String(box.port),
          folder: box.folder,
          checked: box.lastCheckedAt ? 'yes' : 'no',
          when: box.lastCheckedAt ? formatWhen(box.lastCheckedAt) : '',
          b: (c) => <b>{c}</b>,
        })}
      </Text>
      {box.lastError && (
        // Worded from its code when the core kept one (checks before migration 11 have only the core's sentence).
        <Alert color="red" title={t('mailbox.lastCheckFailed')}>
          {box.lastErrorNote ? coreMessage({ ...box.lastErrorNote, message: box.lastError }) : box.lastError}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs" aria-label={t('mailbox.cameBackSoFar')}>
        <Count label={t('mailbox.count.bounced')} value={totals.hard} />
        <Count label={t('mailbox.count.soft')} value={totals.soft} />
        <Count label={t('mailbox.count.spam')} value={totals.complaints} />
        <Count label={t('mailbox.count.unsubscribed')} value={totals.unsubscribes} />
        <Count label={t('mailbox.count.unrecognised')} value={totals.unrecognised} />
      </SimpleGrid>
      <Group gap="sm">
        <Button
          onClick={() =>
            void check.run({ mailbox: box.id }).then((r) => {
              if (!r.ok) return;
              const found = r.value[0];
              notifyDone(found && found.read ? t('mailbox.checkedNew', { read: found.read, suppressed: found.suppressed }) : t('mailbox.nothingNew'), t('mailbox.checkedTitle', { name: box.name }));
            })
          }
          loading={check.busy}
        >
          {t('mailbox.checkNow')}
        </Button>
        <Button variant="default" onClick={() => void test()} loading={testing}>
          {t('mailbox.test')}
        </Button>
        <Button variant="subtle" color="red" onClick={() => void remove.run({ mailbox: box.id })} loading={remove.busy}>
          {t('mailbox.disconnect')}
        </Button>
      </Group>
      {tested && <TestWorked tested={tested} />}
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
      <Text fw={600}>{formatNumber(value)}</Text>
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
  const [result, setResult] = useState<Tested | undefined>();
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
    const d = draft();
    const r = what === 'test' ? await call('mailboxesTest', { draft: d }) : await call('mailboxesCreate', d);
    setBusy(undefined);
    if (!r.ok) return setError(r.error);
    if (what === 'test') setResult({ host: d.host, user: d.user, folder: d.folder, count: (r.value as { messages: number }).messages });
    else notifyDone(t('mailbox.connectedBody'), t('mailbox.connectedTitle'));
  };
  const ready = (host ?? defaultHost).trim() && (user ?? defaultUser).trim() && (signIn || password);
  return (
    <Stack gap="sm">
      <Grid>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t('mailbox.host')} description={t('mailbox.hostHint')} value={host ?? defaultHost} onChange={(e) => setHost(e.currentTarget.value)} placeholder="imap.example.com" />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <Select
            label={t('mailbox.security')}
            value={security}
            onChange={(v) => setSecurity((v as Security) ?? 'tls')}
            data={[
              { value: 'tls', label: t('mailbox.sec.tls') },
              { value: 'starttls', label: t('mailbox.sec.starttls') },
              { value: 'none', label: t('mailbox.sec.none') },
            ]}
            allowDeselect={false}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <NumberInput label={t('mailbox.port')} placeholder={security === 'tls' ? '993' : '143'} value={port} onChange={setPort} min={1} max={65535} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t('mailbox.user')} value={user ?? defaultUser} onChange={(e) => setUser(e.currentTarget.value)} placeholder={t('common.addressPlaceholder')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          {signIn ? (
            <Text size="sm" c="dimmed" mt="lg">
              {t('mailbox.signedIn')}
            </Text>
          ) : (
            <PasswordInput label={t('mailbox.password')} description={t('mailbox.passwordHint')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t('mailbox.folder')} value={folder} onChange={(e) => setFolder(e.currentTarget.value)} />
        </Grid.Col>
      </Grid>
      <Group gap="sm">
        <Button variant="default" onClick={() => void run('test')} loading={busy === 'test'} disabled={!ready}>
          {t('mailbox.test')}
        </Button>
        <Button onClick={() => void run('save')} loading={busy === 'save'} disabled={!ready}>
          {t('mailbox.connect')}
        </Button>
      </Group>
      {result && <TestWorked tested={result} />}
      {error && <CoreError error={error} />}
    </Stack>
  );
}
