/** Relays: the accounts or servers mail is sent through. */
import type { SectionProps } from '../../app/sections';
import { RelaysOverview } from './RelaysOverview';

export function RelaysPage({ sub }: SectionProps) {
  switch (sub[0]) {
    default:
      return <RelaysOverview />;
  }
}
