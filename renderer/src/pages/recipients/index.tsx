/**
 * Recipients: `#/recipients` lists · `/import` the wizard (`?list=ID` to import into a list) ·
 * `/lists/ID` a list's recipients · `/suppressions` the suppression list.
 */
import type { SectionProps } from '../../app/sections';
import { NotFound } from '../../app/NotFound';
import { ImportWizard } from './ImportWizard';
import { ListsOverview } from './ListsOverview';
import { ListView } from './ListView';
import { Suppressions } from './Suppressions';

export function RecipientsPage({ sub, query }: SectionProps) {
  switch (sub[0]) {
    case undefined:
      return <ListsOverview />;
    case 'import': {
      const list = Number(query.get('list'));
      return <ImportWizard listId={Number.isInteger(list) && list > 0 ? list : undefined} />;
    }
    case 'lists': {
      const id = Number(sub[1]);
      return Number.isInteger(id) && id > 0 ? <ListView key={id} listId={id} query={query} /> : <NotFound />;
    }
    case 'suppressions':
      return <Suppressions />;
    default:
      return <NotFound />;
  }
}
