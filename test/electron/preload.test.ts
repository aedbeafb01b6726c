import { beforeEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import { build } from 'esbuild';
import { channels, eventNames, methodName } from '../../shared/contract';
import { EVENT_CHANNEL } from '../../shared/api';

const exposed: Record<string, unknown> = {};
const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
const invoke = vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, fn: (...a: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(fn);
    },
    removeListener: (channel: string, fn: (...a: unknown[]) => void) => listeners.get(channel)?.delete(fn),
  },
}));

beforeEach(async () => {
  await import('../../electron/preload');
});

describe('the preload', () => {
  it('exposes exactly one function per contract request, plus on, and nothing else', () => {
    expect(Object.keys(exposed)).toEqual(['postroom']);
    const api = exposed.postroom as Record<string, unknown>;
    const expected = [...channels.map((c) => methodName(c)), 'on'].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const key of expected) expect(typeof api[key]).toBe('function');
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invokes the channel of the function called, with its input', async () => {
    const api = exposed.postroom as { appInfo(i: object): Promise<unknown> };
    await expect(api.appInfo({})).resolves.toEqual({ ok: true, value: { channel: 'app:info', input: {} } });
    expect(invoke).toHaveBeenCalledWith('app:info', {});
  });

  it('passes event payloads without the Electron event, and unsubscribes', () => {
    const api = exposed.postroom as { on(e: string, l: (p: unknown) => void): () => void };
    const seen: unknown[] = [];
    const off = api.on(eventNames[0]!, (p) => seen.push(p));
    const fire = (msg: unknown) => listeners.get(EVENT_CHANNEL)!.forEach((fn) => fn({ sender: 'secret' }, msg));
    fire({ event: eventNames[0], payload: { action: 'import' } });
    fire({ event: 'something:else', payload: 1 });
    expect(seen).toEqual([{ action: 'import' }]);
    off();
    fire({ event: eventNames[0], payload: { action: 'import' } });
    expect(seen).toHaveLength(1);
  });

  it('refuses to subscribe to an event that is not in the contract', () => {
    const api = exposed.postroom as { on(e: string, l: (p: unknown) => void): () => void };
    expect(() => api.on('ipc:anything', () => undefined)).toThrow(/Unknown event/);
  });

  it('is bundled as a few kilobytes of forwarding, without the contract schemas', async () => {
    // As scripts/build.mjs bundles it for a sandboxed window.
    const out = await build({ entryPoints: [path.resolve(__dirname, '../../electron/preload.ts')], bundle: true, write: false, external: ['electron'], platform: 'browser', format: 'cjs', logLevel: 'silent' });
    const code = out.outputFiles[0]!.text;
    expect(code.length).toBeLessThan(20_000);
    expect(code).not.toMatch(/zod/i);
    expect(code).toContain('campaigns:retryFailed');
  });
});
