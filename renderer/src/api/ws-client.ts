/**
 * `PostroomApi` over a WebSocket, for the browser host (`postroom serve`). The page was loaded with `?token=`,
 * which the host turned into an HttpOnly cookie; the WebSocket handshake carries that cookie, so this file
 * never sees the token.
 *
 * Protocol (electron/hosts/web.ts): send `{ id, channel, input }`, receive `{ id, result }`; events arrive as
 * `{ event, payload }`. Requests made while the socket is down wait for the next connection; requests in flight
 * when it drops are answered with a plain-words error, since we can't know whether the core ran them.
 */
import { channels, eventNames, methodName, type EventName, type PostroomApi } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting';

interface Pending {
  resolve: (r: Result<unknown>) => void;
  frame: string;
  sent: boolean;
}

export interface WsClient {
  api: PostroomApi;
  state(): ConnectionState;
  onState(listener: (s: ConnectionState) => void): () => void;
  close(): void;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

export function createWsClient(url = defaultUrl()): WsClient {
  let ws: WebSocket | undefined;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let attempt = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<number, Pending>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();

  // Events reach listeners once per animation frame (or 100 ms when the window is hidden and frames stop),
  // never from inside the socket's message handler: a burst of progress messages costs one redraw, and of a
  // campaign's progress only the newest in the frame is delivered (each carries the whole state).
  const queued = new Map<string, { event: string; payload: unknown }>();
  let seq = 0;
  let scheduled = false;
  const flush = () => {
    if (!scheduled) return;
    scheduled = false;
    const batch = [...queued.values()];
    queued.clear();
    for (const { event, payload } of batch) for (const l of eventListeners.get(event) ?? []) l(payload);
  };
  const deliver = (event: string, payload: unknown) => {
    const id = event === 'campaign:progress' ? (payload as { id?: unknown } | null)?.id : undefined;
    queued.set(id !== undefined ? `${event}#${String(id)}` : `#${seq++}`, { event, payload });
    if (scheduled) return;
    scheduled = true;
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
    setTimeout(flush, 100);
  };
  const known = new Set<string>(eventNames);

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const l of stateListeners) l(s);
  };

  const connect = () => {
    if (closed) return;
    const socket = new WebSocket(url);
    ws = socket;
    socket.onopen = () => {
      attempt = 0;
      setState('online');
      for (const p of pending.values()) {
        if (!p.sent) {
          socket.send(p.frame);
          p.sent = true;
        }
      }
    };
    socket.onmessage = (e: MessageEvent) => {
      let msg: { id?: number; result?: Result<unknown>; event?: string; payload?: unknown };
      try {
        msg = JSON.parse(String(e.data)) as typeof msg;
      } catch {
        return;
      }
      if (typeof msg.event === 'string') {
        deliver(msg.event, msg.payload);
        return;
      }
      if (typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        if (p && msg.result) {
          pending.delete(msg.id);
          p.resolve(msg.result);
        }
      }
    };
    socket.onclose = () => {
      if (ws !== socket) return;
      ws = undefined;
      for (const [id, p] of pending) {
        if (p.sent) {
          pending.delete(id);
          p.resolve({
            ok: false,
            error: {
              code: 'RELAY_UNREACHABLE',
              message: 'The connection to Postroom was lost before it answered. Check that Postroom is still running, then try again.',
            },
          });
        }
      }
      if (closed) return;
      setState('reconnecting');
      const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
      attempt++;
      timer = setTimeout(connect, delay);
    };
  };

  const call = (channel: string, input: unknown): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      const frame = JSON.stringify({ id, channel, input: input ?? {} });
      const entry: Pending = { resolve, frame, sent: false };
      pending.set(id, entry);
      if (ws && ws.readyState === WebSocket.OPEN) {
        ws.send(frame);
        entry.sent = true;
      }
    });

  const api: Record<string, unknown> = {};
  for (const channel of channels) api[methodName(channel)] = (input: unknown) => call(channel, input);
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!known.has(event)) throw new Error(`Unknown event "${event}"`);
    let set = eventListeners.get(event);
    if (!set) eventListeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };

  connect();
  return {
    api: api as PostroomApi,
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      ws?.close();
    },
  };
}

/**
 * Takes the token out of the address bar once the page has it: the host answered the page with the session cookie,
 * which every later request carries, so the token need not stay in the address, the history or a bookmark (nor be
 * seen on a shared screen). The rest of the address (the page's place) stays as it was.
 */
export function dropTokenFromAddress(loc: Pick<Location, 'href'> = location, hist: Pick<History, 'replaceState' | 'state'> = history): void {
  const url = new URL(loc.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  hist.replaceState(hist.state, '', url.pathname + url.search + url.hash);
}

function defaultUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/ws`;
}
