import { afterEach, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../../electron/core/service';
import { dispatch } from '../../../shared/router';
import type { Channel, Input, Output } from '../../../shared/contract';
import { buildReviewCases } from './review-cases';
import { localDate } from '../../../shared/plan';

const open: Service[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

function serviceOn(dir: string) {
  const service = createService({ dataDir: dir, host: 'test' });
  open.push(service);
  return async <C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> => {
    const r = await dispatch(service.handlers, channel, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code, params: r.error.params });
    return r.value;
  };
}

describe('the review before sending (campaigns:review)', () => {
  it('finds, for each campaign built to show one blocker or warning, that item with a sentence and its parameters', async () => {
    const { dir, cases } = await buildReviewCases();
    const call = serviceOn(dir);
    for (const c of cases) {
      const r = await call('campaigns:review', { campaign: c.campaign });
      const items = c.blocker ? r.blockers : r.warnings;
      expect(items.map((i) => i.code), c.campaign).toContain(c.code);
      for (const i of [...r.blockers, ...r.warnings]) expect(i.message.length).toBeGreaterThan(10);
      // A review never tells anyone to run a command: each door adds its own action.
      for (const i of [...r.blockers, ...r.warnings]) expect(i.message).not.toMatch(/postroom |--\w/);
      if (!c.blocker) expect(r.blockers, c.campaign).toEqual([]);
    }
  });

  it('counts who receives it, names what it sends, and plans the days at the relay limits', async () => {
    const { dir } = await buildReviewCases();
    const call = serviceOn(dir);
    const ready = await call('campaigns:review', { campaign: 'ready' });
    expect(ready).toMatchObject({ campaign: 'ready', recipients: 6, skipped: { suppressed: 0, invalid: 0, duplicates: 0 }, list: 'customers', template: 'fine', relay: 'local', from: 'shop@example.com' });
    expect(ready.plan!.perDay).toEqual([{ date: localDate(Date.now()), messages: 6 }]);
    expect(ready.plan!.finishesAt).toBeNull(); // the relay sets no rate: it goes as fast as the relay takes it

    const quota = await call('campaigns:review', { campaign: 'over quota' });
    expect(quota.plan!.perDay.map((d) => d.messages)).toEqual([3, 3]);
    expect(quota.plan!.perDay[1]!.date > quota.plan!.perDay[0]!.date).toBe(true);
    expect(quota.warnings.find((w) => w.code === 'QUOTA_SPILLS')).toMatchObject({ params: { relay: 'small', today: 3, later: 3 } });

    const gone = await call('campaigns:review', { campaign: 'all suppressed' });
    expect(gone).toMatchObject({ recipients: 0, skipped: { suppressed: 1 } });
  });

  it('blocks a field used without a fallback that the list lacks, and only warns when it has one', async () => {
    const { dir } = await buildReviewCases();
    const call = serviceOn(dir);
    const missing = await call('campaigns:review', { campaign: 'unknown field' });
    expect(missing.blockers).toEqual([expect.objectContaining({ code: 'FIELD_MISSING', params: expect.objectContaining({ field: 'vip_code', list: 'customers', part: 'body' }) })]);
    const fallback = await call('campaigns:review', { campaign: 'fallback only' });
    expect(fallback.warnings.map((w) => w.code)).toContain('FIELD_NOT_ON_LIST');
    const gap = await call('campaigns:review', { campaign: 'empty company' });
    expect(gap.warnings.find((w) => w.code === 'FIELD_EMPTY')).toMatchObject({ params: { field: 'company', count: 3 } });
  });

  it("reviews the window's unsaved draft, naming what is not chosen yet", async () => {
    const { dir } = await buildReviewCases();
    const call = serviceOn(dir);
    const r = await call('campaigns:review', { draft: {} });
    expect(r.blockers.map((b) => b.code)).toEqual(['NO_NAME', 'NO_LIST', 'NO_TEMPLATE', 'NO_RELAY']);
    expect(r.plan).toBeNull();
  });

  it('refuses to send a campaign the review blocks, and sends one it only warns about', async () => {
    const { dir, cases } = await buildReviewCases();
    const call = serviceOn(dir);
    for (const c of cases.filter((x) => x.blocker)) {
      const err = await call('campaigns:send', { campaign: c.campaign }).catch((e: { code: string; params: Record<string, string> }) => e);
      expect(err, c.campaign).toMatchObject({ code: 'REVIEW_BLOCKED', params: { campaign: c.campaign } });
      expect((err as { params: Record<string, string> }).params.blockers.split(',')).toContain(c.code);
      expect((await call('campaigns:status', { campaign: c.campaign })).state).toBe('draft');
    }
    const sent = await call('campaigns:send', { campaign: 'no unsubscribe' });
    expect(sent.state).toBe('sending');
  });
});
