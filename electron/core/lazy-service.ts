/**
 * The command line's service: the same core and areas as createService (service.ts), but an area's module and its
 * part of the contract are loaded when a request first names it. One `postroom` command calls one or two areas;
 * loading all seven, with every schema, took 20-27 ms of each command's start (`lists`, `relay list`, `campaign list`,
 * `template list`: 15 alternating runs each).
 */
import type { Channel, Handlers, Output } from '../../shared/contract';
import { areaOf, loadAreaContract, type Area, type AreaContract } from '../../shared/contract-areas';
import { answer, unknownChannel } from '../../shared/dispatch';
import { toAppError, type Result } from '../../shared/result';
import { buildArea, LISTENING_AREAS, loadAreaModule, type AreaModules } from './areas';
import { openServiceCore, type ServiceCore, type ServiceOptions } from './service-core';

export interface LazyService extends ServiceCore {
  /** Answers a request as shared/router.ts's dispatch does, loading its area first. Never throws. */
  dispatch<C extends Channel>(channel: C, input: unknown): Promise<Result<Output<C>>>;
}

export function openLazyService(options: ServiceOptions): LazyService {
  // Events are checked against the parts of the contract loaded so far (in development and tests, as the window's
  // are): those of the areas this command called, which are the ones that emit during it.
  const eventSchemas = new Map<string, { parse(v: unknown): unknown }>();
  const core = openServiceCore(options, (event, payload) => eventSchemas.get(event)?.parse(payload));
  // Each area once: its part of the contract and its handlers, with the areas that listen to its events made
  // before its first request runs.
  const loaded = new Map<Area, Promise<{ part: AreaContract; handlers: Partial<Handlers> }>>();
  const load = <A extends Area>(area: A): Promise<{ part: AreaContract; handlers: Partial<Handlers> }> => {
    let l = loaded.get(area);
    if (!l) {
      const build = buildArea[area] as (m: AreaModules[A], core: ServiceCore, options: ServiceOptions) => Partial<Handlers>;
      l = Promise.all([loadAreaContract[area](), loadAreaModule[area](), ...(LISTENING_AREAS[area] ?? []).map((a) => load(a))]).then(([part, m]) => {
        for (const [event, schema] of Object.entries(part.events)) eventSchemas.set(event, schema);
        return { part, handlers: build(m, core, options) };
      });
      loaded.set(area, l);
    }
    return l;
  };

  return {
    ...core,
    async dispatch<C extends Channel>(channel: C, input: unknown): Promise<Result<Output<C>>> {
      const area = typeof channel === 'string' ? areaOf(channel) : undefined;
      if (!area) return unknownChannel(channel);
      let part: AreaContract;
      let handlers: Partial<Handlers>;
      try {
        ({ part, handlers } = await load(area));
      } catch (err) {
        // An area that can't be loaded or made: answered like a handler that failed inside (the router's INTERNAL).
        console.error(`[postroom] ${channel} failed:`, err);
        return { ok: false, error: toAppError(err) };
      }
      // Own keys only: `__proto__` or `toString` would otherwise find Object.prototype's.
      const spec = Object.prototype.hasOwnProperty.call(part.channels, channel) ? part.channels[channel] : undefined;
      if (!spec) return unknownChannel(channel);
      return answer(channel, spec, handlers[channel] as (i: unknown) => unknown, input) as Promise<Result<Output<C>>>;
    },
  };
}
