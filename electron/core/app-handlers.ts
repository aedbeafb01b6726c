/** The app's own requests: version and data folder, and the overview that drives the first-run checklist. */
import type { CoreContext } from './context';
import type { Handlers } from '../../shared/contract';

type AppHandlers = Pick<Handlers, 'app:info' | 'app:overview'>;

export function appHandlers(ctx: CoreContext): AppHandlers {
  const count = (sql: string): number => (ctx.db.prepare(sql).pluck().get() as number) ?? 0;
  return {
    'app:info': () => ({ name: 'Postroom', version: ctx.version, dataDir: ctx.dataDir, host: ctx.host }),
    'app:overview': () => ({
      relays: count('SELECT count(*) FROM relays'),
      // A list still being imported is a hidden stage (lists.importing): not counted until it lands.
      lists: count('SELECT count(*) FROM lists WHERE importing IS NULL'),
      recipients: count('SELECT count(*) FROM recipients r JOIN lists l ON l.id = r.list_id WHERE l.importing IS NULL'),
      templates: count('SELECT count(*) FROM templates'),
      campaigns: count('SELECT count(*) FROM campaigns'),
      campaignsSent: count("SELECT count(*) FROM campaigns WHERE state = 'completed'"),
      outboxWaiting: count("SELECT count(*) FROM outbox WHERE state IN ('queued', 'deferred', 'sending')"),
    }),
  };
}
