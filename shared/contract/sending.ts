/** Campaigns, the outbox and its engine. Owned by the outbox work (issue 5). */
import { z } from 'zod';
import { parseUnsubscribe } from '../unsubscribe';

/**
 * One of the core's own sentences by code, for the window to word in the person's language: the catalog's
 * `core.<code>` (or `core.<code>.<reason>` when `params.reason` names a variant) with these params. The English
 * sentence travels beside it (the command line prints that); a window without the message shows the English.
 */
export const CoreNote = z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])) });
export type CoreNote = z.infer<typeof CoreNote>;

/** A campaign's place in its life: draft → scheduled → sending ⇄ paused → completed | cancelled; `waiting` while no relay answers. */
export const CampaignState = z.enum(['draft', 'scheduled', 'sending', 'waiting', 'paused', 'completed', 'cancelled']);
export type CampaignState = z.infer<typeof CampaignState>;

/** One recipient's place in the outbox. `skipped`: suppressed (or otherwise not sendable) just before it went. */
export const RowState = z.enum(['queued', 'sending', 'sent', 'deferred', 'failed', 'skipped', 'cancelled']);
export type RowState = z.infer<typeof RowState>;

/** A campaign named by its id or its name (names are unique, case-insensitively). */
export const CampaignRef = z.object({ campaign: z.union([z.number().int().positive(), z.string().min(1)]) });
export type CampaignRef = z.infer<typeof CampaignRef>;

/**
 * Starting a campaign. `skipUnreadableAttachments`: the person has seen the review's ATTACHMENTS_UNREADABLE and
 * chose to send to everyone else; those recipients are recorded as skipped with the reason (never sent without
 * their file). Every other blocker still refuses.
 */
export const CampaignSend = CampaignRef.extend({ skipUnreadableAttachments: z.boolean().optional() });
export type CampaignSend = z.infer<typeof CampaignSend>;

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
  /** The pause reason by code, when the core has one for it (absent: show `pauseReason`). */
  pauseNote: CoreNote.optional(),
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
  /** The unsubscribe methods as stored: one URI a line (mailto first). */
  unsubscribe: z.string().nullable(),
  /** The folder per-recipient attachments are read from, as used (its own, the template's or the list's); null: none. */
  attachmentsDir: z.string().nullable().optional(),
  /** The `mailto:` method (merge fields as written), or null. */
  unsubscribeMailto: z.string().nullable(),
  /** The `https:` method (merge fields as written), or null. */
  unsubscribeUrl: z.string().nullable(),
  /** The campaign pauses when this share (%) of what it sent comes back as hard bounces (counted from 50 sent). */
  pauseOnBounces: z.number(),
  /** Why it paused when something (not a person) paused it: an error code such as AUTH_FAILED; null otherwise. */
  pauseCode: z.string().nullable(),
  snapshotAt: z.number().nullable(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  updatedAt: z.number(),
  counts: StateCounts,
});
export type CampaignDetail = z.infer<typeof CampaignDetail>;

/** What came back from the campaign's recipients (read from the mailbox): how many recipients, per kind. */
export const FeedbackCounts = z.object({
  /** Hard bounces: the address doesn't take mail. */
  bounced: z.number().int().nonnegative(),
  /** Temporary failures and delay notices. */
  softBounced: z.number().int().nonnegative(),
  /** Complaint (spam) reports. */
  complained: z.number().int().nonnegative(),
  /** Unsubscribe requests. */
  unsubscribed: z.number().int().nonnegative(),
});
export type FeedbackCounts = z.infer<typeof FeedbackCounts>;

/** The live picture of a campaign (the same shape as `postroom status --json`, plus more). */
export const CampaignStatus = StateCounts.extend(FeedbackCounts.shape).extend({
  campaign: z.string(),
  id: z.number().int(),
  state: CampaignState,
  pauseReason: z.string().nullable(),
  pauseCode: z.string().nullable(),
  /** The pause reason by code, when the core has one for it (absent: show `pauseReason`). */
  pauseNote: CoreNote.optional(),
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
/**
 * A campaign's unsubscribe methods: one `mailto:` and/or one `https:` URI, as one text (one a line) or a list.
 * Judged by shared/unsubscribe.ts; merge fields in them are checked by rendering, in the core.
 */
const Unsubscribe = z.union([z.string(), z.array(z.string()).max(2)]).superRefine((v, ctx) => {
  const p = parseUnsubscribe(v);
  if (!p.ok) ctx.addIssue({ code: 'custom', message: p.error });
});
/** A share in per cent, 0–100. */
const Percent = z.number().min(0).max(100);

export const CampaignCreate = z.object({
  name: z.string().trim().min(1).max(200),
  list: NameOrId,
  template: NameOrId,
  relays: z.array(NameOrId).min(1),
  at: When.optional(),
  unsubscribe: Unsubscribe.optional(),
  /** The folder (full path) per-recipient attachments are read from; left out: the template's, else the list's import folder. */
  attachmentsDir: z.string().trim().min(1).max(4096).optional(),
  /** Pause when this share (%) of the messages sent comes back as hard bounces, once 50 are sent. Default 5. */
  pauseOnBounces: Percent.optional(),
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
  /** null: no folder of its own (the template's, else the list's import folder, is used). */
  attachmentsDir: z.string().trim().min(1).max(4096).nullable().optional(),
  pauseOnBounces: Percent.optional(),
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
  /** When `lastResponse` is Postroom's own note (not the server's words): the note by code. */
  lastNote: CoreNote.optional(),
  sentAt: z.number().nullable(),
  messageId: z.string(),
  possibleDuplicate: z.boolean(),
  /** What came back from this recipient (the mailbox): a bounce, complaint or unsubscribe, with the server's words. */
  feedback: z
    .object({
      kind: z.enum(['hard', 'soft', 'delayed', 'complaint', 'unsubscribe', 'auto-reply']),
      detail: z.string().nullable(),
      /** When `detail` is Postroom's description (not the server's words): the description by code. */
      note: CoreNote.optional(),
      at: z.number(),
    })
    .nullable()
    .optional(),
});
export type OutboxRow = z.infer<typeof OutboxRow>;

export const Attempt = z.object({
  at: z.number(),
  relay: z.string().nullable(),
  outcome: z.string(),
  response: z.string().nullable(),
  /** When `response` is Postroom's own note (not the server's words): the note by code. */
  note: CoreNote.optional(),
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

/**
 * What the review says, by code: each door words the action itself (the window a button or link, the command line
 * a command). `params` carry what the sentence names (list, relay, field, domain, counts) for the doors to use.
 */
export const ReviewCode = z.enum([
  // Blockers: the campaign can't be sent until they are fixed.
  'NO_NAME', // the campaign has no name (a draft in the window)
  'NO_LIST', // { reason: 'none' | 'deleted' }: no list chosen, or it was deleted
  'LIST_EMPTY', // { list }
  'NOBODY_LEFT', // { list, suppressed }: everyone on the list is suppressed
  'NO_TEMPLATE', // { reason: 'none' | 'deleted' }
  'TEMPLATE_ERROR', // { template, part, line, column, error }
  'FIELD_MISSING', // { field, list, part, line, column }: used without a fallback, and the list lacks it
  'NO_RELAY', // { reason: 'none' | 'deleted' }
  'RELAY_NEEDS_PASSWORD', // { relay }
  'RELAY_NEEDS_SIGN_IN', // { relay }: an OAuth2 account that isn't signed in
  'SCHEDULE_PAST', // { at }
  'ATTACHMENTS_UNREADABLE', // { count, field, example }: per-recipient files that can't be read
  // Warnings: to acknowledge; sending goes on.
  'NO_UNSUBSCRIBE',
  'UNSUBSCRIBE_MAILTO_ONLY',
  'UNSUBSCRIBE_NOT_IN_BODY',
  'FIELD_EMPTY', // { field, count }: empty for some recipients and no fallback
  'FIELD_NOT_ON_LIST', // { field, list }: the list lacks it; everyone gets the fallback
  'SUBJECT_EMPTY',
  'DKIM_MISSING', // { domain }
  'INLINE_IMAGE_MISSING', // { cid }
  'QUOTA_SPILLS', // { relay, today, later, laterFrom }
]);
export type ReviewCode = z.infer<typeof ReviewCode>;

export const ReviewItem = z.object({
  code: ReviewCode,
  /** A plain sentence: what is wrong and why, without the action (each door adds that in its own terms). */
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

/** A campaign not saved yet, as the window's composer holds it: ids, all optional while the person fills it in. */
export const ReviewDraft = z.object({
  name: z.string().max(200).default(''),
  list: z.number().int().positive().nullable().default(null),
  template: z.number().int().positive().nullable().default(null),
  relays: z.array(z.number().int().positive()).default([]),
  at: z.number().nullable().default(null),
  unsubscribe: z.string().nullable().default(null),
});
export type ReviewDraft = z.infer<typeof ReviewDraft>;

/** The send plan at the first relay's limits (see shared/plan.ts); `perDay` dates are the core's local days. */
export const ReviewPlan = z.object({
  perDay: z.array(z.object({ date: z.string(), messages: z.number().int().nonnegative() })),
  /** ISO-8601, or null when nothing goes or the relay sets no rate (it goes as fast as the relay takes it). */
  finishesAt: z.string().nullable(),
  startsAt: z.number(),
  rate: z.number().nullable(),
  today: z.number().int().nonnegative(),
  later: z.number().int().nonnegative(),
  laterFrom: z.number().nullable(),
  extraDays: z.number().int().nonnegative(),
  todaySeconds: z.number().nullable(),
});
export type ReviewPlan = z.infer<typeof ReviewPlan>;

/** The review before sending (`postroom review --json` prints `campaign` … `plan`; the rest is for the window). */
export const CampaignReview = z.object({
  campaign: z.string(),
  /** Who will receive it: the list less suppressed addresses (once started: the campaign's fixed recipients). */
  recipients: z.number().int().nonnegative(),
  skipped: z.object({ suppressed: z.number().int(), invalid: z.number().int(), duplicates: z.number().int() }),
  blockers: z.array(ReviewItem),
  warnings: z.array(ReviewItem),
  plan: ReviewPlan.nullable(),
  /** What the sentence over the Send button names. */
  list: z.string().nullable(),
  template: z.string().nullable(),
  relay: z.string().nullable(),
  from: z.string().nullable(),
  /** When it is scheduled to go (ms since epoch), or null for now. */
  at: z.number().nullable(),
});
export type CampaignReview = z.infer<typeof CampaignReview>;

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
  'campaigns:send': { input: CampaignSend, output: CampaignStatus },
  /**
   * The review before sending, the same for every door: what blocks it, what to acknowledge, and the plan at the
   * relays' limits. A saved campaign by name or id, or the window's unsaved `draft`. `campaigns:send` refuses a
   * campaign the review blocks (REVIEW_BLOCKED).
   */
  'campaigns:review': { input: z.union([CampaignRef, z.object({ draft: ReviewDraft })]), output: CampaignReview },
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
  /** The same report as CSV text, for a door that saves the file itself (the window); optionally one state's rows. */
  'campaigns:reportCsv': {
    input: CampaignRef.extend({ state: RowState.optional() }),
    output: z.object({ csv: z.string(), rows: z.number().int() }),
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
