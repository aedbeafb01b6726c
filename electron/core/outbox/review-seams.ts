/**
 * Two questions the review asks of other areas: can a relay log in (relay/, its sign-in), and can each recipient's
 * attachment be read (compose/attachments.ts).
 */
import type { CoreContext } from '../context';
import type { RelayProfile } from '../relay';
import type { TemplateRecord } from '../store/templates';
import { attachmentsFolderOf, scanAttachments } from '../compose/attachments';
import { oauthSummary } from '../relay/oauth-summary';

/** Whether a relay can log in: `ok`, or what it lacks. */
export type RelayCredentials = 'ok' | 'needs-password' | 'needs-sign-in';

/** A password relay: is a password (or its environment variable) there? A signed-in relay: is it signed in? */
export function relayCredentials(ctx: CoreContext, relay: RelayProfile): RelayCredentials {
  if (relay.auth === 'none') return 'ok';
  if (relay.auth === 'oauth2') return oauthSummary(ctx, relay).signedIn ? 'ok' : 'needs-sign-in';
  return relay.passwordSource !== 'none' ? 'ok' : 'needs-password';
}

/** Recipients whose own attachment (the template's attachment field) can't be read, or are refused. */
export interface UnreadableAttachments {
  count: number;
  field: string;
  /** One recipient's address and why its file can't go, to show. */
  example: string;
}

/**
 * The attachments resolver (compose/attachments.ts) asked for every recipient still to send: a file that is
 * missing, unreadable or outside the attachments folder blocks (ATTACHMENTS_UNREADABLE) until the person fixes
 * it; the engine would skip those recipients with the reason.
 */
export function unreadableAttachments(
  ctx: CoreContext,
  template: TemplateRecord,
  s: { campaignId: number | null; listId: number | null; startedId: number | null },
): UnreadableAttachments | null {
  const field = template.attachField;
  if (!field) return null;
  const folder = attachmentsFolderOf(ctx.db, { campaignId: s.campaignId, templateId: template.id, listId: s.listId });
  const found = scanAttachments(ctx, { field, folder, startedId: s.startedId, listId: s.listId, maxExamples: 1 });
  if (!found.count) return null;
  const ex = found.examples[0]!;
  return { count: found.count, field, example: `${ex.email}: ${ex.reason}` };
}
