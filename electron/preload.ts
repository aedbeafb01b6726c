/**
 * The preload: exposes exactly the contract as `window.postroom`, nothing else. Never ipcRenderer itself.
 * Listeners get the payload only (the Electron event is stripped) and receive an unsubscribe function.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi, EVENT_CHANNEL, type Subscribe } from '../shared/api';
import { EVENT_NAMES } from '../shared/channel-names';
import type { EventName, PostroomApi } from '../shared/contract';
import type { Result } from '../shared/result';

const subscribe: Subscribe = (event, listener) => {
  if (!(EVENT_NAMES as readonly EventName[]).includes(event)) throw new Error(`Unknown event "${String(event)}".`);
  const handler = (_e: IpcRendererEvent, msg: { event: string; payload: unknown }) => {
    if (msg?.event === event) listener(msg.payload as Parameters<typeof listener>[0]);
  };
  ipcRenderer.on(EVENT_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  };
};

const api = buildApi((channel, input) => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>, subscribe) satisfies PostroomApi;

contextBridge.exposeInMainWorld('postroom', api);
