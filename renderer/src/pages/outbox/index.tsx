/** Outbox (owned by UI engineer B, who replaces this with the cross-campaign queue and relay quotas). */
import { Text } from '@mantine/core';
import { useQuery } from '../../api/hooks';
import type { SectionProps } from '../../app/sections';
import { Empty } from '../../components/Empty';
import { Loading, Page } from '../../components/Page';
import { href } from '../../app/router';

export function OutboxPage(_: SectionProps) {
  const q = useQuery('appOverview', {}, { pollMs: 5000 });
  return (
    <Page title="Outbox" description="Messages waiting to leave, across all campaigns. They stay here safely until the relay accepts them.">
      <Loading {...q}>
        {(o) =>
          o.outboxWaiting === 0 ? (
            <Empty title="Nothing is waiting to be sent" action="Go to Campaigns" actionHref={href('campaigns')}>
              When you send a campaign, each message waits here until your relay accepts it, even if you close Postroom or lose
              your connection.
            </Empty>
          ) : (
            <Text>{o.outboxWaiting.toLocaleString()} messages are waiting to be sent.</Text>
          )
        }
      </Loading>
    </Page>
  );
}
