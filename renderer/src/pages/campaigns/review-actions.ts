/**
 * The window's words for the actions the core's review leaves to each door: the core says what is wrong (a code
 * and its parameters, electron/core/outbox/review.ts); this says where to fix it, as a link or a button. Never a
 * command: the command line has its own (electron/hosts/cli/review-actions.ts).
 */
import type { ReviewItem } from '../../../../shared/contract/sending';
import { href } from '../../app/router';
import { t } from '../../i18n';
import { coreMessage } from '../../i18n/core-messages';
import { formatWhen } from '../../i18n/format';

export interface ReviewAction {
  label: string;
  /** A place in the window (`#/…`) or a step of the composer (`#step-…`). */
  to: string;
}

/** What the composer knows that the review's parameters don't: ids to link to. */
export interface ReviewContext {
  templateId: number | null;
}

export function reviewAction(item: Pick<ReviewItem, 'code' | 'params'>, context: ReviewContext): ReviewAction | null {
  const template = context.templateId === null ? '#step-content' : href('templates', context.templateId);
  switch (item.code) {
    case 'NO_NAME':
      return { label: t('reviewAction.name'), to: '#step-subject' };
    case 'NO_LIST':
      return { label: t('reviewAction.chooseList'), to: '#step-recipients' };
    case 'LIST_EMPTY':
      return { label: t('reviewAction.import'), to: href('recipients', 'import') };
    case 'NOBODY_LEFT':
      return { label: t('reviewAction.suppressions'), to: href('recipients', 'suppressions') };
    case 'NO_TEMPLATE':
      return { label: t('reviewAction.chooseTemplate'), to: '#step-content' };
    case 'TEMPLATE_ERROR':
    case 'FIELD_MISSING':
    case 'UNSUBSCRIBE_NOT_IN_BODY':
    case 'SUBJECT_EMPTY':
    case 'INLINE_IMAGE_MISSING':
      return { label: t('reviewAction.editTemplate'), to: template };
    case 'NO_RELAY':
      return { label: t('reviewAction.chooseRelay'), to: '#step-from' };
    case 'RELAY_NEEDS_PASSWORD':
      return { label: t('reviewAction.addPassword'), to: href('relays', String(item.params.relay ?? '')) };
    case 'RELAY_NEEDS_SIGN_IN':
      return { label: t('reviewAction.signIn'), to: href('relays', String(item.params.relay ?? '')) };
    case 'SCHEDULE_PAST':
      return { label: t('reviewAction.laterTime'), to: '#step-review' };
    case 'NO_UNSUBSCRIBE':
    case 'UNSUBSCRIBE_MAILTO_ONLY':
      return { label: t('reviewAction.addUnsubscribe'), to: '#step-content' };
    case 'DKIM_MISSING':
      return { label: t('reviewAction.setUpDomain', { domain: String(item.params.domain || t('reviewAction.yourDomain')) }), to: href('settings', 'domains') + (item.params.domain ? `?domain=${encodeURIComponent(String(item.params.domain))}` : '') };
    case 'FIELD_EMPTY':
    case 'FIELD_NOT_ON_LIST':
      return { label: t('reviewAction.fallbacks'), to: '#step-content' };
    case 'ATTACHMENTS_UNREADABLE':
    case 'QUOTA_SPILLS':
      return null;
  }
}

/** The key a warning is acknowledged under: the same warning about the same thing stays ticked. */
export function reviewKey(item: Pick<ReviewItem, 'code' | 'params'>): string {
  // The quota plan moves with the clock: the warning is the same while the relay is.
  if (item.code === 'QUOTA_SPILLS') return `${item.code}:${String(item.params.relay)}`;
  return `${item.code}:${JSON.stringify(item.params)}`;
}

/**
 * A review item in the window's language: the core's facts worded from the catalog (`core.<CODE>`), dates in the
 * window's format; the core's own sentence where the catalog has no wording (and always in English).
 */
export function reviewMessage(item: ReviewItem, now = Date.now()): string {
  const p = { ...item.params };
  if (item.code === 'SCHEDULE_PAST' && typeof p.at === 'string') p.at = formatWhen(Date.parse(p.at), now);
  if (item.code === 'QUOTA_SPILLS' && typeof p.laterFrom === 'number') p.when = formatWhen(p.laterFrom, now);
  if (item.code === 'DKIM_MISSING' && !p.domain) p.domain = t('reviewAction.yourDomain');
  return coreMessage({ code: item.code, message: item.message, params: p });
}
