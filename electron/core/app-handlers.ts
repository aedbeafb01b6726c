/** The app's own requests: version and data folder, and the overview that drives the first-run checklist. */
import type { CoreContext } from './context';
import type { Handlers } from '../../shared/contract';
import { protectionOf } from './secrets';
import { PostroomError } from '../../shared/errors';
import type { AppInfo } from '../../shared/contract/app';
import { saveLanguage, savedLanguage } from './language';

type AppHandlers = Pick<Handlers, 'app:info' | 'app:overview' | 'app:chooseFolder' | 'app:setLanguage'>;

/** The system's folder picker, where the host has one (the desktop app: Electron's dialog). */
export type FolderPicker = (opts: { title?: string; defaultPath?: string }) => Promise<string | null>;

export function appHandlers(ctx: CoreContext, chooseFolder?: FolderPicker): AppHandlers {
  const info = (): AppInfo => ({
    name: 'Postroom',
    version: ctx.version,
    dataDir: ctx.dataDir,
    host: ctx.host,
    secrets: protectionOf(ctx.secrets),
    language: savedLanguage(ctx),
    systemLocale: ctx.locale ?? null,
  });
  const count = (sql: string): number => (ctx.db.prepare(sql).pluck().get() as number) ?? 0;
  return {
    'app:info': () => info(),
    'app:setLanguage': ({ language }) => {
      saveLanguage(ctx, language);
      return info();
    },
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
    'app:chooseFolder': async (opts) => {
      if (!chooseFolder) throw new PostroomError('UNSUPPORTED', "There is no folder picker here. Type the folder's full path instead.");
      return { folder: await chooseFolder(opts) };
    },
  };
}
