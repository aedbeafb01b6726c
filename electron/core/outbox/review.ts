/**
 * The review before sending: what blocks a campaign, what a person should acknowledge, and the plan at the
 * relay's limits. The one place these rules live: the window's review step renders this answer, `postroom review`
 * prints it, and `campaigns:send` refuses a campaign it blocks (so `postroom send` does too).
 *
 * Items carry a code and parameters with a plain sentence that fits every door; each door adds the action in its
 * own terms (renderer/src/pages/campaigns/review-actions.ts, electron/hosts/cli/review-actions.ts).
 */
import type { CoreContext } from '../context';
import type { CampaignRef, CampaignReview, ReviewDraft, ReviewItem, ReviewPlan } from '../../../shared/contract/sending';
import type { ListStats } from '../../../shared/contract/recipients';
import { PostroomError } from '../../../shared/errors';
import { fieldUses } from '../../../shared/merge-fields';
import { mailboxAddress } from '../../../shared/mailbox';
import { describePlan, formatWhen, people, planByDay, planSend } from '../../../shared/plan';
import { findListById } from '../store/lists';
import { listStats } from '../store/recipients';
import { loadTemplate, type TemplateRecord } from '../store/templates';
import { getRelay, relayQuota, type RelayProfile } from '../relay';
import { inspectTemplate } from '../compose/check';
import { hasDkimKey } from '../compose/dkim';
import { campaignOf, countsOf, findCampaign, unsubscribeOf, type Campaign } from './campaigns';
import { relayCredentials, unreadableAttachments } from './review-seams';

/** What is reviewed: a saved campaign, or the window's draft (state `draft`, not started). */
interface Subject {
  name: string;
  listId: number | null;
  templateId: number | null;
  relayIds: number[];
  unsubscribe: string | null;
  at: number | null;
  state: Campaign['state'];
  /** Set once the campaign has fixed its recipients: they are reviewed from the outbox, not the list. */
  startedId: number | null;
  /** The saved campaign's id (its own attachments folder); null for a draft. */
  campaignId: number | null;
}

/** A schedule this much in the past still counts as "now" (the person pressed the button a moment late). */
const LATE_GRACE_MS = 60_000;

function subjectOf(c: Campaign): Subject {
  return {
    name: c.name,
    listId: c.listId,
    templateId: c.templateId,
    relayIds: c.relayIds,
    unsubscribe: c.unsubscribe,
    at: c.scheduledAt,
    state: c.state,
    startedId: c.snapshotAt === null ? null : c.id,
    campaignId: c.id,
  };
}

function draftSubject(d: ReviewDraft): Subject {
  return { name: d.name, listId: d.list, templateId: d.template, relayIds: d.relays, unsubscribe: d.unsubscribe, at: d.at, state: 'draft', startedId: null, campaignId: null };
}

function templateOrNull(ctx: CoreContext, id: number | null): TemplateRecord | null {
  if (id === null) return null;
  try {
    return loadTemplate(ctx.db, id);
  } catch (err) {
    if (err instanceof PostroomError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

function relayOrNull(ctx: CoreContext, id: number): RelayProfile | null {
  try {
    return getRelay(ctx, id);
  } catch (err) {
    if (err instanceof PostroomError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

async function review(ctx: CoreContext, s: Subject): Promise<CampaignReview> {
  const now = ctx.clock.now();
  const blockers: ReviewItem[] = [];
  const warnings: ReviewItem[] = [];
  const block = (code: ReviewItem['code'], message: string, params: ReviewItem['params'] = {}) => blockers.push({ code, message, params });
  const warn = (code: ReviewItem['code'], message: string, params: ReviewItem['params'] = {}) => warnings.push({ code, message, params });

  if (!s.name.trim()) block('NO_NAME', 'The campaign has no name yet.');

  // Who receives it: the list less suppressed addresses, or, once started, the recipients it fixed.
  const list = s.listId === null ? undefined : findListById(ctx.db, s.listId);
  let stats: ListStats | undefined;
  let recipients = 0;
  let suppressed = 0;
  let toSend = 0;
  if (s.startedId !== null) {
    const counts = countsOf(ctx.db, s.startedId);
    recipients = counts.total - counts.skipped;
    suppressed = counts.skipped;
    toSend = counts.queued + counts.deferred + counts.sending;
  } else if (!list) {
    block('NO_LIST', s.listId === null ? 'No list is chosen: nobody would receive it.' : 'The list it was made for has been deleted: nobody would receive it.', {
      reason: s.listId === null ? 'none' : 'deleted',
    });
  } else {
    stats = await listStats(ctx.db, list);
    recipients = toSend = stats.total - stats.suppressed;
    suppressed = stats.suppressed;
    if (stats.total === 0) block('LIST_EMPTY', `The list "${list.name}" is empty: nobody would receive it.`, { list: list.name });
    else if (recipients === 0) {
      block('NOBODY_LEFT', `Everyone on "${list.name}" is on the suppression list (unsubscribed or bounced): nobody would receive it.`, { list: list.name, suppressed });
    }
  }

  // What they receive: the template, checked against the list.
  const template = templateOrNull(ctx, s.templateId);
  if (!template) {
    block('NO_TEMPLATE', s.templateId === null ? 'No template is chosen: there is no message to send.' : 'The template it was made with has been deleted: there is no message to send.', {
      reason: s.templateId === null ? 'none' : 'deleted',
    });
  } else {
    const checked = inspectTemplate(template, list?.fields ?? [], {
      dkim: hasDkimKey(ctx, template.from),
      unsubscribe: unsubscribeOf(s.unsubscribe),
      inlineCids: template.attachments.flatMap((a) => (a.cid ? [a.cid] : [])),
    });
    for (const e of checked.check.errors) {
      block('TEMPLATE_ERROR', `The template "${template.name}" has a problem in its ${e.part} (line ${e.line}, column ${e.column}): ${e.message}`, {
        template: template.name,
        part: e.part,
        line: e.line,
        column: e.column,
        error: e.message,
      });
    }
    if (list && s.startedId === null) {
      const uses = fieldUses(template.subject, template.from, template.body, template.text ?? '', template.replyTo ?? '', s.unsubscribe ?? '');
      const covered = new Set(uses.filter((u) => u.covered).map((u) => u.field));
      for (const m of checked.check.missing) {
        const where = { field: m.field, list: list.name, template: template.name, part: m.part, line: m.line, column: m.column };
        if (covered.has(m.field) && m.part !== 'attachField') {
          warn('FIELD_NOT_ON_LIST', `The list "${list.name}" has no field "${m.field}": everyone gets its fallback.`, where);
        } else {
          block('FIELD_MISSING', `The template uses the field "${m.field}" (${m.part}, line ${m.line}, column ${m.column}), but the list "${list.name}" has no such field and it has no fallback.`, where);
        }
      }
      for (const u of uses) {
        const empty = u.covered ? 0 : (stats?.fields.find((f) => f.field === u.field)?.empty ?? 0);
        if (empty > 0) warn('FIELD_EMPTY', `"${u.field}" is empty for ${people(empty)} and has no fallback: they will see a gap where it goes.`, { field: u.field, count: empty });
      }
    }
    // Each recipient's own file, of the list before sending, of those still to send after.
    const files = unreadableAttachments(ctx, template, { campaignId: s.campaignId, listId: s.listId, startedId: s.startedId });
    if (files) {
      block('ATTACHMENTS_UNREADABLE', `The attachment in "${files.field}" can't be sent for ${people(files.count)} (for example ${files.example}).`, { ...files });
    }
    warnings.push(...checked.warnings);
  }

  // Through which relays, and can they log in.
  const relays = s.relayIds.map((id) => relayOrNull(ctx, id));
  const relay = relays[0] ?? null;
  if (!relay) block('NO_RELAY', s.relayIds.length ? 'The relay it sends through has been deleted.' : 'No relay is chosen: nothing would send it.', { reason: s.relayIds.length ? 'deleted' : 'none' });
  for (const r of relays) {
    if (!r) continue;
    const credentials = relayCredentials(ctx, r);
    if (credentials === 'needs-password') block('RELAY_NEEDS_PASSWORD', `The relay "${r.name}" has no password yet, so it can't log in.`, { relay: r.name });
    if (credentials === 'needs-sign-in') block('RELAY_NEEDS_SIGN_IN', `The relay "${r.name}" isn't signed in to its account, so it can't send.`, { relay: r.name });
  }

  // When.
  if (s.startedId === null && s.state === 'draft' && s.at !== null && s.at < now - LATE_GRACE_MS) {
    block('SCHEDULE_PAST', `The time it is scheduled for (${formatWhen(s.at, now)}) has passed.`, { at: new Date(s.at).toISOString() });
  }

  // The plan at the first relay's limits (the others only take over when it can't be reached).
  let plan: ReviewPlan | null = null;
  if (relay) {
    const start = Math.max(now, s.at ?? now);
    const quota = relayQuota(ctx, relay.id);
    const p = planSend(toSend, relay.limits, quota, start);
    const byDay = planByDay(p, start, quota.dailyLimit ?? relay.limits.perDay);
    plan = { ...p, perDay: byDay.perDay, finishesAt: byDay.finishesAt === null ? null : new Date(byDay.finishesAt).toISOString(), startsAt: start };
    if (p.later > 0) {
      warn('QUOTA_SPILLS', `The daily limit of "${relay.name}" doesn't cover everyone today: ${describePlan(p, now)}`, {
        relay: relay.name,
        today: p.today,
        later: p.later,
        laterFrom: p.laterFrom,
      });
    }
  }

  let from: string | null = null;
  if (template) from = mailboxAddress(template.from);
  return {
    campaign: s.name,
    recipients,
    // Duplicates and invalid addresses never reach a list: the import leaves them out and reports them.
    skipped: { suppressed, invalid: 0, duplicates: 0 },
    blockers,
    warnings,
    plan,
    list: list?.name ?? null,
    template: template?.name ?? null,
    relay: relay?.name ?? null,
    from,
    at: s.at !== null && s.at > now ? s.at : null,
  };
}

/** The review of a saved campaign (by name or id) or of the window's draft. */
export function reviewCampaign(ctx: CoreContext, input: CampaignRef | { draft: ReviewDraft }): Promise<CampaignReview> {
  if ('draft' in input) return review(ctx, draftSubject(input.draft));
  return review(ctx, subjectOf(campaignOf(findCampaign(ctx.db, input.campaign))));
}

/**
 * Refuses to start a campaign the review blocks (REVIEW_BLOCKED, with the blockers' codes). Only a campaign that
 * has not fixed its recipients yet is reviewed: carrying on with a paused one is not a new send.
 */
export async function assertSendable(ctx: CoreContext, ref: CampaignRef['campaign'], opts: { skipUnreadableAttachments?: boolean } = {}): Promise<void> {
  const c = campaignOf(findCampaign(ctx.db, ref));
  if (c.snapshotAt !== null || (c.state !== 'draft' && c.state !== 'scheduled')) return;
  const r = await review(ctx, subjectOf(c));
  // Recipients whose file can't be sent may be skipped, when the person says so (the engine records them skipped).
  const blockers = r.blockers.filter((b) => !(opts.skipUnreadableAttachments && b.code === 'ATTACHMENTS_UNREADABLE'));
  if (blockers.length === 0) return;
  throw new PostroomError('REVIEW_BLOCKED', `Campaign "${c.name}" can't be sent yet: ${blockers.map((b) => b.message).join(' ')}`, {
    campaign: c.name,
    blockers: blockers.map((b) => b.code).join(','),
  });
}
