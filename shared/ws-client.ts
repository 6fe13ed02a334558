// LiveBreadthApi over WebSocket, for the dashboard in a browser (and tests under Node). The
// WebSocket constructor is passed in, so this file needs neither the DOM nor Node.
// Given a factory rather than one socket, the client keeps itself connected: it pings the host
// (browsers cannot send ping frames), treats silence as a dead connection, and reconnects with
// exponential backoff and jitter, telling its listeners so the dashboard can resynchronise.
import { API_METHODS, ApiError, type ApiEventName, type ApiEvents, type LiveBreadthApi } from './api';
import type { WsCall, WsPing, WsServerMessage } from './ws-protocol';
import { WS_MAX_MESSAGE_BYTES } from './ws-protocol';
import { PendingRequests } from './pending-requests';
import { trimOmittedArgs } from './api-args';

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

type Listener<K extends ApiEventName> = (data: ApiEvents[K]) => void;

/**
 * connecting: before the first open; open; reconnecting: lost, retrying (calls are refused);
 * closed: close() was called, or a single socket ended.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface WsApiClient extends LiveBreadthApi {
  on<K extends ApiEventName>(event: K, listener: Listener<K>): () => void;
  /** State changes; `reconnected` is true on an open that follows a lost connection. */
  onConnection(listener: (state: ConnectionState, info: { reconnected: boolean }) => void): () => void;
  readonly state: ConnectionState;
  /** Raw call, without the schema of the typed methods: for tests of the server's validation. */
  call(method: string, args: unknown[]): Promise<unknown>;
  /** The first open. */
  readonly opened: Promise<void>;
  close(): void;
}

export interface ReconnectOptions {
  /** An application ping this often while open. */
  pingEveryMs: number;
  /** Nothing heard from the host for this long: the connection is dead. */
  deadAfterMs: number;
  /** Backoff: the first retry within baseMs, doubling to at most maxMs. */
  baseMs: number;
  maxMs: number;
  random: () => number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = { pingEveryMs: 4_000, deadAfterMs: 10_000, baseMs: 500, maxMs: 10_000, random: Math.random };

/**
 * The wait before retry number `attempt` (0-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so that dashboards cut off together do not return in lock-step.
 */
export function reconnectDelay(attempt: number, options: Pick<ReconnectOptions, 'baseMs' | 'maxMs' | 'random'>): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + options.random() * (ceiling / 2));
}

const OPEN = 1;

/** UTF-8 length, computed only when it could matter. */
function tooBig(text: string): boolean {
  if (text.length * 3 <= WS_MAX_MESSAGE_BYTES) return false;
  return new TextEncoder().encode(text).length > WS_MAX_MESSAGE_BYTES;
}

export function connectWsApi(target: WebSocketLike | (() => WebSocketLike), options: Partial<ReconnectOptions> = {}): WsApiClient {
  const reconnecting = typeof target === 'function';
  const opts: ReconnectOptions = { ...DEFAULT_RECONNECT, ...options };
  let state: ConnectionState = 'connecting';
  let socket: WebSocketLike | null = null;
  let attempt = 0;
  let everOpened = false;
  let lastHeard = 0;
  let pingTimer: ReturnType<typeof setInterval> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const pending = new PendingRequests();
  const listeners = new Map<ApiEventName, Set<(data: unknown) => void>>();
  const stateListeners = new Set<(state: ConnectionState, info: { reconnected: boolean }) => void>();

  let resolveOpened!: () => void;
  let rejectOpened!: (e: Error) => void;
  const opened = new Promise<void>((resolve, reject) => {
    resolveOpened = resolve;
    rejectOpened = reject;
  });
  opened.catch(() => undefined);
  // Calls made before the first open wait for it; after a loss they are refused at once.
  let firstOpenWaiters: Array<() => void> = [];

  const setState = (next: ConnectionState, reconnected = false) => {
    if (state === next) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next, { reconnected });
  };

  const failPending = (message: string) => {
    pending.rejectAll(new Error(message));
  };

  const stopPinging = () => {
    if (pingTimer !== null) clearInterval(pingTimer);
    pingTimer = null;
  };

  /** The current socket is gone (closed, failed, or silent): forget it and maybe retry. */
  const lost = (from: WebSocketLike, why: string) => {
    if (from !== socket) return; // an old socket's late event
    socket = null;
    stopPinging();
    failPending(why);
    if (!reconnecting || state === 'closed') {
      setState('closed');
      if (!everOpened) rejectOpened(new Error('Cannot connect to LiveBreadth'));
      return;
    }
    setState(everOpened ? 'reconnecting' : 'connecting');
    const wait = reconnectDelay(attempt++, opts);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      dial();
    }, wait);
  };

  const dial = () => {
    const current = reconnecting ? (target as () => WebSocketLike)() : (target as WebSocketLike);
    socket = current;
    current.addEventListener('open', () => {
      if (current !== socket) return;
      const reconnected = everOpened;
      everOpened = true;
      attempt = 0;
      lastHeard = Date.now();
      if (reconnecting) {
        pingTimer = setInterval(() => {
          if (current !== socket) return;
          if (Date.now() - lastHeard > opts.deadAfterMs) {
            // A dead link may take minutes to report its close: give up on it now.
            lost(current, 'The connection to LiveBreadth was lost');
            try {
              current.close();
            } catch {
              // already closing
            }
            return;
          }
          if (current.readyState === OPEN) current.send(JSON.stringify({ ping: Date.now() } satisfies WsPing));
        }, opts.pingEveryMs);
      }
      setState('open', reconnected);
      resolveOpened();
      const waiters = firstOpenWaiters;
      firstOpenWaiters = [];
      for (const wake of waiters) wake();
    });
    current.addEventListener('error', () => undefined); // followed by 'close'
    current.addEventListener('close', () => lost(current, 'The connection to LiveBreadth closed'));
    current.addEventListener('message', ({ data }) => {
      if (current !== socket) return;
      lastHeard = Date.now();
      let message: WsServerMessage;
      try {
        message = JSON.parse(String(data)) as WsServerMessage;
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null || 'pong' in message) return;
      if ('event' in message) {
        for (const listener of listeners.get(message.event) ?? []) listener(message.data);
        return;
      }
      if (message.ok) pending.resolve(message.id, message.result);
      else pending.reject(message.id, new ApiError(message.error.code, message.error.message));
    });
  };

  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    args = trimOmittedArgs(args);
    if (state === 'connecting') {
      if (reconnecting) await new Promise<void>((wake) => firstOpenWaiters.push(wake));
      else await opened;
    }
    const current = socket;
    if (state !== 'open' || current === null || current.readyState !== OPEN) {
      throw new Error(state === 'closed' ? 'The connection to LiveBreadth closed' : 'Not connected to LiveBreadth: reconnecting');
    }
    return pending.open((id) => {
      const text = JSON.stringify({ id, method, args } as WsCall);
      if (tooBig(text)) throw new ApiError('bad-input', `${method}: too large to send (the host reads at most ${WS_MAX_MESSAGE_BYTES / 1024 / 1024} MB)`);
      current.send(text);
    });
  };

  const client = {
    opened,
    call,
    get state() {
      return state;
    },
    close: () => {
      setState('closed');
      if (retryTimer !== null) clearTimeout(retryTimer);
      stopPinging();
      const current = socket;
      if (current) {
        current.close();
        if (reconnecting) lost(current, 'The connection to LiveBreadth closed');
      }
      for (const wake of firstOpenWaiters) wake();
      firstOpenWaiters = [];
    },
    on<K extends ApiEventName>(event: K, listener: Listener<K>) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (data: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (data: unknown) => void);
    },
    onConnection(listener: (state: ConnectionState, info: { reconnected: boolean }) => void) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  } as Partial<WsApiClient>;
  for (const method of API_METHODS) {
    (client as Record<string, unknown>)[method] = (...args: unknown[]) => call(method, args);
  }
  dial();
  return client as WsApiClient;
}
