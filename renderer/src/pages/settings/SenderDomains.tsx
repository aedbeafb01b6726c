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
import { t, type MessageKey } from '../../i18n';
import { formatClock } from '../../i18n/format';
import { rich } from '../../i18n/rich';
import type { BulkSenderRule, DnsRecord, DomainCheck, DomainCheckCode, DomainHealth, SenderDomain } from '../../../../shared/contract/domains';
import type { AppError } from '../../../../shared/result';

const STATUS: Record<DomainCheck['status'], { mark: string; color: string; word: MessageKey }> = {
  ok: { mark: '✓', color: 'green', word: 'domains.status.ok' },
  warning: { mark: '?', color: 'yellow', word: 'domains.status.warning' },
  missing: { mark: '✗', color: 'red', word: 'domains.status.missing' },
  error: { mark: '!', color: 'red', word: 'domains.status.error' },
};

/** Each check's sentence by its code, filled from the check's params (the core's `message` is the command line's English). */
const CHECK_WORDS: Record<DomainCheckCode, MessageKey> = {
  SPF_ALLOWS: 'domains.check.SPF_ALLOWS',
  SPF_FOUND: 'domains.check.SPF_FOUND',
  SPF_MANY: 'domains.check.SPF_MANY',
  SPF_MISSING: 'domains.check.SPF_MISSING',
  SPF_NOT_ALLOWED: 'domains.check.SPF_NOT_ALLOWED',
  SPF_UNKNOWN: 'domains.check.SPF_UNKNOWN',
  SPF_LOOKUP_FAILED: 'domains.check.lookupFailed',
  DKIM_OK: 'domains.check.DKIM_OK',
  DKIM_NO_KEY: 'domains.check.DKIM_NO_KEY',
  DKIM_UNPUBLISHED: 'domains.check.DKIM_UNPUBLISHED',
  DKIM_MISMATCH: 'domains.check.DKIM_MISMATCH',
  DKIM_LOOKUP_FAILED: 'domains.check.lookupFailed',
  DMARC_OK: 'domains.check.DMARC_OK',
  DMARC_MISSING: 'domains.check.DMARC_MISSING',
  DMARC_INVALID: 'domains.check.DMARC_INVALID',
  DMARC_LOOKUP_FAILED: 'domains.check.lookupFailed',
};

const RULE_WORDS: Record<BulkSenderRule, MessageKey> = {
  spf: 'domains.rule.spf',
  dkim: 'domains.rule.dkim',
  dmarc: 'domains.rule.dmarc',
  unsubscribe: 'domains.rule.unsubscribe',
  complaints: 'domains.rule.complaints',
};

function Copy({ value, part, label }: { value: string; part: 'name' | 'type' | 'value'; label: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button size="compact-xs" variant="default" onClick={copy} aria-label={t('domains.copyPart', { part, label })}>
          {copied ? t('domains.copied') : t('domains.copy')}
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
            ['name', t('domains.record.name'), record.name],
            ['type', t('domains.record.type'), record.type],
            ['value', t('domains.record.value'), record.value],
          ] as const
        ).map(([k, words, v]) => (
          <Table.Tr key={k}>
            <Table.Th w={70}>{words}</Table.Th>
            <Table.Td>
              <Code style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{v}</Code>
            </Table.Td>
            <Table.Td w={80}>
              <Copy value={v} part={k} label={label} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function CheckRow({ name, check }: { name: 'SPF' | 'DKIM' | 'DMARC'; check: DomainCheck }) {
  const s = STATUS[check.status];
  const heading = t('domains.checkName', { name, status: t(s.word) });
  return (
    <Stack gap={6} component="li" aria-label={heading}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <ThemeIcon size="sm" radius="xl" color={s.color} aria-hidden>
          {s.mark}
        </ThemeIcon>
        <div>
          <Text size="sm" fw={600}>
            {heading}
          </Text>
          <Text size="sm">{t(CHECK_WORDS[check.code], check.params)}</Text>
          {check.found && (
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
              {rich('domains.found', { record: check.found, code: (c) => <Code>{c}</Code> })}
            </Text>
          )}
        </div>
      </Group>
      {check.fix && <RecordToAdd record={check.fix} label={t('domains.recordToAdd', { what: name })} />}
    </Stack>
  );
}

function Health({ health }: { health: DomainHealth }) {
  return (
    <Stack gap="sm" aria-live="polite">
      <Text size="sm" c="dimmed">
        {health.relay
          ? t('domains.checkedAgainst', { time: formatClock(health.checkedAt), relay: health.relay })
          : t('domains.checked', { time: formatClock(health.checkedAt) })}
      </Text>
      <Stack gap="md" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        <CheckRow name="SPF" check={health.spf} />
        <CheckRow name="DKIM" check={health.dkim} />
        <CheckRow name="DMARC" check={health.dmarc} />
      </Stack>
      <div>
        <Text size="sm" fw={600}>
          {t('domains.bulkTitle')}
        </Text>
        <List size="sm" spacing={2} mt={4}>
          {health.bulkSender.map((b) => (
            <List.Item key={b.rule}>
              {b.met === null ? '' : b.met ? '✓ ' : '✗ '}
              {t(RULE_WORDS[b.rule])}
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
              {domain.templates.length
                ? t('domains.fromAddressOf', { templates: domain.templates.map((name) => t('domains.quoted', { name })).join(', ') })
                : t('domains.noTemplate')}
            </Text>
          </div>
          <Badge color={domain.dkim ? 'green' : 'gray'} variant="light">
            {domain.dkim ? t('domains.dkimKey', { selector: domain.dkim.selector }) : t('domains.noDkimKey')}
          </Badge>
        </Group>

        {domain.dkim ? (
          <Stack gap={6}>
            <Text size="sm">{t('domains.signsWith', { domain: domain.domain })}</Text>
            <RecordToAdd record={{ name: domain.dkim.dnsName, type: 'TXT', value: domain.dkim.dnsValue }} label={t('domains.dkimRecordOf', { domain: domain.domain })} />
            {confirmRemove ? (
              <Group gap="xs">
                <Text size="sm">{t('domains.removeConfirm', { domain: domain.domain })}</Text>
                <Button
                  size="xs"
                  color="red"
                  loading={busy === 'remove'}
                  onClick={async () => {
                    const r = await run('remove', call('dkimRemove', { domain: domain.domain }));
                    if (r) {
                      setConfirmRemove(false);
                      setHealth(undefined);
                      notifyDone(t('domains.removed', { domain: domain.domain }), t('domains.removedTitle'));
                      invalidate();
                    }
                  }}
                >
                  {t('domains.removeKey')}
                </Button>
                <Button size="xs" variant="default" onClick={() => setConfirmRemove(false)}>
                  {t('domains.keepKey')}
                </Button>
              </Group>
            ) : (
              <Group>
                <Button size="xs" variant="default" onClick={() => setConfirmRemove(true)}>
                  {t('domains.removeKeyAsk')}
                </Button>
              </Group>
            )}
          </Stack>
        ) : (
          <Group align="flex-end" gap="sm">
            <TextInput
              label={t('domains.selector')}
              description={t('domains.selectorHint')}
              value={selector}
              onChange={(e) => setSelector(e.currentTarget.value)}
              w={200}
            />
            <Button
              loading={busy === 'key'}
              onClick={async () => {
                const k = await run('key', call('dkimAdd', { domain: domain.domain, selector: selector.trim() }));
                if (k) {
                  notifyDone(t('domains.keyAdded', { domain: domain.domain }), t('domains.keyAddedTitle'));
                  invalidate();
                }
              }}
            >
              {t('domains.addKey', { domain: domain.domain })}
            </Button>
          </Group>
        )}

        <Group align="flex-end" gap="sm">
          {relays.length > 1 && <Select label={t('domains.sentThrough')} data={relays} value={relay} onChange={setRelay} w={220} allowDeselect={false} />}
          <Button variant="default" loading={busy === 'check'} onClick={() => void check()}>
            {t('domains.checkInDns', { domain: domain.domain })}
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
      title={t('domains.title')}
      description={rich('domains.description', {
        link: (c) => (
          <Anchor underline="always" href={href('settings')}>
            {c}
          </Anchor>
        ),
      })}
    >
      <Notice color="blue" title={t('domains.why')}>
        {t('domains.whyText')}
      </Notice>
      <Loading {...domains}>
        {(list) => {
          const all = [...list, ...added.filter((d) => !list.some((x) => x.domain === d)).map((domain) => ({ domain, dkim: null, templates: [] }))];
          return (
            <Stack gap="md">
              {all.length === 0 && <Text size="sm">{t('domains.none')}</Text>}
              {all.map((d) => (
                <DomainCard key={d.domain} domain={d} relays={(relays.data ?? []).map((r) => r.name)} open={d.domain === focus?.toLowerCase()} />
              ))}
            </Stack>
          );
        }}
      </Loading>
      <Group align="flex-end" gap="sm">
        <TextInput label={t('domains.another')} placeholder="example.com" value={extra} onChange={(e) => setExtra(e.currentTarget.value)} w={260} />
        <Button
          variant="default"
          disabled={!extra.trim()}
          onClick={() => {
            setAdded((a) => [...a, extra.trim().toLowerCase()]);
            setExtra('');
          }}
        >
          {t('domains.add')}
        </Button>
      </Group>
    </Page>
  );
}
