import { afterEach, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../electron/core/service';
import { dispatch } from '../../shared/router';
import { tempDir } from '../helpers';

const open: Service[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function overview(s: Service) {
  const r = await dispatch(s.handlers, 'outbox:overview', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('background tasks', () => {
  it('registers the engine without starting it: the host decides, whichever host it is', async () => {
    for (const host of ['cli', 'browser', 'desktop', 'test'] as const) {
      const s = createService({ dataDir: tempDir(), host });
      open.push(s);
      expect(s.tasks.status()).toEqual([
        { name: 'engine', running: false },
        { name: 'mailboxes', running: false },
      ]);
      expect((await overview(s)).engines).toEqual([]);
    }
  });

  it('starts the engine when asked, once, and stops it when the service closes', async () => {
    const dir = tempDir();
    const s = createService({ dataDir: dir, host: 'test' });
    s.tasks.start();
    s.tasks.start(['engine']); // already running: left as it is
    expect(s.tasks.status()).toContainEqual({ name: 'engine', running: true });
    const engines = (await overview(s)).engines;
    expect(engines).toHaveLength(1);
    expect(engines[0]).toMatchObject({ pid: process.pid, alive: true });
    await s.close();
    expect(s.tasks.status().filter((t) => t.running)).toEqual([]);
    const after = createService({ dataDir: dir, host: 'test' });
    open.push(after);
    expect((await overview(after)).engines).toEqual([]); // it unregistered as it stopped
  });

  it('refuses a task name it does not know', () => {
    const s = createService({ dataDir: tempDir(), host: 'test' });
    open.push(s);
    expect(() => s.tasks.start(['mailbox-checker'])).toThrow(/no background task named "mailbox-checker"/);
  });
});
