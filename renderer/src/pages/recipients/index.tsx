/** Recipients: lists, the import wizard, a list's recipients, one recipient, the suppression list. */
import type { SectionProps } from '../../app/sections';
import { ListsOverview } from './ListsOverview';

export function RecipientsPage({ sub }: SectionProps) {
  switch (sub[0]) {
    default:
      return <ListsOverview />;
  }
}
