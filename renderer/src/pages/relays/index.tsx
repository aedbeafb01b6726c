/** Relays: `#/relays` the list · `/new` add one · `/<name>` change one. */
import type { SectionProps } from '../../app/sections';
import { RelaysOverview } from './RelaysOverview';
import { EditRelay, NewRelay } from './RelayForm';

export function RelaysPage({ sub }: SectionProps) {
  if (sub[0] === undefined) return <RelaysOverview />;
  if (sub[0] === 'new') return <NewRelay />;
  return <EditRelay key={sub[0]} name={sub[0]} />;
}
