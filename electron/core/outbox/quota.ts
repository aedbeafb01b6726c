/** The daily quota of a campaign's relay, as the ETA needs it (from the relay's shared, durable ledger). */
import type { CoreContext } from '../context';
import { relayQuota, type RelayProfile } from '../relay';
import type { DailyQuota } from './progress';

const DAY = 86_400_000;

/** null when the relay has no daily limit. */
export function quotaOf(ctx: CoreContext, relay: Pick<RelayProfile, 'id'>): DailyQuota | null {
  const q = relayQuota(ctx, relay.id);
  if (q.dailyLimit === null) return null;
  const leftToday = Math.max(0, q.dailyLimit - q.usedToday);
  // The limit is a rolling 24 hours: what is sent now frees again 24 hours from now.
  return { dailyLimit: q.dailyLimit, leftToday, resetsAt: q.nextFreeAt ?? ctx.clock.now() + DAY };
}
