// The API contract over WebSocket: the headless server and the browser client speak this.
import type { ApiErrorShape, ApiEventName, ApiEvents, ApiMethod } from './api';

export interface WsCall {
  id: number;
  method: ApiMethod;
  args: unknown[];
}

export type WsServerMessage =
  | { id: number | null; ok: true; result: unknown }
  | { id: number | null; ok: false; error: ApiErrorShape }
  | { [K in ApiEventName]: { event: K; data: ApiEvents[K] } }[ApiEventName];

export const WS_PATH = '/api';
