import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createService, type Service } from '../../electron/core/service';
import { dispatch } from '../../shared/router';
import { channels } from '../../shared/contract';
import { anyRequest, inputFor, isResult, withinMs } from './requests';
import { tempDir } from '../helpers';

// Random and malformed input to every channel through the router, on a real service (empty data folder):
// every answer is a Result (an error carries a known code), nothing throws, nothing hangs, and no handler
// fails inside (INTERNAL: an error Postroom didn't expect, logged with its stack).
let service: Service;
beforeAll(async () => {
  service = createService({ dataDir: tempDir('postroom-fuzz-'), host: 'test' });
  // Something for ids to find (1 is among the values tried).
  await dispatch(service.handlers, 'lists:create', { name: 'Seed' });
  await dispatch(service.handlers, 'suppressions:add', { emails: ['seed@example.com'] });
});
afterAll(async () => {
  await service.close();
});

describe('the router, fuzzed', () => {
  it('answers every channel with a Result for anything it is sent', async () => {
    const logged = vi.spyOn(console, 'error');
    const reached: Record<string, number> = {};
    for (const channel of channels) {
      await fc.assert(
        fc.asyncProperty(inputFor(channel), async (input) => {
          const r = await withinMs(dispatch(service.handlers, channel, input), 10_000, channel);
          expect(isResult(r), `${channel}: ${JSON.stringify(r)}`).toBe(true);
          if (r.ok || r.error.code !== 'INVALID_INPUT') reached[channel] = (reached[channel] ?? 0) + 1;
          if (!r.ok) expect(r.error.code, `${channel} ${JSON.stringify(input)?.slice(0, 200)}: ${r.error.message}`).not.toBe('INTERNAL');
        }),
        { numRuns: 100 },
      );
    }
    expect(logged).not.toHaveBeenCalled();
    // The near misses get past validation into the handlers of most channels (not only "invalid input").
    expect(Object.keys(reached).length).toBeGreaterThan(channels.length / 3);
    logged.mockRestore();
  }, 120_000);

  it('answers channel names that are not in the contract with INVALID_INPUT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty')), anyRequest, async (name, { input }) => {
        fc.pre(!(channels as string[]).includes(name));
        const r = await dispatch(service.handlers, name as never, input);
        expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }),
      { numRuns: 200 },
    );
  });
});
