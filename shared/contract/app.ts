/** The app itself: version, data folder, what exists so far (drives the first-run checklist). */
import { z } from 'zod';

export const AppInfo = z.object({
  name: z.literal('Postroom'),
  version: z.string(),
  dataDir: z.string(),
  /** Where this UI runs: the desktop window, or the browser host (`postroom serve`). */
  host: z.enum(['desktop', 'browser', 'cli', 'test']),
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

export const appContract = {
  /** Version, data folder and host kind. */
  'app:info': { input: Empty, output: AppInfo },
  /** What exists so far: counts of relays, lists, recipients, templates, campaigns. */
  'app:overview': { input: Empty, output: Overview },
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
