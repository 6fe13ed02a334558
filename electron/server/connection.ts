// server/: one WebSocket client of the headless host. Answers its calls (at most a few at a
// time), its liveness pings, and drops it when it stops reading: a client that sends without
// reading must not grow the host's memory (replies pile up in the socket's send buffer).
import type { WebSocket, RawData } from 'ws';
import type { LiveBreadthApi } from '../../shared/api';
import type { WsServerMessage } from '../../shared/ws-protocol';
import { WS_MAX_MESSAGE_BYTES } from '../../shared/ws-protocol';
import { ApiError, dispatchApiCall, toApiError, type ApiCaller } from '../core/api-dispatch';

export interface ConnectionLimits {
  /** Bytes queued for a client that has not read them; beyond this it is dropped. */
  maxBufferedBytes: number;
  /** Calls running at once; further messages wait (and the socket stops being read). */
  maxInFlightCalls: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  // Above the largest reply (a 1-second day's series, ~5 MB) plus the stock table, so a dashboard
  // on a slow link is not dropped while it loads; far below what a stuck client used to cost.
  maxBufferedBytes: 16 * 1024 * 1024,
  maxInFlightCalls: 16,
};

export interface ConnectionOptions {
  api: LiveBreadthApi;
  caller: ApiCaller;
  limits: ConnectionLimits;
  log: (line: string) => void;
  /** Who this is, for log lines: "127.0.0.1:53122". */
  peer: string;
}

/** What a text message asks for; pure, so the server's reading of the wire is unit-tested. */
export type ParsedMessage =
  | { kind: 'ping'; ping: number }
  | { kind: 'call'; id: number; method: unknown; args: unknown }
  | { kind: 'bad'; id: number | null; error: ApiError };

export function parseMessage(text: string): ParsedMessage {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { kind: 'bad', id: null, error: new ApiError('bad-input', 'Messages must be JSON: {"id", "method", "args"}') };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { kind: 'bad', id: null, error: new ApiError('bad-input', 'Messages must be JSON objects') };
  }
  const m = message as Record<string, unknown>;
  if (typeof m.ping === 'number' && !('method' in m)) return { kind: 'ping', ping: m.ping };
  if (typeof m.id !== 'number' || !Number.isFinite(m.id)) {
    return { kind: 'bad', id: null, error: new ApiError('bad-input', 'A call needs a numeric "id"') };
  }
  return { kind: 'call', id: m.id, method: m.method, args: m.args ?? [] };
}

export class Connection {
  /** Answered the last ws ping (the heartbeat clears it before each ping). */
  alive = true;
  private inFlight = 0;
  private readonly waiting: RawData[] = [];
  private dropped = false;

  constructor(
    readonly socket: WebSocket,
    private readonly options: ConnectionOptions,
  ) {
    // Without an 'error' listener one malformed frame from any client kills the whole host.
    socket.on('error', (error: Error & { code?: string }) => {
      const why = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
        ? `a message over ${WS_MAX_MESSAGE_BYTES} bytes`
        : `${error.message} (${error.code ?? 'socket error'})`;
      options.log(`closed the connection from ${options.peer}: ${why}`);
    });
    socket.on('pong', () => (this.alive = true));
    socket.on('message', (raw) => {
      this.waiting.push(raw);
      this.pump();
    });
  }

  /** Queues a message for the client, or drops the client when it has stopped reading. */
  send(message: WsServerMessage | string): void {
    const socket = this.socket;
    if (this.dropped || socket.readyState !== socket.OPEN) return;
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (socket.bufferedAmount + text.length > this.options.limits.maxBufferedBytes) {
      this.drop(`not reading (${socket.bufferedAmount} bytes waiting to be sent)`);
      return;
    }
    socket.send(text);
  }

  drop(reason: string): void {
    if (this.dropped) return;
    this.dropped = true;
    this.waiting.length = 0;
    this.options.log(`dropped the connection from ${this.options.peer}: ${reason}`);
    this.socket.terminate();
  }

  private pump(): void {
    const { maxInFlightCalls } = this.options.limits;
    while (this.waiting.length > 0 && this.inFlight < maxInFlightCalls && !this.dropped) {
      this.handle(this.waiting.shift()!);
    }
    // Back-pressure: stop reading the socket while calls wait, resume when they have run.
    if (this.waiting.length > 0) this.socket.pause();
    else this.socket.resume();
  }

  private handle(raw: RawData): void {
    const text = Array.isArray(raw) ? Buffer.concat(raw).toString() : Buffer.from(raw as Buffer).toString();
    const parsed = parseMessage(text);
    if (parsed.kind === 'ping') {
      this.send({ pong: parsed.ping });
      return;
    }
    if (parsed.kind === 'bad') {
      this.send({ id: parsed.id, ok: false, error: parsed.error.toJSON() });
      return;
    }
    this.inFlight++;
    void this.answer(parsed.id, parsed.method, parsed.args);
  }

  private async answer(id: number, method: unknown, args: unknown): Promise<void> {
    try {
      const result = await dispatchApiCall(this.options.api, method, args, this.options.caller);
      this.send({ id, ok: true, result: result ?? null });
    } catch (error) {
      try {
        this.send({ id, ok: false, error: toApiError(error) });
      } catch (sendError) {
        this.options.log(`could not answer call ${id} from ${this.options.peer}: ${(sendError as Error).message}`);
      }
    } finally {
      this.inFlight--;
      this.pump();
    }
  }
}
