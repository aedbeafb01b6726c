import { afterEach, describe, expect, it } from 'vitest';
import { createRelay, throttleController, type SmtpOutcome } from '../../../electron/core/relay';
import { makeContext, manualClock, type TestContext } from './helpers';

let ctx: TestContext;
afterEach(() => ctx.cleanup());

const throttled: SmtpOutcome = { kind: 'throttled', code: 421, enhanced: '4.7.0', response: '421 4.7.0 Try again later', attempted: true };
const sent: SmtpOutcome = { kind: 'sent', code: 250, response: '250 OK' };

function setup(connections = 8) {
  const clock = manualClock();
  ctx = makeContext({ clock });
  const profile = createRelay(ctx, { name: 'r', host: 'smtp.example.com', port: 587, limits: { connections } });
  return { clock, throttle: throttleController(profile, clock) };
}

describe('the throttle controller', () => {
  it('runs at the relay’s full connections with no gap until the relay complains', () => {
    const { throttle } = setup();
    expect(throttle.observe(sent)).toBe(false);
    expect(throttle.connections()).toBe(8);
    expect(throttle.gapMs()).toBe(0);
    expect(throttle.slowed).toBe(false);
  });

  it('halves the connections and opens a gap on a 421, and again on the next one', () => {
    const { clock, throttle } = setup();
    expect(throttle.observe(throttled)).toBe(true);
    expect([throttle.connections(), throttle.gapMs()]).toEqual([4, 1_000]);
    clock.advance(6_000);
    throttle.observe(throttled);
    expect([throttle.connections(), throttle.gapMs()]).toEqual([2, 2_000]);
  });

  it('counts replies from several connections to one burst as one signal', () => {
    const { clock, throttle } = setup();
    throttle.observe(throttled);
    clock.advance(200);
    expect(throttle.observe(throttled)).toBe(false);
    expect(throttle.connections()).toBe(4);
  });

  it('never goes below one connection and caps the gap at a minute', () => {
    const { clock, throttle } = setup(2);
    for (let i = 0; i < 20; i++) {
      throttle.observe(throttled);
      clock.advance(10_000);
    }
    expect(throttle.connections()).toBe(1);
    expect(throttle.gapMs()).toBe(60_000);
  });

  it('steps back up after a quiet spell of successful sends, to the full pace', () => {
    const { clock, throttle } = setup(4);
    throttle.observe(throttled);
    let steps = 0;
    for (let i = 0; i < 2_000 && throttle.slowed; i++) {
      clock.advance(1_000);
      if (throttle.observe(sent)) steps++;
    }
    expect(throttle.slowed).toBe(false);
    expect(throttle.connections()).toBe(4);
    expect(throttle.gapMs()).toBe(0);
    expect(steps).toBeGreaterThanOrEqual(2);
  });

  it('does not recover while the relay keeps complaining', () => {
    const { clock, throttle } = setup(4);
    for (let i = 0; i < 100; i++) {
      clock.advance(1_000);
      throttle.observe(i % 10 === 0 ? throttled : sent);
    }
    expect(throttle.slowed).toBe(true);
  });
});
