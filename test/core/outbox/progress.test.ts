import { describe, expect, it } from 'vitest';
import { etaOf } from '../../../electron/core/outbox/progress';

const counts = (queued: number, sent: number) => ({ total: queued + sent, queued, sending: 0, sent, deferred: 0, failed: 0, skipped: 0, cancelled: 0, possibleDuplicates: 0 });

describe('the ETA', () => {
  it('says how much goes today and when the rest goes when the daily quota is smaller than what is left', () => {
    const now = new Date(2026, 2, 2, 9, 14).getTime();
    const eta = etaOf('sending', counts(5000, 0), 10, now, { dailyLimit: 2000, leftToday: 1200, resetsAt: now + 86_400_000 });
    expect(eta.message).toBe('1,200 of 5,000 today; the rest from tomorrow 09:14 (over 2 days: the relay allows 2,000 a day).');
    expect(eta.resumesAt).toBe(now + 86_400_000);
    expect(eta.finishAt).toBe(now + 2 * 86_400_000);
  });

  it('uses the current rate when the quota is no obstacle', () => {
    const now = Date.now();
    const eta = etaOf('sending', counts(600, 400), 10, now, null);
    expect(eta.finishAt).toBe(now + 60_000);
    expect(eta.message).toBe('600 left; done in about 1 minute.');
  });

  it('promises nothing while paused', () => {
    expect(etaOf('paused', counts(10, 0), 5, Date.now(), null)).toMatchObject({ finishAt: null, message: '10 left to send.' });
  });
});
