/**
 * The outbox's own sentences, each built here from its parameters (electron/core/notes.ts says why): why a
 * campaign paused or waits, and Postroom's note on a recipient where it wrote one instead of the server's words.
 * Parameters that hold someone else's words (the server's reply, the reason a person gave) go in as they are.
 */
import { word, type Sentences, type Worded } from '../notes';

export const OUTBOX_SENTENCES = {
  // Why a campaign paused or waits (campaigns.pause_reason).
  PAUSED_BY_YOU: () => 'Paused by you.',
  PAUSED_LOGIN_REFUSED: (p: { relay: string; host: string; reply: string }) =>
    `Couldn't log in to relay "${p.relay}" (${p.host}): the server said ${p.reply}. Check the relay's user name and password, then resume the campaign.`,
  PAUSED_SIGN_IN: (p: { relay: string; provider: string }) => `Relay "${p.relay}" needs you to sign in to ${p.provider} again. Once you sign in again, the campaign carries on.`,
  /** `why`: what the last relay tried said (the relay module's words). `delay`: as formatDuration writes it (5m30s). */
  WAITING_UNREACHABLE: (p: { relays: string; why: string; delay: string }) =>
    `No relay could be reached (${p.relays}): ${p.why}. Nothing was counted as an attempt; trying again in ${p.delay}.`,
  PAUSED_BOUNCE_RATE: (p: { percent: number; bounced: number; sent: number }) =>
    `${p.percent} % of addresses bounced (${p.bounced} of ${p.sent} sent): the list may be out of date; sending more risks your account. The bounced addresses are suppressed; check the list, then resume the campaign.`,
  // Postroom's notes on a recipient (outbox.last_response, outbox_attempts.response).
  NOT_SENT_SUPPRESSED: () => 'Not sent: the address is on the suppression list.',
  /** `why`: the reason stored with the suppression (a person's words, or the import's). */
  NOT_SENT_SUPPRESSED_WHY: (p: { why: string }) => `Not sent: the address is on the suppression list (${p.why}).`,
  INTERRUPTED: () => 'The sending process stopped while this message was with the relay; it may have been delivered. It will go again with the same Message-ID.',
  INTERRUPTED_UNANSWERED: () =>
    'The sending process stopped answering while this message was with the relay; it may have been delivered. It will go again with the same Message-ID.',
  /** `after`, `giveUp`: as formatDuration writes them (2d4h). `reply`: the relay's last words. */
  GAVE_UP: (p: { after: string; giveUp: string; reply: string }) => `Gave up after ${p.after} of retries (--give-up ${p.giveUp}); the relay last said: ${p.reply}`,
} satisfies Sentences;

export type OutboxSentence = keyof typeof OUTBOX_SENTENCES;

/** One of the outbox's sentences: its English and its note. */
export function outboxNote<C extends OutboxSentence>(code: C, ...params: Parameters<(typeof OUTBOX_SENTENCES)[C]>): Worded {
  return word(OUTBOX_SENTENCES, code, params[0]);
}
