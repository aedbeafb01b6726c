/**
 * What each campaign did for one address: the outbox row of every campaign that has one for it (sent, failed,
 * waiting…), with the server's last reply. Read through campaigns:list and campaigns:recipients (search by address).
 */
import { Anchor, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { OutboxRow } from '../../../../shared/contract/sending';
import type { AppError } from '../../../../shared/result';
import { call } from '../../api/hooks';
import { href } from '../../app/router';
import { CoreError } from '../../components/CoreError';
import { StateBadge } from '../../components/StateBadge';
import { ROW_STATE_WORDS } from '../campaigns/RecipientResults';
import { t } from '../../i18n';
import { formatDateTime } from '../../i18n/format';

interface Entry {
  campaignId: number;
  campaign: string;
  row: OutboxRow;
}

export function CampaignHistory({ email }: { email: string }) {
  const [entries, setEntries] = useState<Entry[] | undefined>();
  const [error, setError] = useState<AppError | undefined>();

  useEffect(() => {
    let stale = false;
    setEntries(undefined);
    setError(undefined);
    void (async () => {
      const campaigns = await call('campaignsList', {});
      if (!campaigns.ok) return !stale && setError(campaigns.error);
      const found: Entry[] = [];
      // Campaigns that never started have no outbox rows: nothing to ask.
      for (const c of campaigns.value.filter((c) => c.state !== 'draft')) {
        const r = await call('campaignsRecipients', { campaign: c.id, search: email, offset: 0, limit: 20 });
        if (!r.ok) return !stale && setError(r.error);
        const row = r.value.rows.find((x) => x.email.toLowerCase() === email.toLowerCase());
        if (row) found.push({ campaignId: c.id, campaign: c.name, row });
      }
      if (!stale) setEntries(found);
    })();
    return () => {
      stale = true;
    };
  }, [email]);

  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('nav.campaigns')}
      </Title>
      {error && <CoreError error={error} />}
      {!entries && !error && <Loader size="xs" aria-label={t('history.loading')} />}
      {entries && entries.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('history.none')}
        </Text>
      )}
      {entries && entries.length > 0 && (
        <Table withTableBorder aria-label={t('history.label')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('outbox.col.campaign')}</Table.Th>
              <Table.Th>{t('history.result')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.campaignId}>
                <Table.Td>
                  <Anchor href={href('campaigns', e.campaignId)} size="sm">
                    {e.campaign}
                  </Anchor>
                  {e.row.sentAt && (
                    <Text size="xs" c="dimmed">
                      {formatDateTime(e.row.sentAt)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <StateBadge color={ROW_STATE_WORDS[e.row.state].color}>{t(ROW_STATE_WORDS[e.row.state].label)}</StateBadge>
                  {e.row.lastResponse && e.row.state !== 'sent' && (
                    <Text size="xs" mt={4} style={{ wordBreak: 'break-word' }}>
                      {e.row.lastResponse}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
