/**
 * Settings → Sender domains: the domains mail is sent from, each with its DKIM key (add one, copy its DNS record,
 * remove it) and a DNS check that says, in words, what receivers will find: SPF (may the relay send for it?),
 * DKIM (is the key's record published?), DMARC (is there a policy?), and what Gmail and Yahoo expect of bulk
 * senders, with the record to add for each thing missing. The core decides all of it (domains:check).
 */
import { Anchor, Badge, Button, Code, CopyButton, Group, List, Paper, Select, Stack, Table, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { call, invalidate, useQuery } from '../../api/hooks';
import { href } from '../../app/router';
import { CoreError, notifyDone } from '../../components/CoreError';
import { Loading, Page } from '../../components/Page';
import { Notice } from '../../components/Notice';
import type { DnsRecord, DomainCheck, DomainHealth, SenderDomain } from '../../../../shared/contract/domains';
import type { AppError } from '../../../../shared/result';

const STATUS: Record<DomainCheck['status'], { mark: string; color: string; word: string }> = {
  ok: { mark: '✓', color: 'green', word: 'Ready' },
  warning: { mark: '?', color: 'yellow', word: 'Unsure' },
  missing: { mark: '✗', color: 'red', word: 'To do' },
  error: { mark: '!', color: 'red', word: 'Problem' },
};

function Copy({ value, what }: { value: string; what: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button size="compact-xs" variant="default" onClick={copy} aria-label={`Copy ${what}`}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      )}
    </CopyButton>
  );
}

/** A DNS record as a person adds it at their DNS host: name, type, value, each to copy. */
function RecordToAdd({ record, label }: { record: DnsRecord; label: string }) {
  return (
    <Table withTableBorder layout="fixed" aria-label={label} fz="sm">
      <Table.Tbody>
        {(
          [
            ['Name', record.name],
            ['Type', record.type],
            ['Value', record.value],
          ] as const
        ).map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th w={70}>{k}</Table.Th>
            <Table.Td>
              <Code style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{v}</Code>
            </Table.Td>
            <Table.Td w={80}>
              <Copy value={v} what={`the ${k.toLowerCase()} of the ${label}`} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function CheckRow({ name, check, what }: { name: string; check: DomainCheck; what: string }) {
  const s = STATUS[check.status];
  return (
    <Stack gap={6} component="li" aria-label={`${name}: ${s.word}`}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <ThemeIcon size="sm" radius="xl" color={s.color} aria-hidden>
          {s.mark}
        </ThemeIcon>
        <div>
          <Text size="sm" fw={600}>
            {name}: {s.word}
          </Text>
          <Text size="sm">{check.message}</Text>
          {check.found && (
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
              Found: <Code>{check.found}</Code>
            </Text>
          )}
        </div>
      </Group>
      {check.fix && <RecordToAdd record={check.fix} label={`${what} record to add`} />}
    </Stack>
  );
}

function Health({ health }: { health: DomainHealth }) {
  return (
    <Stack gap="sm" aria-live="polite">
      <Text size="sm" c="dimmed">
        Checked {new Date(health.checkedAt).toLocaleTimeString()}
        {health.relay ? ` against the relay “${health.relay}”` : ''}.
      </Text>
      <Stack gap="md" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        <CheckRow name="SPF" what="SPF" check={health.spf} />
        <CheckRow name="DKIM" what="DKIM" check={health.dkim} />
        <CheckRow name="DMARC" what="DMARC" check={health.dmarc} />
      </Stack>
      <div>
        <Text size="sm" fw={600}>
          What Gmail and Yahoo expect of newsletters
        </Text>
        <List size="sm" spacing={2} mt={4}>
          {health.bulkSender.map((b) => (
            <List.Item key={b.rule}>
              {b.met === null ? '' : b.met ? '✓ ' : '✗ '}
              {b.text}
            </List.Item>
          ))}
        </List>
      </div>
    </Stack>
  );
}

function DomainCard({ domain, relays, open }: { domain: SenderDomain; relays: string[]; open: boolean }) {
  const [selector, setSelector] = useState('postroom1');
  const [relay, setRelay] = useState<string | null>(relays[0] ?? null);
  const [health, setHealth] = useState<DomainHealth | undefined>();
  const [error, setError] = useState<AppError | undefined>();
  const [busy, setBusy] = useState<'key' | 'check' | 'remove' | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const id = `domain-${domain.domain.replace(/[^a-z0-9]/gi, '-')}`;
  useEffect(() => {
    if (open) document.getElementById(id)?.scrollIntoView({ block: 'start' });
  }, [open, id]);

  const run = async <T,>(what: 'key' | 'check' | 'remove', p: Promise<{ ok: true; value: T } | { ok: false; error: AppError }>): Promise<T | undefined> => {
    setBusy(what);
    setError(undefined);
    const r = await p;
    setBusy(null);
    if (!r.ok) return void setError(r.error);
    return r.value;
  };
  const check = async () => {
    const h = await run('check', call('domainsCheck', { domain: domain.domain, ...(relay ? { relay } : {}) }));
    if (h) setHealth(h);
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`${id}-title`} id={id}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} size="h4" id={`${id}-title`}>
              {domain.domain}
            </Title>
            <Text size="sm" c="dimmed">
              {domain.templates.length ? `From address of ${domain.templates.map((t) => `“${t}”`).join(', ')}.` : 'No template sends from it yet.'}
            </Text>
          </div>
          <Badge color={domain.dkim ? 'green' : 'gray'} variant="light">
            {domain.dkim ? `DKIM key ${domain.dkim.selector}` : 'No DKIM key'}
          </Badge>
        </Group>

        {domain.dkim ? (
          <Stack gap={6}>
            <Text size="sm">
              Postroom signs mail from {domain.domain} with this key. Publish its record at your DNS host (where the domain's settings are), then check it below.
            </Text>
            <RecordToAdd record={{ name: domain.dkim.dnsName, type: 'TXT', value: domain.dkim.dnsValue }} label={`DKIM record of ${domain.domain}`} />
            {confirmRemove ? (
              <Group gap="xs">
                <Text size="sm">Stop signing mail from {domain.domain} and forget the key?</Text>
                <Button
                  size="xs"
                  color="red"
                  loading={busy === 'remove'}
                  onClick={async () => {
                    const r = await run('remove', call('dkimRemove', { domain: domain.domain }));
                    if (r) {
                      setConfirmRemove(false);
                      setHealth(undefined);
                      notifyDone(`Mail from ${domain.domain} is no longer signed.`, 'Key removed');
                      invalidate();
                    }
                  }}
                >
                  Remove the key
                </Button>
                <Button size="xs" variant="default" onClick={() => setConfirmRemove(false)}>
                  Keep it
                </Button>
              </Group>
            ) : (
              <Group>
                <Button size="xs" variant="default" onClick={() => setConfirmRemove(true)}>
                  Remove key…
                </Button>
              </Group>
            )}
          </Stack>
        ) : (
          <Group align="flex-end" gap="sm">
            <TextInput
              label="Selector"
              description="A name for the key in DNS; any short word."
              value={selector}
              onChange={(e) => setSelector(e.currentTarget.value)}
              w={200}
            />
            <Button
              loading={busy === 'key'}
              onClick={async () => {
                const k = await run('key', call('dkimAdd', { domain: domain.domain, selector: selector.trim() }));
                if (k) {
                  notifyDone(`Now publish its record for ${domain.domain}.`, 'DKIM key added');
                  invalidate();
                }
              }}
            >
              Add a DKIM key for {domain.domain}
            </Button>
          </Group>
        )}

        <Group align="flex-end" gap="sm">
          {relays.length > 1 && <Select label="Sent through" data={relays} value={relay} onChange={setRelay} w={220} allowDeselect={false} />}
          <Button variant="default" loading={busy === 'check'} onClick={() => void check()}>
            Check {domain.domain} in DNS
          </Button>
        </Group>
        {error && <CoreError error={error} />}
        {health && <Health health={health} />}
      </Stack>
    </Paper>
  );
}

export function SenderDomains({ focus }: { focus: string | null }) {
  const domains = useQuery('domainsList', {}, { refreshOn: ['relays:changed'] });
  const relays = useQuery('relaysList', {}, { refreshOn: ['relays:changed'] });
  const [extra, setExtra] = useState('');
  const [added, setAdded] = useState<string[]>(focus ? [focus.toLowerCase()] : []);
  return (
    <Page
      title="Sender domains"
      description={
        <>
          The domains your mail comes from. Receivers check them in DNS before they trust a newsletter. <Anchor underline="always" href={href('settings')}>All settings</Anchor>
        </>
      }
    >
      <Notice color="blue" title="Why this matters">
        Gmail and Yahoo expect anyone sending newsletters to sign their mail (DKIM), list the servers that may send for the domain (SPF) and publish a policy (DMARC).
        Each is a line (a TXT record) at the company that runs your domain's DNS. Add what is missing, then check again: changes can take an hour to show.
      </Notice>
      <Loading {...domains}>
        {(list) => {
          const all = [...list, ...added.filter((d) => !list.some((x) => x.domain === d)).map((domain) => ({ domain, dkim: null, templates: [] }))];
          return (
            <Stack gap="md">
              {all.length === 0 && <Text size="sm">No sender domains yet: they appear when a template has a From address. Or add one below.</Text>}
              {all.map((d) => (
                <DomainCard key={d.domain} domain={d} relays={(relays.data ?? []).map((r) => r.name)} open={d.domain === focus?.toLowerCase()} />
              ))}
            </Stack>
          );
        }}
      </Loading>
      <Group align="flex-end" gap="sm">
        <TextInput label="Another domain" placeholder="example.com" value={extra} onChange={(e) => setExtra(e.currentTarget.value)} w={260} />
        <Button
          variant="default"
          disabled={!extra.trim()}
          onClick={() => {
            setAdded((a) => [...a, extra.trim().toLowerCase()]);
            setExtra('');
          }}
        >
          Add domain
        </Button>
      </Group>
    </Page>
  );
}
