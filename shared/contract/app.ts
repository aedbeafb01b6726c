/** The app itself: version, data folder, what exists so far (drives the first-run checklist). */
import { z } from 'zod';
import { LANGUAGES } from '../languages';

/** The languages Postroom speaks: the window's catalogs and the starter templates. */
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

/** The languages the window speaks, and 'system' to follow the computer's. */
export const LanguageChoice = z.enum(['system', ...Language.options]);
export type LanguageChoice = z.infer<typeof LanguageChoice>;

export const AppInfo = z.object({
  name: z.literal('Postroom'),
  version: z.string(),
  dataDir: z.string(),
  /** Where this UI runs: the desktop window, or the browser host (`postroom serve`). */
  host: z.enum(['desktop', 'browser', 'cli', 'test']),
  /**
   * Where the key that seals saved passwords is kept: in the system keychain (the desktop app, where there is one),
   * or in a key file in the data folder, so that a copy of the data folder holds that key too (Settings says so).
   */
  secrets: z.enum(['keychain', 'key-file']),
  /** The window's language as chosen in Settings: 'system' follows the computer. */
  language: LanguageChoice,
  /** The operating system's locale when the host knows it (the desktop app: Electron's app.getLocale()), else null. */
  systemLocale: z.string().nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** Counts for the home screen and the first-run checklist (it ticks itself from these). */
export const Overview = z.object({
  relays: z.number().int().nonnegative(),
  lists: z.number().int().nonnegative(),
  recipients: z.number().int().nonnegative(),
  templates: z.number().int().nonnegative(),
  campaigns: z.number().int().nonnegative(),
  campaignsSent: z.number().int().nonnegative(),
  outboxWaiting: z.number().int().nonnegative(),
});
export type Overview = z.infer<typeof Overview>;

export const Empty = z.object({}).strict();
export type Empty = z.infer<typeof Empty>;

export const SetLanguage = z.object({ language: LanguageChoice }).strict();
export type SetLanguage = z.infer<typeof SetLanguage>;

export const appContract = {
  /** Version, data folder and host kind. */
  'app:info': { input: Empty, output: AppInfo },
  /** What exists so far: counts of relays, lists, recipients, templates, campaigns. */
  'app:overview': { input: Empty, output: Overview },
  /**
   * Opens the system's folder picker (the desktop app only; elsewhere UNSUPPORTED: type the folder's full path).
   * Answers the chosen folder, or null when the person cancelled.
   */
  'app:chooseFolder': {
    input: z.object({ title: z.string().max(200).optional(), defaultPath: z.string().max(4096).optional() }).strict(),
    output: z.object({ folder: z.string().nullable() }),
  },
  /** Remembers the window's language ('system' follows the computer); answers the app info with it. */
  'app:setLanguage': { input: SetLanguage, output: AppInfo },
} as const;

/** A command from the desktop app's menu or a keyboard shortcut, for the window to carry out. */
export const MenuCommand = z.object({
  action: z.enum(['navigate', 'import', 'new-template', 'new-campaign', 'new-relay']),
  to: z.enum(['home', 'campaigns', 'recipients', 'templates', 'relays', 'outbox', 'settings']).optional(),
});
export type MenuCommand = z.infer<typeof MenuCommand>;

export const appEvents = {
  /** The desktop menu or a shortcut asks the window to go somewhere or start something. */
  'app:menu': MenuCommand,
} as const;
