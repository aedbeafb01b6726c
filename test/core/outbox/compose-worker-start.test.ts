import { describe, expect, it } from 'vitest';
import { reachedAtStart } from '../../helpers';

describe('the compose worker', () => {
  // A send's first message waits for it to be up: zod and the contract's schemas took ~0.1 s of its start.
  it('starts without a schema library or the contract', async () => {
    const reached = await reachedAtStart('electron/core/outbox/compose-worker.ts');
    expect(reached).toContain('electron/core/compose/composer.ts');
    expect(reached.filter((f) => /^zod(\/|$)|shared\/contract|shared\/result/.test(f))).toEqual([]);
  });
});
