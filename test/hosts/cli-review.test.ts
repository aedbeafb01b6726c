import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/hosts/cli';
import { captureIo } from '../helpers';
import { buildReviewCases } from '../core/outbox/review-cases';

async function cli(args: string[]) {
  const c = captureIo();
  const code = await runCli(args, c.io);
  return { code, out: c.out.join('\n'), err: c.err };
}

describe('postroom review and send (shared/spec/cli.md, "Review before sending")', () => {
  it('prints the review in the spec shape and exits 1 exactly when something blocks the campaign', async () => {
    const { dir, cases } = await buildReviewCases();
    for (const c of cases) {
      const r = await cli(['review', c.campaign, '--json', '--data', dir]);
      const review = JSON.parse(r.out);
      expect(Object.keys(review)).toEqual(['campaign', 'recipients', 'skipped', 'blockers', 'warnings', 'plan']);
      expect(Object.keys(review.skipped)).toEqual(['suppressed', 'invalid', 'duplicates']);
      expect(review.plan).toEqual(expect.objectContaining({ perDay: expect.any(Array), finishesAt: null }));
      expect((c.blocker ? review.blockers : review.warnings).map((i: { code: string }) => i.code), c.campaign).toContain(c.code);
      expect(r.code, c.campaign).toBe(review.blockers.length ? 1 : 0);
    }
  });

  it('words the action as a command, where the window would show a button', async () => {
    const { dir } = await buildReviewCases();
    const r = await cli(['review', 'ready', '--data', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Messages from example\.com won't be DKIM-signed.* Add a key with 'postroom dkim add example\.com --selector NAME'/);
    const json = JSON.parse((await cli(['review', 'no password', '--json', '--data', dir])).out);
    expect(json.blockers[0]).toMatchObject({ code: 'RELAY_NEEDS_PASSWORD', params: { relay: 'nopass' }, action: expect.stringContaining('postroom relay') });
  });

  it('send refuses a campaign with blockers (exit 1, each blocker on stderr) and prints warnings without stopping', async () => {
    const { dir } = await buildReviewCases();
    const refused = await cli(['send', 'no password', '--data', dir]);
    expect(refused.code).toBe(1);
    expect(refused.err.some((l) => l.includes('The relay "nopass" has no password yet'))).toBe(true);
    const status = JSON.parse((await cli(['status', 'no password', '--json', '--data', dir])).out);
    expect(status.state).toBe('draft');

    const warned = await cli(['send', 'no unsubscribe', '--data', dir]);
    expect(warned.code).toBe(0);
    expect(warned.err.some((l) => /warning: This campaign has no unsubscribe method/.test(l))).toBe(true);
    expect(warned.out).toMatch(/is sending/);
  });
});
