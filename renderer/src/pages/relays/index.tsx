/** Relays: `#/relays` the list · `/new` add one · `/<name>` change one (and its mailbox). */
import { Stack } from '@mantine/core';
import type { SectionProps } from '../../app/sections';
import { RelaysOverview } from './RelaysOverview';
import { EditRelay, NewRelay } from './RelayForm';
import { MailboxSection } from './MailboxSection';

export function RelaysPage({ sub }: SectionProps) {
  if (sub[0] === undefined) return <RelaysOverview />;
  if (sub[0] === 'new') return <NewRelay />;
  return (
    <Stack gap="xl">
      <EditRelay key={sub[0]} name={sub[0]} />
      <MailboxSection key={`mailbox-${sub[0]}`} relay={sub[0]} />
    </Stack>
  );
}
