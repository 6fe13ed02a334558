// The API contract over WebSocket: the headless server and the browser client speak this.
import type { ApiErrorShape, ApiEventName, ApiEvents, ApiMethod } from './api';

export interface WsCall {
  id: number;
  method: ApiMethod;
  args: unknown[];
}

/** A liveness check from the client (browsers cannot send ping frames): answered with WsPong. */
export interface WsPing {
  ping: number;
}
export interface WsPong {
  pong: number;
}

export type WsServerMessage =
  | { id: number | null; ok: true; result: unknown }
  | { id: number | null; ok: false; error: ApiErrorShape }
  | WsPong
  | { [K in ApiEventName]: { event: K; data: ApiEvents[K] } }[ApiEventName];

export const WS_PATH = '/api';

/**
 * The largest message the host reads. The contract's largest call is importHolidays: a 260-character
 * name and up to 1,000,000 characters of content, which JSON may escape to 6 bytes each (\u0001),
 * so ~6 MB at worst; 8 MiB admits it with headroom. A bigger message closes that connection (1009).
 */
export const WS_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** Close code for a message over WS_MAX_MESSAGE_BYTES (RFC 6455 "message too big"). */
export const WS_CLOSE_TOO_BIG = 1009;
