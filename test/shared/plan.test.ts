import { describe, expect, it } from 'vitest';
import { describePlan, planSend, tightestRate } from '../../shared/plan';
import type { RelayLimits } from '../../shared/contract/relays';

const limits = (l: Partial<RelayLimits>): RelayLimits => ({ perSecond: null, perMinute: null, perHour: null, perDay: null, connections: 4, ...l });
const NOW = new Date('2026-03-02T10:00:00').getTime();
const DAY = 24 * 3600 * 1000;

describe('the send plan shown before sending', () => {
  it('takes the tightest of the per-second, per-minute and per-hour limits', () => {
    expect(tightestRate(limits({ perSecond: 5, perMinute: 60 }))).toBe(1);
    expect(tightestRate(limits({ perHour: 7200 }))).toBe(2);
    expect(tightestRate(limits({}))).toBeNull();
  });

  it('sends everyone today when the daily quota covers them, and says how long it takes', () => {
    const p = planSend(1248, limits({ perSecond: 10 }), { usedToday: 0, dailyLimit: 2000, nextFreeAt: null }, NOW);
    expect(p).toMatchObject({ today: 1248, later: 0, laterFrom: null, extraDays: 0 });
    expect(describePlan(p, NOW)).toBe('about 2 minutes at 10 a second.');
  });

  it('spills what the quota left today does not cover to a day after now', () => {
    const p = planSend(1248, limits({ perMinute: 60 }), { usedToday: 1500, dailyLimit: 2000, nextFreeAt: null }, NOW);
    expect(p).toMatchObject({ today: 500, later: 748, laterFrom: NOW + DAY, extraDays: 1 });
    expect(describePlan(p, NOW)).toMatch(/^500 go now, about 8 minutes at 1 a second\. 748 go tomorrow .+ onwards when the daily quota frees up\.$/);
  });

  it('starts from the first free slot when the quota is already used up, over several days for a large list', () => {
    const freeAt = NOW + 3 * 3600 * 1000;
    const p = planSend(2500, limits({}), { usedToday: 500, dailyLimit: 500, nextFreeAt: freeAt }, NOW);
    expect(p).toMatchObject({ today: 0, later: 2500, laterFrom: freeAt, extraDays: 5 });
    expect(describePlan(p, NOW)).toMatch(/^Today's quota is used up\. 2,500 go today .+ onwards when the daily quota frees up, over about 5 days\.$/);
  });
});
