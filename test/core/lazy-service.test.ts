import { afterEach, describe, expect, it, vi } from 'vitest';
import { openLazyService, type LazyService } from '../../electron/core/lazy-service';
import { createService } from '../../electron/core/service';
import { openServiceCore } from '../../electron/core/service-core';
import { buildArea, loadAreaModule } from '../../electron/core/areas';
import { dispatch } from '../../shared/router';
import { areaOf, loadAreaContract, type Area } from '../../shared/contract-areas';
import type { Channel } from '../../shared/contract';
import { reachedAtStart, tempDir } from '../helpers';

let open: Array<{ close(): Promise<void> }> = [];
const clock = { now: () => 1_765_000_000_000 };
function lazy(): LazyService {
  const s = openLazyService({ dataDir: tempDir(), host: 'test', clock });
  open.push(s);
  return s;
}
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
});

describe('the command line’s service, which loads an area when a request first names it', () => {
  it('answers as the whole service does: a value, a refused input, an unknown request', async () => {
    const whole = createService({ dataDir: tempDir(), host: 'test', clock });
    open.push(whole);
    const s = lazy();
    const asked: Array<[Channel, unknown]> = [
      ['app:info', {}],
      ['lists:list', {}],
      ['lists:create', { name: 'Club' }],
      ['lists:create', { name: 7 }],
      ['app:info', { unexpected: 1 }],
      ['campaigns:list', {}],
      ['templates:get', { id: 999 }],
    ];
    for (const [channel, input] of asked) {
      const a = await s.dispatch(channel, input);
      const b = await dispatch(whole.handlers, channel, input);
      // (The data folders differ; app:info says which.)
      if (channel === 'app:info' && a.ok && b.ok) expect({ ...a.value, dataDir: '' }).toEqual({ ...b.value, dataDir: '' });
      else expect(a, channel).toEqual(b);
    }
    for (const name of ['fs:readFile', 'lists:nope', 'lists:__proto__', '__proto__', 'toString']) {
      expect(await s.dispatch(name as Channel, {}), name).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: `Unknown request "${name}".` } });
    }
  });

  it('makes, for each area, the handlers of exactly the channels its part of the contract declares, once', async () => {
    const options = { dataDir: tempDir(), host: 'test' as const, clock };
    const core = openServiceCore(options);
    open.push(core);
    for (const area of Object.keys(loadAreaContract) as Area[]) {
      const declared = Object.keys((await loadAreaContract[area]()).channels);
      const build = buildArea[area] as (m: unknown, c: typeof core, o: typeof options) => object;
      expect(Object.keys(build(await loadAreaModule[area](), core, options)).sort(), area).toEqual(declared.sort());
      expect(declared.every((c) => areaOf(c) === area), area).toBe(true);
    }
    // Two requests to the area that registers the engine: made once (a second registration would throw).
    const s = lazy();
    expect((await s.dispatch('campaigns:list', {})).ok).toBe(true);
    expect((await s.dispatch('outbox:overview', {})).ok).toBe(true);
    expect(s.tasks.status().map((t) => t.name)).toEqual(['engine']);
  });

  it('makes the areas that listen to an area’s events with it', async () => {
    const s = lazy();
    expect((await s.dispatch('relays:list', {})).ok).toBe(true);
    // The sending area, which listens for relays:signInDone, was made too (it is the one that registers the engine).
    expect(s.tasks.status().map((t) => t.name)).toEqual(['engine']);
  });

  it('answers, not throws, when an area can’t be made', async () => {
    const s = lazy();
    // A task by the name the sending area registers: making that area fails.
    s.tasks.register({ name: 'engine', start: () => {}, stop: () => {} });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await s.dispatch('campaigns:list', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it('checks events against the parts of the contract it has loaded', async () => {
    const s = lazy();
    // Before any request of its area, nothing to check with.
    expect(() => s.events.emit('campaign:progress', { bad: true } as never)).not.toThrow();
    await s.dispatch('campaigns:list', {});
    expect(() => s.events.emit('campaign:progress', { bad: true } as never)).toThrow();
  });

  it('loads no area and no schema of the contract before a request names one', async () => {
    const reached = await reachedAtStart('electron/core/lazy-service.ts');
    expect(reached).toContain('electron/core/service-core.ts');
    expect(reached.filter((f) => /shared\/contract\/|shared\/contract\.ts|(handlers|domains)\.ts$|outbox\/|relay\/|mailbox\/|import\//.test(f))).toEqual([]);
  });
});
