/**
 * The command line's words for the actions the core's review and errors leave to each door: the core says what
 * is wrong (a code and its parameters); this says which command fixes it. The window has its own
 * (renderer/src/pages/campaigns/review-actions.ts).
 */
import type { ReviewItem } from '../../../shared/contract/sending';
import { shellArg } from './output';

type Params = ReviewItem['params'];
const str = (p: Params, k: string) => shellArg(String(p[k] ?? ''));

/** The command that fixes a review item, or null when there is nothing to run. `campaign` is the campaign's name. */
export function reviewAction(item: Pick<ReviewItem, 'code' | 'params'>, campaign: string): string | null {
  const c = shellArg(campaign);
  switch (item.code) {
    case 'NO_NAME':
      return null;
    case 'NO_LIST':
      return `Create the campaign again with --list LIST ('postroom lists' shows yours).`;
    case 'LIST_EMPTY':
      return `Import recipients with 'postroom import FILE --list ${str(item.params, 'list')}'.`;
    case 'NOBODY_LEFT':
      return `See who is suppressed with 'postroom suppress list'.`;
    case 'NO_TEMPLATE':
      return `Create the campaign again with --template TEMPLATE ('postroom template list' shows yours).`;
    case 'TEMPLATE_ERROR':
      return `Fix the template, then run 'postroom review ${c}' again.`;
    case 'FIELD_MISSING':
      return `Import a spreadsheet with that column into the list, or give the field a fallback ({{ ${String(item.params.field)} | default: "…" }}); 'postroom template check ${str(item.params, 'template')} --list ${str(item.params, 'list')}' shows each place.`;
    case 'NO_RELAY':
      return `Create the campaign again with --relay RELAY ('postroom relay list' shows yours).`;
    case 'RELAY_NEEDS_PASSWORD':
      return `Give it one: 'postroom relay add ${str(item.params, 'relay')} … --password-env VAR' (remove and add it again).`;
    case 'RELAY_NEEDS_SIGN_IN':
      return `Sign in with 'postroom relay login ${str(item.params, 'relay')}'.`;
    case 'SCHEDULE_PAST':
      return `Create the campaign again with a later --at, or without --at to send now.`;
    case 'ATTACHMENTS_UNREADABLE':
      return `Check the files the field "${String(item.params.field)}" names.`;
    case 'NO_UNSUBSCRIBE':
    case 'UNSUBSCRIBE_MAILTO_ONLY':
      return `Give the campaign --unsubscribe https://… (and mailto:…) when you create it.`;
    case 'DKIM_MISSING':
      return `Add a key with 'postroom dkim add ${str(item.params, 'domain')} --selector NAME' and publish its DNS record.`;
    case 'UNSUBSCRIBE_NOT_IN_BODY':
    case 'FIELD_EMPTY':
    case 'FIELD_NOT_ON_LIST':
    case 'SUBJECT_EMPTY':
    case 'INLINE_IMAGE_MISSING':
    case 'QUOTA_SPILLS':
      return null;
  }
}

/** A review item as one line a person reads in the terminal: the core's sentence, then the command. */
export function reviewLine(item: Pick<ReviewItem, 'code' | 'params' | 'message'>, campaign: string): string {
  const action = reviewAction(item, campaign);
  return action ? `${item.message} ${action}` : item.message;
}

/** The command to add to a core error, from its code and parameters (the core's sentence names no command). */
export function errorAction(code: string, params: Record<string, string | number | null> | undefined): string | null {
  if (code === 'NOT_FOUND') {
    switch (params?.kind) {
      case 'list':
        return "Run 'postroom lists' to see yours.";
      case 'template':
        return "Run 'postroom template list' to see yours.";
      case 'relay':
        return "Run 'postroom relay list' to see yours.";
      case 'campaign':
        return "Run 'postroom campaign list' to see your campaigns.";
      default:
        return null;
    }
  }
  if (code === 'REVIEW_BLOCKED' && params?.campaign) return `Run 'postroom review ${shellArg(String(params.campaign))}' to see what to fix.`;
  return null;
}
