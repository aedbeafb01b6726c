/**
 * The review step's state: the core's review of the campaign as it stands (`campaigns:review`, asked again once
 * typing pauses), sorted into what blocks, advice, and warnings to tick, with what the person has ticked. The core
 * decides what blocks and what to acknowledge; the window shows it. Only what the form itself can't read (an
 * unfinished date, an unsubscribe that isn't a link) comes in from the page, as `formErrors`.
 */
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { CampaignReview, ReviewDraft, ReviewItem } from '../../../../../shared/contract/sending';
import type { AppError } from '../../../../../shared/result';
import { useQuery } from '../../../api/hooks';
import { reviewKey } from '../review-actions';

// Advice is shown with where to act on it, not as a box to tick: DKIM (Sender domains), and a mailto-only
// unsubscribe (what a shop without a website has; Postroom reads those requests from the mailbox).
const isAdvice = (w: ReviewItem) => w.code === 'DKIM_MISSING' || w.code === 'UNSUBSCRIBE_MAILTO_ONLY';

export interface CampaignCheck {
  /** The core's last review (of a draft that may have changed since). */
  review: CampaignReview | undefined;
  error: AppError | undefined;
  blockers: ReviewItem[];
  advice: ReviewItem[];
  /** The warnings to tick before sending. */
  warnings: ReviewItem[];
  /** The form's own problems (see above), listed with the blockers. */
  formErrors: string[];
  isTicked: (item: ReviewItem) => boolean;
  tick: (item: ReviewItem, checked: boolean) => void;
  /** Whether the content step has something to fix (a template error, a field the list lacks). */
  blocksContent: boolean;
  /** Whether the person chose to skip the recipients whose file can't be read. */
  skipFiles: boolean;
  /** Nothing blocks, every warning is ticked, and the review is of the campaign as it stands now. */
  ready: boolean;
  /** How many warnings are left to tick when they are all that holds the send back (else 0). */
  toTick: number;
}

export function useCampaignReview(draft: ReviewDraft, formErrors: string[]): CampaignCheck {
  const [acks, setAcks] = useState<Record<string, boolean>>({});
  const draftKey = JSON.stringify(draft);
  const [reviewKeyNow] = useDebouncedValue(draftKey, 300);
  const reviewQuery = useQuery('campaignsReview', { draft: JSON.parse(reviewKeyNow) as ReviewDraft }, { refreshOn: ['lists:changed', 'suppressions:changed', 'relays:changed'] });
  const review = reviewQuery.data;
  const current = reviewKeyNow === draftKey && !reviewQuery.loading;
  const blockers = review?.blockers ?? [];
  const advice = (review?.warnings ?? []).filter(isAdvice);
  const warnings = (review?.warnings ?? []).filter((w) => !isAdvice(w));
  const isTicked = (item: ReviewItem) => !!acks[reviewKey(item)];
  const unacknowledged = warnings.filter((w) => !isTicked(w));
  const blocksContent = blockers.some((b) => b.code === 'TEMPLATE_ERROR' || b.code === 'FIELD_MISSING');
  // Recipients whose file can't be sent block until the person ticks to skip them (the engine records them skipped).
  const skipFiles = blockers.some((b) => b.code === 'ATTACHMENTS_UNREADABLE' && isTicked(b));
  const blocking = blockers.filter((b) => !(b.code === 'ATTACHMENTS_UNREADABLE' && isTicked(b)));
  const ready = current && !!review && blocking.length === 0 && formErrors.length === 0 && unacknowledged.length === 0;
  return {
    review,
    error: reviewQuery.error,
    blockers,
    advice,
    warnings,
    formErrors,
    isTicked,
    tick: (item, checked) => setAcks((a) => ({ ...a, [reviewKey(item)]: checked })),
    blocksContent,
    skipFiles,
    ready,
    toTick: !ready && blocking.length === 0 && formErrors.length === 0 ? unacknowledged.length : 0,
  };
}
