/**
 * The one way the renderer reaches the core. In the desktop window the preload has put `window.postroom` in
 * place; in the browser (`postroom serve`) we carry the same API over a WebSocket.
 */
import type { PostroomApi } from '../../../shared/contract';
import { createWsClient, dropTokenFromAddress, type ConnectionState } from './ws-client';

declare global {
  interface Window {
    postroom?: PostroomApi;
  }
}

type StateListener = (s: ConnectionState) => void;

function pick(): { api: PostroomApi; state: () => ConnectionState; onState: (l: StateListener) => () => void } {
  if (window.postroom) {
    // IPC to our own main process has no connection to lose.
    return { api: window.postroom, state: () => 'online', onState: () => () => {} };
  }
  dropTokenFromAddress();
  const client = createWsClient();
  return { api: client.api, state: client.state, onState: client.onState };
}

const chosen = pick();

/** Every request to the core: `api.listsList({})` → `Promise<Result<ListSummary[]>>`. */
export const api: PostroomApi = chosen.api;
/** Whether the link to the core is up (always 'online' in the desktop window). */
export const connectionState = chosen.state;
export const onConnectionState = chosen.onState;
export type { ConnectionState };

/**
 * Sends a file the person chose or dropped to the core, which keeps it in the data folder and answers with its
 * path there. The browser host and the desktop app:// protocol both serve `./upload`.
 */
export async function uploadFile(file: File): Promise<{ path: string; bytes: number }> {
  let res: Response;
  try {
    res = await fetch('./upload?name=' + encodeURIComponent(file.name), { method: 'POST', body: file });
  } catch {
    throw new Error(`Couldn't hand "${file.name}" to Postroom: the connection failed. Check that Postroom is still running and try again.`);
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    throw new Error(`Couldn't hand "${file.name}" to Postroom (${res.status}). ${text}`.trim());
  }
  return (await res.json()) as { path: string; bytes: number };
}
