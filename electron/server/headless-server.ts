// server/: the headless host. Serves the built dashboard over HTTP and the API contract over a
// WebSocket, on the same core as the desktop app. Loopback by default; any other address
// needs an access token, and browser connections must come from the dashboard's own origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_EVENTS, type LiveBreadthApi } from '../../shared/api';
import type { WsServerMessage } from '../../shared/ws-protocol';
import { WS_PATH } from '../../shared/ws-protocol';
import { ApiError, dispatchApiCall, toApiError } from '../core/api-dispatch';
import type { EventEmitter } from 'node:events';

export interface HeadlessServerOptions {
  api: LiveBreadthApi & Pick<EventEmitter, 'on' | 'off'>;
  host?: string;
  port?: number;
  /** Required off loopback; generated when not given there. */
  token?: string;
  /** The built renderer (out/renderer); without it only the API is served. */
  staticDir?: string;
}

export interface HeadlessServer {
  url: string;
  /** The dashboard's address including the token, to print and open. */
  dashboardUrl: string;
  token: string | null;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The host of an Origin header; null for "null" (a file or sandboxed page) or anything malformed. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  const token = options.token ?? (loopback ? null : randomBytes(18).toString('base64url'));

  const serveStatic = options.staticDir && existsSync(options.staticDir)
    ? sirv(options.staticDir, { single: true, dev: false, etag: true })
    : null;
  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (serveStatic) {
      serveStatic(req, res, () => {
        res.statusCode = 404;
        res.end('Not found');
      });
      return;
    }
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('The dashboard is not built: run npm run build. The API is at ' + WS_PATH);
  });

  const wss = new WebSocketServer({
    server,
    path: WS_PATH,
    maxPayload: 1024 * 1024,
    verifyClient: ({ origin, req }, done) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (token !== null && !sameToken(url.searchParams.get('token'), token)) {
        done(false, 401, 'An access token is required');
        return;
      }
      // A browser always sends Origin: only the dashboard served here may connect, so a web
      // page elsewhere cannot drive the app through the trader's browser.
      if (origin && originHost(origin) !== req.headers.host) {
        done(false, 403, 'Origin not allowed');
        return;
      }
      done(true);
    },
  });

  const sockets = new Set<WebSocket>();
  const send = (socket: WebSocket, message: WsServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const forwarders = API_EVENTS.map((event) => {
    const listener = (data: unknown) => {
      const text = JSON.stringify({ event, data });
      for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
    };
    options.api.on(event, listener);
    return [event, listener] as const;
  });

  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (raw) => {
      let id: number | null = null;
      void (async () => {
        try {
          let call: { id?: unknown; method?: unknown; args?: unknown };
          try {
            call = JSON.parse(raw.toString()) as typeof call;
          } catch {
            throw new ApiError('bad-input', 'Messages must be JSON: {"id", "method", "args"}');
          }
          if (typeof call !== 'object' || call === null) throw new ApiError('bad-input', 'Messages must be JSON objects');
          id = typeof call.id === 'number' ? call.id : null;
          if (id === null) throw new ApiError('bad-input', 'A call needs a numeric "id"');
          const result = await dispatchApiCall(options.api, call.method, call.args ?? []);
          send(socket, { id, ok: true, result: result ?? null });
        } catch (error) {
          send(socket, { id, ok: false, error: toApiError(error) });
        }
      })();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  return {
    url,
    dashboardUrl: token ? `${url}/?token=${encodeURIComponent(token)}` : `${url}/`,
    token,
    close: async () => {
      for (const [event, listener] of forwarders) options.api.off(event, listener);
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
