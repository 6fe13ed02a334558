// server/: the headless host. Serves the built dashboard over HTTP and the API contract over a
// WebSocket, on the same core as the desktop app. Loopback by default; any other address
// needs an access token, and browser connections must come from the dashboard's own origin.
// Who may connect: host-guard.ts; one client's calls, pings and back-pressure: connection.ts.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { API_EVENTS, type LiveBreadthApi } from '../../shared/api';
import { WS_MAX_MESSAGE_BYTES, WS_PATH } from '../../shared/ws-protocol';
import type { ApiCaller } from '../core/api-dispatch';
import type { EventEmitter } from 'node:events';
import { Connection, DEFAULT_LIMITS, type ConnectionLimits } from './connection';
import { checkAccess, isLoopback, securityHeaders, TOKEN_COOKIE, tokenFromCookie } from './host-guard';

export { isLoopback };

export interface HeadlessServerOptions {
  api: LiveBreadthApi & Pick<EventEmitter, 'on' | 'off'>;
  host?: string;
  port?: number;
  /** Required off loopback; generated when not given there. */
  token?: string;
  /** The built renderer (out/renderer); without it only the API is served. */
  staticDir?: string;
  /**
   * Let network clients change the settings that point at the file system (data folder, file
   * names). Off by default: only a dashboard on this computer's loopback, without a token, may.
   */
  allowRemoteFolderChanges?: boolean;
  /** Every client is pinged this often and dropped if it has not answered the previous ping. */
  heartbeatMs?: number;
  limits?: Partial<ConnectionLimits>;
  /** One line per dropped or refused client; stderr by default. */
  log?: (line: string) => void;
}

export interface HeadlessServer {
  url: string;
  /** The dashboard's address including the token, to print and open. */
  dashboardUrl: string;
  token: string | null;
  close(): Promise<void>;
}

/** The host of an Origin header; null for "null" (a file or sandboxed page) or anything malformed. */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function queryToken(reqUrl: string | undefined): string | null {
  try {
    return new URL(reqUrl ?? '/', 'http://localhost').searchParams.get('token');
  } catch {
    return null;
  }
}

/** Network clients may not re-point the app at other files unless the operator allows it. */
export function callerFor(loopback: boolean, token: string | null, allowRemoteFolderChanges: boolean): ApiCaller {
  return { local: allowRemoteFolderChanges || (loopback && token === null) };
}

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopback(host);
  const token = options.token ?? (loopback ? null : randomBytes(18).toString('base64url'));
  const caller = callerFor(loopback, token, options.allowRemoteFolderChanges ?? false);
  const limits: ConnectionLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? ((line: string) => process.stderr.write(`${new Date().toISOString()} host: ${line}\n`));

  const serveStatic = options.staticDir && existsSync(options.staticDir)
    ? sirv(options.staticDir, { single: true, dev: false, etag: true })
    : null;
  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(securityHeaders(req.headers.host))) res.setHeader(name, value);
    const given = queryToken(req.url);
    const access = checkAccess({ hostHeader: req.headers.host, bindHost: host, token, givenToken: given ?? tokenFromCookie(req.headers.cookie) }, false);
    if (!access.ok) {
      res.statusCode = access.status;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(access.message);
      return;
    }
    // The page opened with ?token= lets its own scripts and styles load under any host name.
    if (token !== null && given === token) {
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`);
    }
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
  // A malformed HTTP request closes that connection only.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({
    server,
    path: WS_PATH,
    maxPayload: WS_MAX_MESSAGE_BYTES,
    verifyClient: ({ origin, req }, done) => {
      // The WebSocket takes the token from its URL only: a cookie would ride along on a
      // cross-site request.
      const access = checkAccess({ hostHeader: req.headers.host, bindHost: host, token, givenToken: queryToken(req.url) }, true);
      if (!access.ok) {
        log(`refused a WebSocket from ${req.socket.remoteAddress}: ${access.message}`);
        done(false, access.status, access.status === 421 ? 'Host not allowed' : access.message);
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
  wss.on('error', (error) => log(`WebSocket server: ${error.message}`));

  const connections = new Set<Connection>();
  const forwarders = API_EVENTS.map((event) => {
    const listener = (data: unknown) => {
      const text = JSON.stringify({ event, data });
      for (const connection of connections) connection.send(text);
    };
    options.api.on(event, listener);
    return [event, listener] as const;
  });

  wss.on('connection', (socket, req) => {
    const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const connection = new Connection(socket, { api: options.api, caller, limits, log, peer });
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
  });

  // Ping frames find clients that vanished without a close (a laptop asleep, a cable pulled) or
  // stopped reading: one missed pong and they are dropped.
  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.drop('no answer to the last ping');
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

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
      clearInterval(heartbeat);
      for (const [event, listener] of forwarders) options.api.off(event, listener);
      for (const connection of connections) connection.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
