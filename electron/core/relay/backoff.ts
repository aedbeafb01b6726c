/** When to try again: exponential backoff with jitter for deferred messages, and for probing a relay that can't be reached. */
import type { RetryPolicy } from './profiles';

/**
 * How long to wait before the next attempt of a deferred message, after `attempts` attempts so far (≥ 1).
 * Doubles from `policy.minMs`, capped at `policy.maxMs`, with "equal jitter" (half fixed, half random) so that
 * retries of a whole batch deferred at once spread out instead of coming back together
 * (RFC 5321 §4.5.4.1 asks for at least 30 minutes between retries to a destination; a relay that answered
 * 4xx to us is a submission server, where the user's --retry-min is the better judge).
 */
export function nextRetryDelayMs(policy: RetryPolicy, attempts: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.minMs * 2 ** Math.max(0, Math.min(attempts - 1, 40)));
  const half = exp / 2;
  return Math.max(policy.minMs, Math.round(half + random() * half));
}

/** Has a message deferred since `firstAttemptAt` run out of time (`--give-up`), so it fails now? */
export function hasGivenUp(policy: RetryPolicy, firstAttemptAt: number, now: number): boolean {
  return now - firstAttemptAt >= policy.giveUpMs;
}

/**
 * How long to wait before probing an unreachable relay again, after `failures` failed probes (≥ 1):
 * 2s, 4s, 8s … up to 5 minutes, with jitter. Probes are not attempts: nothing is counted against a message.
 */
export function probeDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(300_000, 2_000 * 2 ** Math.max(0, Math.min(failures - 1, 20)));
  return Math.round(base * (0.75 + random() * 0.5));
}
