import { describe, expect, it } from 'vitest';
import { dispatch, isChannel, registerContract, type HandlerHost } from '../../shared/router';
import { channels, type Handlers } from '../../shared/contract';
import { PostroomError } from '../../shared/result';
import { createService } from '../../electron/core/service';
import { tempDir } from '../helpers';

function serviceHandlers(): Handlers {
  return createService({ dataDir: tempDir(), host: 'test' }).handlers;
}

describe('the router', () => {
  it('answers a valid request with ok and the value', async () => {
    const result = await dispatch(serviceHandlers(), 'app:info', {});
    expect(result).toMatchObject({ ok: true, value: { name: 'Postroom', host: 'test' } });
  });

  it('refuses input that does not match the schema, with INVALID_INPUT and where it went wrong', async () => {
    const result = await dispatch(serviceHandlers(), 'app:info', { unexpected: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toContain('app:info');
    }
  });

  it('refuses a channel that is not in the contract', async () => {
    const result = await dispatch(serviceHandlers(), 'fs:readFile' as never, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(isChannel('fs:readFile')).toBe(false);
    expect(isChannel('app:info')).toBe(true);
    expect(isChannel('toString')).toBe(false);
  });

  it('turns a thrown PostroomError into an error value that keeps its code', async () => {
    const handlers = { ...serviceHandlers(), 'app:info': () => { throw new PostroomError('NOT_FOUND', 'No such thing.'); } } as Handlers;
    expect(await dispatch(handlers, 'app:info', {})).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No such thing.' } });
  });

  it('turns any other thrown error into INTERNAL without throwing', async () => {
    const handlers = { ...serviceHandlers(), 'app:info': () => { throw new TypeError('boom'); } } as Handlers;
    const result = await dispatch(handlers, 'app:info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('registers every channel of the contract on a host, which then serves them in-process', async () => {
    const registered = new Map<string, (input: unknown) => Promise<unknown>>();
    const host: HandlerHost = { handle: (channel, fn) => void registered.set(channel, fn) };
    registerContract(host, serviceHandlers());
    expect([...registered.keys()].sort()).toEqual([...channels].sort());
    await expect(registered.get('app:overview')!({})).resolves.toMatchObject({ ok: true, value: { relays: 0, lists: 0 } });
  });
});
