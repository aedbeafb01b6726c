import { describe, expect, it } from 'vitest';
import { areaOf, loadAreaContract, type Area } from '../../shared/contract-areas';
import { contract, events } from '../../shared/contract';

const AREAS = Object.keys(loadAreaContract) as Area[];

describe('the contract by area (what the command line loads)', () => {
  it('finds every channel in the area that declares it, with the very schema the whole contract has', async () => {
    for (const channel of Object.keys(contract) as Array<keyof typeof contract>) {
      const area = areaOf(channel);
      expect(area, channel).toBeDefined();
      const part = await loadAreaContract[area!]();
      expect(part.channels[channel], channel).toBe(contract[channel]);
    }
  });

  it('has, across its areas, exactly the contract’s channels and events', async () => {
    const parts = await Promise.all(AREAS.map((a) => loadAreaContract[a]()));
    expect(parts.flatMap((p) => Object.keys(p.channels)).sort()).toEqual(Object.keys(contract).sort());
    expect(parts.flatMap((p) => Object.keys(p.events)).sort()).toEqual(Object.keys(events).sort());
    for (const p of parts) for (const [name, schema] of Object.entries(p.events)) expect(schema, name).toBe(events[name as keyof typeof events]);
  });

  it('names no area for what is not a channel', () => {
    for (const name of ['fs:readFile', 'toString', '__proto__:x', 'constructor:y', ':info', 'lists', '']) expect(areaOf(name), name).toBeUndefined();
  });
});
