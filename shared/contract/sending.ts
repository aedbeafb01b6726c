/** Campaigns, the outbox and its engine. Owned by the outbox work (issue 5). */
import { z } from 'zod';

/** A campaign's place in its life: draft → scheduled → sending ⇄ paused → completed | cancelled; `waiting` while no relay answers. */
export const CampaignState = z.enum(['draft', 'scheduled', 'sending', 'waiting', 'paused', 'completed', 'cancelled']);
export type CampaignState = z.infer<typeof CampaignState>;

/** One recipient's place in the outbox. `skipped`: suppressed (or otherwise not sendable) just before it went. */
export const RowState = z.enum(['queued', 'sending', 'sent', 'deferred', 'failed', 'skipped', 'cancelled']);
export type RowState = z.infer<typeof RowState>;

/** A campaign named by its id or its name (names are unique, case-insensitively). */
export const CampaignRef = z.object({ campaign: z.union([z.number().int().positive(), z.string().min(1)]) });
export type CampaignRef = z.infer<typeof CampaignRef>;

/** How many recipients are in each state. `total` counts every row of the outbox (0 before the first send). */
export const StateCounts = z.object({
  total: z.number().int().nonnegative(),
  queued: z.number().int().nonnegative(),
  sending: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  deferred: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  cancelled: z.number().int().nonnegative(),
  /** Rows that were in flight when an engine died, so the relay may have received them twice (same Message-ID). */
  possibleDuplicates: z.number().int().nonnegative(),
});
export type StateCounts = z.infer<typeof StateCounts>;

/** When the rest will have gone, honest about the relays' daily quotas. */
export const Eta = z.object({
  /** Estimated time the last message goes (ms since epoch), or null when it can't be told (no rate yet, paused). */
  finishAt: z.number().nullable(),
  /** Messages the campaign's relay may still send today under its daily quota (null: no daily quota). */
  leftToday: z.number().int().nullable(),
  /** The daily quota (null: none). */
  dailyLimit: z.number().int().nullable(),
  /** When today's quota is used up, when sending carries on (ms since epoch). */
  resumesAt: z.number().nullable(),
  /** The same in a sentence: "1,200 of 5,000 today; the rest from tomorrow 09:14". */
  message: z.string(),
});
export type Eta = z.infer<typeof Eta>;

export const CampaignSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  state: CampaignState,
  listName: z.string().nullable(),
  templateName: z.string().nullable(),
  relayNames: z.array(z.string()),
  scheduledAt: z.number().nullable(),
  pauseReason: z.string().nullable(),
  total: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  createdAt: z.number(),
});
export type CampaignSummary = z.infer<typeof CampaignSummary>;

export const CampaignDetail = CampaignSummary.extend({
  listId: z.number().int().nullable(),
  templateId: z.number().int().nullable(),
  relayIds: z.array(z.number().int()),
  unsubscribe: z.string().nullable(),
  /** Why it paused when something (not a person) paused it: an error code such as AUTH_FAILED; null otherwise. */
  pauseCode: z.string().nullable(),
  snapshotAt: z.number().nullable(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  updatedAt: z.number(),
  counts: StateCounts,
});
export type CampaignDetail = z.infer<typeof CampaignDetail>;

/** The live picture of a campaign (the same shape as `postroom status --json`, plus more). */
export const CampaignStatus = StateCounts.extend({
  campaign: z.string(),
  id: z.number().int(),
  state: CampaignState,
  pauseReason: z.string().nullable(),
  pauseCode: z.string().nullable(),
  scheduledAt: z.number().nullable(),
  /** Messages accepted per second over the last minute. */
  rate: z.number().nonnegative(),
  eta: Eta,
});
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/** Names or ids of what a campaign sends: a list, a template, relays (the first one first, the others take over). */
const NameOrId = z.union([z.number().int().positive(), z.string().min(1)]);
/** A time: ms since epoch, or an ISO-8601 string with a time zone or offset. */
const When = z.union([z.number(), z.string().min(1)]);
const Unsubscribe = z.string().regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/i, 'must be mailto:ADDRESS or https://URL');

export const CampaignCreate = z.object({
  name: z.string().trim().min(1).max(200),
  list: NameOrId,
  template: NameOrId,
  relays: z.array(NameOrId).min(1),
  at: When.optional(),
  unsubscribe: Unsubscribe.optional(),
});
export type CampaignCreate = z.infer<typeof CampaignCreate>;

export const CampaignUpdate = CampaignRef.extend({
  name: z.string().trim().min(1).max(200).optional(),
  list: NameOrId.optional(),
  template: NameOrId.optional(),
  relays: z.array(NameOrId).min(1).optional(),
  /** null clears the schedule. */
  at: When.nullable().optional(),
  unsubscribe: Unsubscribe.nullable().optional(),
});
export type CampaignUpdate = z.infer<typeof CampaignUpdate>;

export const OutboxRow = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string().nullable(),
  state: RowState,
  attempts: z.number().int(),
  nextAttemptAt: z.number().nullable(),
  lastResponse: z.string().nullable(),
  sentAt: z.number().nullable(),
  messageId: z.string(),
  possibleDuplicate: z.boolean(),
});
export type OutboxRow = z.infer<typeof OutboxRow>;

export const Attempt = z.object({
  at: z.number(),
  relay: z.string().nullable(),
  outcome: z.string(),
  response: z.string().nullable(),
});
export type Attempt = z.infer<typeof Attempt>;

export const EngineInfo = z.object({
  id: z.string(),
  pid: z.number().int(),
  hostname: z.string(),
  hostKind: z.string(),
  startedAt: z.number(),
  heartbeatAt: z.number(),
  alive: z.boolean(),
});

export const CampaignProgress = CampaignStatus.extend({ at: z.number() });
export type CampaignProgress = z.infer<typeof CampaignProgress>;

export const sendingContract = {
  /** Every campaign with its counts, newest first. */
  'campaigns:list': { input: z.object({}).strict(), output: z.array(CampaignSummary) },
  /** One campaign in full, with its counts per state. */
  'campaigns:get': { input: CampaignRef, output: CampaignDetail },
  /** Creates a draft campaign (scheduled when `at` is given and sent). List, template and relays by name or id. */
  'campaigns:create': { input: CampaignCreate, output: CampaignDetail },
  /** Changes a draft or scheduled campaign. A campaign that has started keeps its recipients and settings. */
  'campaigns:update': { input: CampaignUpdate, output: CampaignDetail },
  /** Deletes a campaign and its outbox, unless it is sending. */
  'campaigns:remove': { input: CampaignRef, output: z.object({ removed: z.literal(true) }) },
  /**
   * Starts (or carries on) sending. The first send fixes the recipients and their Message-IDs into the outbox;
   * a campaign with a time in the future becomes `scheduled`. An engine (the desktop app, or `postroom send`)
   * does the sending.
   */
  'campaigns:send': { input: CampaignRef, output: CampaignStatus },
  /** Pauses sending within a second; messages already handed to the relay finish. */
  'campaigns:pause': { input: CampaignRef, output: CampaignStatus },
  /** Clears a pause (a person's, or one after a refused login): sending goes on wherever an engine runs. */
  'campaigns:resume': { input: CampaignRef, output: CampaignStatus },
  /** Stops the campaign for good: recipients not yet sent are marked cancelled. */
  'campaigns:cancel': { input: CampaignRef, output: CampaignStatus },
  /** Puts the failed recipients back in the queue (a finished campaign starts sending again). */
  'campaigns:retryFailed': { input: CampaignRef, output: CampaignStatus.extend({ requeued: z.number().int() }) },
  /** Counts per state, rate, and an ETA honest about daily quotas. */
  'campaigns:status': { input: CampaignRef, output: CampaignStatus },
  /** Writes the per-recipient report as CSV to `file` (formula-like cells escaped). */
  'campaigns:report': {
    input: CampaignRef.extend({ file: z.string().min(1) }),
    output: z.object({ file: z.string(), rows: z.number().int() }),
  },
  /** The outbox rows of a campaign, a page at a time, optionally of one state or matching a search. */
  'campaigns:recipients': {
    input: CampaignRef.extend({
      state: RowState.optional(),
      search: z.string().optional(),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().positive().max(1000).default(100),
    }),
    output: z.object({ total: z.number().int(), rows: z.array(OutboxRow) }),
  },
  /** Every attempt for one recipient of a campaign: time, relay, outcome, the server's words. */
  'campaigns:attempts': {
    input: CampaignRef.extend({ email: z.string().min(1) }),
    output: z.object({ row: OutboxRow, attempts: z.array(Attempt) }),
  },
  /** The message exactly as it would be sent to one recipient of the campaign. */
  'campaigns:preview': {
    input: CampaignRef.extend({ recipient: z.string().min(1) }),
    output: z.object({ raw: z.string(), subject: z.string(), messageId: z.string(), from: z.string(), to: z.array(z.string()) }),
  },
  /** The whole outbox at a glance: engines running on this data folder and campaigns with work left. */
  'outbox:overview': {
    input: z.object({}).strict(),
    output: z.object({ engines: z.array(EngineInfo), active: z.array(CampaignStatus) }),
  },
} as const;

export const sendingEvents = {
  /** A campaign's counts per state, rate and ETA; at most 10 a second per campaign, and on every state change. */
  'campaign:progress': CampaignProgress,
  /**
   * This process's engine started or stopped sending (any campaign). The desktop shell holds a
   * powerSaveBlocker while busy, so the computer doesn't sleep in the middle of a campaign.
   */
  'outbox:busy': z.object({ busy: z.boolean(), engine: z.string() }),
} as const;
