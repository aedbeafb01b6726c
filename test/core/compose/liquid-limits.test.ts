/**
 * Templates can't hang the app: liquidjs's parse, render and memory limits (compose/liquid.ts) turn a template
 * that would run for minutes and eat gigabytes into a template error within seconds, in preview and in sending.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../electron/core/service';
import { prepareComposer } from '../../../electron/core/compose';
import { Engine } from '../../../electron/core/outbox/engine';
import { campaignState, recipients, rowsOf, setup, startSmtp, until } from '../outbox/harness';
import { call, createTemplate, draft, openService } from './helpers';

let service: Service;
afterEach(async () => service?.close());

const HUGE_RANGE = '<p>{% for i in (1..100000000) %}x{% endfor %}</p>';
// Nine million small iterations: no big range, no big string, only time.
const LONG_LOOP = '<p>{% for i in (1..3000) %}{% for j in (1..3000) %}{{ j }}{% endfor %}{% endfor %}</p>';
// A string that doubles forty times (a terabyte) from a few characters.
const DOUBLING = '{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}';
const bob = { email: 'bob@example.net', name: 'Bob', fields: {} };

describe('Liquid limits', () => {
  for (const [what, body] of [['a hundred-million range', HUGE_RANGE], ['nine million iterations', LONG_LOOP], ['a string doubled forty times', DOUBLING]] as const) {
    it(`stops ${what} with a template error within seconds, in preview`, async () => {
      service = openService();
      // Without the limits this runs for minutes (past the test's timeout) or exhausts the heap.
      await expect(call(service, 'templates:preview', { draft: draft({ body }) })).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', message: expect.stringMatching(/runs too long or builds too much text \(.*(render|memory alloc) limit exceeded\)/) });
    }, 20_000);

    it(`stops ${what} with a template error within seconds, when sending`, async () => {
      service = openService();
      const templateId = await createTemplate(service, { body });
      const composer = prepareComposer(service.ctx, { templateId, campaignName: 'c', listName: 'l', unsubscribe: null });
      await expect(composer.compose(bob, '<a@example.com>')).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', message: expect.stringMatching(/limit exceeded/) });
    }, 20_000);
  }

  it('still merges a long but real newsletter: a loop over a few thousand items', async () => {
    service = openService();
    const p = await call(service, 'templates:preview', { draft: draft({ body: '<ul>{% for i in (1..5000) %}<li>{{ i }}</li>{% endfor %}</ul>' }) });
    expect(p.html).toContain('<li>5000</li>');
  });

  it('pauses a campaign whose template runs away, after the first message, failing nobody', async () => {
    const s = setup({ emails: recipients(20) });
    const smtp = await startSmtp();
    s.addRelay('local', smtp.port);
    s.db.prepare(`UPDATE templates SET body = ? WHERE name = 'news'`).run(LONG_LOOP);
    await s.call('campaigns:create', { name: 'spring', list: 'customers', template: 'news', relays: ['local'] });
    await s.call('campaigns:send', { campaign: 'spring' });
    const engine = new Engine(s.service.ctx, { composeWorker: null });
    engine.start();
    try {
      await until(() => campaignState(s.db, 'spring') === 'paused', 15_000, 'the campaign to pause');
      const status = await s.call('campaigns:status', { campaign: 'spring' });
      expect(status).toMatchObject({ pauseCode: 'TEMPLATE_INVALID', failed: 0, sent: 0, queued: 20 });
      expect(status.pauseReason).toMatch(/runs too long or builds too much text.*Then resume the campaign/);
      expect(rowsOf(s.db, 'spring').every((r) => r.state === 'queued' && r.attempts === 0)).toBe(true);
      expect(smtp.deliveries).toEqual([]);
    } finally {
      await engine.stop();
      await smtp.close();
      await s.close();
    }
  }, 30_000);
});
