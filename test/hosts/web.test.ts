import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createService, type Service } from '../../electron/core/service';
import { startWebHost, type WebHost } from '../../electron/hosts/web';
import { tempDir } from '../helpers';
import { dispatch } from '../../shared/router';

let service: Service;
let host: WebHost;
let staticDir: string;

beforeEach(async () => {
  staticDir = tempDir('postroom-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Postroom</title>');
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  service = createService({ dataDir: tempDir(), host: 'browser' });
  host = await startWebHost({ service, staticDir });
});

afterEach(async () => {
  await host.close();
  await service.close();
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(pathname: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, method, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let data = '';
      res.on('data', (d: Buffer) => (data += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function cookieOf(reply: Reply): string {
  const set = reply.headers['set-cookie']?.[0] ?? '';
  return set.split(';')[0]!;
}

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('the browser host', () => {
  it('listens on 127.0.0.1 only and prints an address with a token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{20,}$`));
  });

  it('serves the window to a request with the token, and gives it a strict cookie and CSP', async () => {
    const reply = await request(`/?token=${host.token}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<title>Postroom</title>');
    expect(reply.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(reply.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cross-origin-opener-policy': 'same-origin', 'cache-control': 'no-store' });
  });

  it('refuses a request without the token', async () => {
    expect((await request('/')).status).toBe(403);
    expect((await request('/assets/app.js')).status).toBe(403);
  });

  it('refuses a request with a wrong token', async () => {
    expect((await request('/?token=wrong')).status).toBe(403);
    expect((await request('/', { cookie: `postroom_token_${host.port}=wrong` })).status).toBe(403);
  });

  it('serves assets to the page that carries the cookie', async () => {
    const first = await request(`/?token=${host.token}`);
    const asset = await request('/assets/app.js', { cookie: cookieOf(first) });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
  });

  it('refuses a request from a foreign Origin even with the token', async () => {
    const reply = await request(`/?token=${host.token}`, { origin: 'https://evil.example' });
    expect(reply.status).toBe(403);
  });

  it('refuses a request whose Host header is not ours (DNS rebinding)', async () => {
    const reply = await request(`/?token=${host.token}`, { host: `evil.example:${host.port}` });
    expect(reply.status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const reply = await request(`/..%2f..%2fetc%2fpasswd?token=${host.token}`);
    expect(reply.body).not.toContain('root:');
  });

  it('carries the contract over a WebSocket opened with the cookie from our own origin', async () => {
    const ws = await openSocket({ cookie: `postroom_token_${host.port}=${host.token}`, origin: `http://127.0.0.1:${host.port}` });
    const reply = await new Promise<unknown>((resolve) => {
      ws.once('message', (data) => resolve(JSON.parse(String(data))));
      ws.send(JSON.stringify({ id: 7, channel: 'app:info', input: {} }));
    });
    expect(reply).toMatchObject({ id: 7, result: { ok: true, value: { name: 'Postroom', host: 'browser' } } });
    ws.close();
  });

  it('answers a request that breaks the contract with an error value, not a crash', async () => {
    const ws = await openSocket({ cookie: `postroom_token_${host.port}=${host.token}`, origin: `http://127.0.0.1:${host.port}` });
    const replies: unknown[] = [];
    await new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        replies.push(JSON.parse(String(data)));
        if (replies.length === 2) resolve();
      });
      ws.send(JSON.stringify({ id: 1, channel: 'shell:exec', input: {} }));
      ws.send(JSON.stringify({ id: 2, channel: 'app:info', input: { extra: true } }));
    });
    expect(replies).toEqual([
      expect.objectContaining({ id: 1, result: expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'INVALID_INPUT' }) }) }),
      expect.objectContaining({ id: 2, result: expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'INVALID_INPUT' }) }) }),
    ]);
    ws.close();
  });

  it('pushes the core events to the open WebSockets', async () => {
    const ws = await openSocket({ cookie: `postroom_token_${host.port}=${host.token}`, origin: `http://127.0.0.1:${host.port}` });
    const got = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    service.events.emit('app:menu', { action: 'navigate', to: 'recipients' });
    expect(await got).toEqual({ event: 'app:menu', payload: { action: 'navigate', to: 'recipients' } });
    ws.close();
  });

  it('refuses a WebSocket upgrade without the token', async () => {
    await expect(openSocket({ origin: `http://127.0.0.1:${host.port}` })).rejects.toThrow(/403/);
  });

  it('refuses a WebSocket upgrade from a foreign Origin even with the token', async () => {
    await expect(openSocket({ cookie: `postroom_token_${host.port}=${host.token}`, origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('stores an upload in the data folder and answers with its path', async () => {
    const reply = await request(`/upload?name=${encodeURIComponent('../../Kunden Liste.csv')}`, { cookie: `postroom_token_${host.port}=${host.token}`, 'content-type': 'application/octet-stream' }, 'POST', 'email\nanna@example.com\n');
    expect(reply.status).toBe(200);
    const saved = JSON.parse(reply.body) as { path: string; bytes: number };
    expect(saved.bytes).toBe(Buffer.byteLength('email\nanna@example.com\n'));
    expect(path.dirname(path.dirname(saved.path))).toBe(path.join(service.ctx.dataDir, 'uploads'));
    expect(path.basename(saved.path)).toBe('Kunden Liste.csv');
    expect(fs.readFileSync(saved.path, 'utf8')).toBe('email\nanna@example.com\n');
  });

  it('names its cookie by its port, and refuses the token under another name (an older one, or another instance)', async () => {
    const reply = await request(`/?token=${host.token}`);
    expect(reply.headers['set-cookie']?.[0]).toMatch(new RegExp(`^postroom_token_${host.port}=`));
    expect((await request('/', { cookie: `postroom_token=${host.token}` })).status).toBe(403);
    expect((await request('/', { cookie: `postroom_token_${host.port + 1}=${host.token}` })).status).toBe(403);
  });

  it('answers malformed frames with an error where they carry an id, drops the rest, and stays up', async () => {
    const ws = await openSocket({ cookie: `postroom_token_${host.port}=${host.token}`, origin: `http://127.0.0.1:${host.port}` });
    const replies: Array<{ id: unknown; result: { ok: boolean; error?: { code: string } } }> = [];
    ws.on('message', (data) => replies.push(JSON.parse(String(data))));
    const frames = ['null', '1', '[]', '"app:info"', '{bad json', 'true', '{}', '{"channel":"app:info"}', '{"id":null,"channel":"app:info"}', '{"id":{},"channel":"app:info"}'];
    for (const f of frames) ws.send(f);
    ws.send(Buffer.from([0xff, 0x00]), { binary: true });
    ws.send(JSON.stringify({ id: 1, input: {} }));
    ws.send(JSON.stringify({ id: 2, channel: { toString: 1 } }));
    ws.send(JSON.stringify({ id: 'three', channel: '__proto__' }));
    ws.send(JSON.stringify({ id: 4, channel: 'app:info', input: null }));
    await new Promise<void>((resolve) => {
      const check = () => (replies.length >= 4 ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(replies).toEqual([
      { id: 1, result: { ok: false, error: { code: 'INVALID_INPUT', message: 'The request names no channel.' } } },
      { id: 2, result: { ok: false, error: { code: 'INVALID_INPUT', message: 'The request names no channel.' } } },
      { id: 'three', result: { ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown request "__proto__".' } } },
      expect.objectContaining({ id: 4, result: expect.objectContaining({ ok: true }) }),
    ]);
    ws.close();
  });

  it('closes a socket that sends a frame over 16 MB, and keeps serving the others', async () => {
    const { MAX_FRAME_BYTES } = await import('../../electron/hosts/web');
    const ws = await openSocket({ cookie: `postroom_token_${host.port}=${host.token}`, origin: `http://127.0.0.1:${host.port}` });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ id: 1, channel: 'app:info', input: { pad: 'x'.repeat(MAX_FRAME_BYTES) } }));
    expect(await closed).toBe(1009); // RFC 6455 §7.4.1: message too big
    const other = await openSocket({ cookie: `postroom_token_${host.port}=${host.token}`, origin: `http://127.0.0.1:${host.port}` });
    const reply = await new Promise<unknown>((resolve) => {
      other.once('message', (data) => resolve(JSON.parse(String(data))));
      other.send(JSON.stringify({ id: 7, channel: 'app:info', input: {} }));
    });
    expect(reply).toMatchObject({ id: 7, result: { ok: true } });
    other.close();
  });

  it('deletes an uploaded spreadsheet when its import ends, done or failed', async () => {
    const upload = async (body: string) => {
      const reply = await request('/upload?name=list.csv', { cookie: `postroom_token_${host.port}=${host.token}` }, 'POST', body);
      return (JSON.parse(reply.body) as { path: string }).path;
    };
    const good = await upload('email\nanna@example.com\n');
    const done = await dispatch(service.handlers, 'lists:import', { path: good, listName: 'Uploaded' });
    expect(done).toMatchObject({ ok: true, value: { imported: 1 } });
    expect(fs.existsSync(path.dirname(good))).toBe(false);
    const bad = await upload('name\nno address here\n');
    const failed = await dispatch(service.handlers, 'lists:import', { path: bad, listName: 'Uploaded 2' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'IMPORT_FAILED' } });
    expect(fs.existsSync(path.dirname(bad))).toBe(false);
    expect(fs.readdirSync(path.join(service.ctx.dataDir, 'uploads'))).toEqual([]);
  });

  it('leaves a file the command line named where it is after importing it', async () => {
    const file = path.join(tempDir(), 'mine.csv');
    fs.writeFileSync(file, 'email\nanna@example.com\n');
    expect(await dispatch(service.handlers, 'lists:import', { path: file, listName: 'Mine' })).toMatchObject({ ok: true });
    expect(fs.existsSync(file)).toBe(true);
  });

  it('refuses an upload without the token', async () => {
    const reply = await request('/upload?name=x.csv', {}, 'POST', 'x');
    expect(reply.status).toBe(403);
    expect(fs.existsSync(path.join(service.ctx.dataDir, 'uploads'))).toBe(false);
  });
});

describe('uploads', () => {
  it('are pruned while the host runs, not only when it starts', async () => {
    const { pruneUploadsWhileRunning } = await import('../../electron/hosts/uploads');
    const dir = tempDir();
    const old = path.join(dir, 'uploads', 'a1');
    const stop = pruneUploadsWhileRunning(dir, 20);
    try {
      fs.mkdirSync(old, { recursive: true });
      fs.writeFileSync(path.join(old, 'old.csv'), 'a');
      const twoDaysAgo = (Date.now() - 48 * 3600_000) / 1000;
      fs.utimesSync(old, twoDaysAgo, twoDaysAgo);
      await new Promise((r) => setTimeout(r, 100));
      expect(fs.existsSync(old)).toBe(false);
    } finally {
      stop();
    }
  });

  it('are pruned after a day, newer ones kept', async () => {
    const { pruneUploads } = await import('../../electron/hosts/uploads');
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'uploads'));
    const old = path.join(dir, 'uploads', 'a1');
    const fresh = path.join(dir, 'uploads', 'b2');
    fs.mkdirSync(old);
    fs.mkdirSync(fresh);
    fs.writeFileSync(path.join(old, 'old.csv'), 'a');
    fs.writeFileSync(path.join(fresh, 'fresh.csv'), 'b');
    const twoDaysAgo = (Date.now() - 48 * 3600_000) / 1000;
    fs.utimesSync(old, twoDaysAgo, twoDaysAgo);
    expect(pruneUploads(dir)).toBe(1);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
  });
});
