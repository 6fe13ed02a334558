// preload/: the contextBridge. Exposes the API contract from shared/ and nothing else: no
// ipcRenderer, no Node. May import electron; imported by nothing.
import { contextBridge, ipcRenderer } from 'electron';
import { API_METHODS, type ApiEventName, type ApiEvents, type LiveBreadthApi } from '../../shared/api';
import { trimOmittedArgs } from '../../shared/api-args';
import { IPC_CALL, IPC_EVENT, type IpcCallResult } from '../../shared/ipc-channels';

export interface LiveBreadthBridge extends LiveBreadthApi {
  on<K extends ApiEventName>(event: K, listener: (data: ApiEvents[K]) => void): () => void;
  readonly shell: 'electron';
}

async function call(method: string, args: unknown[]): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(IPC_CALL, method, trimOmittedArgs(args))) as IpcCallResult;
  if (reply.ok) return reply.result;
  throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
}

const listeners = new Map<string, Set<(data: unknown) => void>>();
ipcRenderer.on(IPC_EVENT, (_event, name: string, data: unknown) => {
  for (const listener of listeners.get(name) ?? []) listener(data);
});

const methods = Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as LiveBreadthApi;

const bridge = {
  ...methods,
  shell: 'electron' as const,
  on(event: ApiEventName, listener: (data: never) => void) {
    const set = listeners.get(event) ?? new Set();
    set.add(listener as (data: unknown) => void);
    listeners.set(event, set);
    return () => {
      set.delete(listener as (data: unknown) => void);
    };
  },
} satisfies LiveBreadthBridge;

contextBridge.exposeInMainWorld('liveBreadth', bridge);
