// LiveBreadthApi over WebSocket, for the dashboard in a browser (and tests under Node). The
// WebSocket constructor is passed in, so this file needs neither the DOM nor Node.
import { API_METHODS, ApiError, type ApiEventName, type ApiEvents, type LiveBreadthApi } from './api';
import type { WsCall, WsServerMessage } from './ws-protocol';

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

type Listener<K extends ApiEventName> = (data: ApiEvents[K]) => void;

export interface WsApiClient extends LiveBreadthApi {
  on<K extends ApiEventName>(event: K, listener: Listener<K>): () => void;
  /** Raw call, without the schema of the typed methods: for tests of the server's validation. */
  call(method: string, args: unknown[]): Promise<unknown>;
  readonly opened: Promise<void>;
  close(): void;
}

export function connectWsApi(socket: WebSocketLike): WsApiClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<ApiEventName, Set<(data: unknown) => void>>();
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new Error('Cannot connect to LiveBreadth')));
  });
  opened.catch(() => undefined);
  socket.addEventListener('close', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('The connection to LiveBreadth closed'));
    pending.clear();
  });
  socket.addEventListener('message', ({ data }) => {
    const message = JSON.parse(String(data)) as WsServerMessage;
    if ('event' in message) {
      for (const listener of listeners.get(message.event) ?? []) listener(message.data);
      return;
    }
    const waiter = message.id === null ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new ApiError(message.error.code, message.error.message));
  });

  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    // JSON has no undefined: an omitted optional argument must not travel as null.
    args = [...args];
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    await opened;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, args } as WsCall));
    });
  };

  const client = {
    opened,
    call,
    close: () => socket.close(),
    on<K extends ApiEventName>(event: K, listener: Listener<K>) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (data: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (data: unknown) => void);
    },
  } as Partial<WsApiClient>;
  for (const method of API_METHODS) {
    (client as Record<string, unknown>)[method] = (...args: unknown[]) => call(method, args);
  }
  return client as WsApiClient;
}
