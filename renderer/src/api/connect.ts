// Which bridge the dashboard talks through: the preload's in the desktop app, a WebSocket to
// the headless host in a browser. Both implement the same contract.
import type { ApiEventName, ApiEvents, LiveBreadthApi } from '../../../shared/api';
import { connectWsApi, type ConnectionState } from '../../../shared/ws-client';
import { WS_PATH } from '../../../shared/ws-protocol';

export interface DashboardApi extends LiveBreadthApi {
  on<K extends ApiEventName>(event: K, listener: (data: ApiEvents[K]) => void): () => void;
  readonly shell: 'electron' | 'browser';
  /** Browser only (the desktop bridge cannot drop): the WebSocket lost and regained. */
  onConnection?(listener: (state: ConnectionState, info: { reconnected: boolean }) => void): () => void;
}

declare global {
  interface Window {
    liveBreadth?: DashboardApi;
  }
}

export function connectApi(): DashboardApi {
  if (window.liveBreadth) return window.liveBreadth;
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  const url = `${protocol}//${location.host}${WS_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  // A factory, not a socket: the client reconnects (backoff, jitter) when the link drops.
  const client = connectWsApi(() => new WebSocket(url));
  return Object.assign(client, { shell: 'browser' as const });
}
