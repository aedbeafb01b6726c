import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import WebSocket from 'ws';
import { createService, type Service } from '../../electron/core/service';
import { startWebHost, type WebHost } from '../../electron/hosts/web';
import { channels } from '../../shared/contract';
import { inputFor, isResult, withinMs } from './requests';
import { tempDir } from '../helpers';

// Random and malformed frames through the browser host's WebSocket, as any page on this machine that learnt the
// token could send: requests for every channel with random input get a Result (an error with a known code);
// frames that aren't requests get no answer; the server stays up and answers the next request.
let service: Service;
let host: WebHost;
let ws: WebSocket;
let nextId = 1;
const waiting = new Map<unknown, (reply: unknown) => void>();

beforeAll(async () => {
  const staticDir = tempDir('postroom-fuzz-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Postroom</title>');
  service = createService({ dataDir: tempDir('postroom-fuzz-'), host: 'browser' });
  host = await startWebHost({ service, staticDir });
  ws = await new Promise<WebSocket>((resolve, reject) => {
    const s = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers: { cookie: `postroom_token_${host.port}=${host.token}`, origin: `http://127.0.0.1:${host.port}` } });
    s.once('open', () => resolve(s));
    s.once('error', reject);
  });
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: unknown; event?: string };
    if (msg.event) return;
    const w = waiting.get(msg.id);
    if (!w) throw new Error(`an answer nobody asked for: ${String(data).slice(0, 200)}`);
    waiting.delete(msg.id);
    w(msg);
  });
});
afterAll(async () => {
  ws?.close();
  await host?.close();
  await service?.close();
});

function ask(frame: (id: number) => string): Promise<{ id: unknown; result: unknown }> {
  const id = nextId++;
  const answer = new Promise<{ id: unknown; result: unknown }>((resolve) => waiting.set(id, resolve as (r: unknown) => void));
  ws.send(frame(id));
  return withinMs(answer, 10_000, `request ${id}`);
}

const alive = async () => expect((await ask((id) => JSON.stringify({ id, channel: 'app:info', input: {} }))).result).toMatchObject({ ok: true });

describe('the WebSocket, fuzzed', () => {
  it('answers a request for any channel with any input with a Result', async () => {
    for (const channel of channels) {
      await fc.assert(
        fc.asyncProperty(inputFor(channel), async (input) => {
          const reply = await ask((id) => JSON.stringify({ id, channel, input }));
          expect(isResult(reply.result), `${channel}: ${JSON.stringify(reply.result)}`).toBe(true);
          const r = reply.result as { ok: boolean; error?: { code: string } };
          if (!r.ok) expect(r.error!.code, channel).not.toBe('INTERNAL');
        }),
        { numRuns: 25 },
      );
    }
    await alive();
  }, 120_000);

  it('answers requests with an unknown or missing channel with INVALID_INPUT, whatever else they hold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(fc.anything({ maxDepth: 2 }), { nil: undefined }), fc.anything({ maxDepth: 2 }), async (channel, input) => {
        fc.pre(!(channels as unknown[]).includes(channel));
        const reply = await ask((id) => JSON.stringify({ id, channel, input }));
        expect(reply.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }),
      { numRuns: 300 },
    );
  });

  it('drops frames that are not requests, and stays up', async () => {
    const garbage = fc.oneof(
      fc.string(),
      fc.anything({ maxDepth: 3 }).map((x) => JSON.stringify(x) ?? 'undefined'),
      fc.record({ channel: fc.constantFrom(...channels), input: fc.anything({ maxDepth: 2 }) }).map((x) => JSON.stringify(x)),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(garbage, { minLength: 1, maxLength: 20 }), async (frames) => {
        for (const f of frames) {
          // A JSON object with a usable id is a request: those are answered (and checked) above.
          if (typeof f === 'string') {
            let parsed: unknown;
            try {
              parsed = JSON.parse(f);
            } catch {
              parsed = undefined;
            }
            const id = (parsed as { id?: unknown } | null)?.id;
            fc.pre(!(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && (typeof id === 'number' || typeof id === 'string')));
          }
          ws.send(f);
        }
        await alive();
      }),
      { numRuns: 100 },
    );
  });
});
