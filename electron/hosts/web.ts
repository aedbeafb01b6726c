/**
 * The browser host (`postroom serve`): the same UI as the desktop window, served on 127.0.0.1 only, with the
 * contract carried over a WebSocket instead of Electron IPC.
 *
 * Guarding a local server is about other web pages and other local users, so every request must prove it
 * came from the page we served:
 * - a random token, printed once; the first request carries it in the URL and gets it back as a
 *   SameSite=Strict, HttpOnly cookie, which the page's later requests (assets, WebSocket) carry;
 * - the Host header must name our own address (DNS rebinding), and a request with an Origin must come from it
 *   (another site's page can't open our WebSocket even though browsers let it try).
 * - the cookie's name carries the port: browsers keep cookies by host, not by port, so another instance or another
 *   local server on 127.0.0.1 would otherwise overwrite ours or be sent it;
 * - a WebSocket frame is at most what a request needs (files go through /upload), and a frame that isn't a request
 *   is answered with an error where it names an id, dropped otherwise: nothing a page sends stops the server.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { defaultStaticDir, resolveStatic } from './static-files';
import { pruneUploadsWhileRunning, saveUpload } from './uploads';
import type { Service } from '../core/service';
import { dispatch } from '../../shared/router';
import type { Channel } from '../../shared/contract';
import { securityHeaders } from '../../shared/csp';

export interface WebHostOptions {
  service: Service;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir?: string;
  /** Fixed token, for tests; otherwise random. */
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** The session cookie's name, bound to the port (see the top of this file). */
export function cookieName(port: number): string {
  return `postroom_token_${port}`;
}

/**
 * The largest WebSocket frame accepted: a template's body and text at their limit (2,000,000 characters each, three
 * bytes a character at worst in UTF-8) fit with room; spreadsheets and attachments go through /upload instead.
 */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** A request frame as it comes over the wire, once checked to be one: `{ id, channel, input }`. */
type RequestId = number | string;

/**
 * Reads a frame: the request (its channel still to be checked), or why it isn't one. A frame without an id has
 * nobody to answer: it is dropped. Ids are what the client chose: numbers, or strings of sane length.
 */
export function readFrame(text: string): { request: { id: RequestId; channel: unknown; input: unknown } } | { dropped: string } {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { dropped: 'not JSON' };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { dropped: 'not an object' };
  const { id, channel, input } = msg as { id?: unknown; channel?: unknown; input?: unknown };
  const validId = (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= 100);
  if (!validId) return { dropped: 'no id' };
  return { request: { id: id as RequestId, channel, input } };
}

export { defaultStaticDir };
function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const staticDir = options.staticDir ?? defaultStaticDir();
  const { service } = options;
  const stopPruning = pruneUploadsWhileRunning(service.ctx.dataDir);
  let port = 0;
  const cookie = () => cookieName(port);
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  /** Why this request is refused, or undefined when it may go on. */
  const refusal = (req: http.IncomingMessage, url: URL): string | undefined => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return 'unknown host';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) return 'foreign origin';
    const presented = url.searchParams.get('token') ?? readCookie(req.headers.cookie, cookie());
    if (!presented || !safeEqual(presented, token)) return 'missing or wrong token';
    return undefined;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const why = refusal(req, url);
    if (why) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Forbidden (${why}). Open the address that 'postroom serve' printed, with its token.`);
      return;
    }
    void handle(req, res, url).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Postroom couldn't answer this request: ${(err as Error).message}`);
    });
  });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const common = {
      ...securityHeaders({ connect: allowedOrigins().map((o) => o.replace('http', 'ws')) }),
      'set-cookie': `${cookie()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      'cache-control': 'no-store',
    };
    if (url.pathname === '/upload') {
      if (req.method !== 'POST') {
        res.writeHead(405, common).end();
        return;
      }
      const saved = await saveUpload(req, service.ctx.dataDir, url.searchParams.get('name') ?? 'upload');
      res.writeHead(200, { ...common, 'content-type': 'application/json' }).end(JSON.stringify(saved));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, common).end();
      return;
    }
    const found = resolveStatic(staticDir, url.pathname);
    if (!found) {
      res.writeHead(404, common).end();
      return;
    }
    if (found.missing) {
      res.writeHead(500, { ...common, 'content-type': 'text/plain; charset=utf-8' });
      res.end("The Postroom window hasn't been built. Run 'npm run build' first.");
      return;
    }
    const target = found.file;
    res.writeHead(200, { ...common, 'content-type': found.mime });
    if (req.method === 'HEAD') res.end();
    else await pipeline(fs.createReadStream(target), res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const why = url.pathname !== '/ws' ? 'not found' : refusal(req, url);
    if (why) {
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nForbidden (${why}).`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const sockets = new Set<WebSocket>();
  const unsubscribe = service.events.onAny((event, payload) => {
    const frame = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  });
  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => ws.terminate()); // a frame over the limit, a broken frame: that socket closes, the server stays
    ws.on('message', (data, isBinary) => {
      if (isBinary) return; // requests are text; nobody to answer
      const frame = readFrame(String(data));
      if ('dropped' in frame) return;
      const answer = (id: RequestId, result: unknown) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
      };
      const { id, channel, input } = frame.request;
      // dispatch answers a channel that isn't in the contract (or no channel) with INVALID_INPUT itself.
      void dispatch(service.handlers, channel as Channel, input).then((result) => answer(id, result));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      stopPruning();
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
