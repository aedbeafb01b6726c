/**
 * Why a campaign is paused, in the window's language: worded from the sentence's code when the core kept one (a
 * campaign paused before migration 11 has only the core's sentence), else from the error's, else as the core said
 * it. Null when the core gave no reason (paused by a person without one).
 */
import type { CoreNote } from '../../../../shared/contract/sending';
import { coreMessage } from '../../i18n/core-messages';

export function pauseReasonText(c: { pauseReason?: string | null; pauseCode?: string | null; pauseNote?: CoreNote }): string | null {
  if (!c.pauseReason) return null;
  return coreMessage({ ...(c.pauseNote ?? { code: c.pauseCode ?? 'INTERNAL' }), message: c.pauseReason });
}
