// Test support: a loopback stand-in for NSE's archive, for the sources' tests, the end-to-end tests
// and the bench. A real node:http server on 127.0.0.1 serves generated bhavcopies (./generated-
// archive.ts) under the archive's own URL paths, classic up to 5 July 2024 and UDiFF after, 404 for
// days it has not got, and injects the faults a real archive shows when a test asks: 429 with
// Retry-After, 5xx, a hang past the client's timeout, a truncated zip, a wrong content type, an
// HTML page with status 200, a dropped connection. It counts every request by path, so tests can
// assert that no day is downloaded twice and no holiday is asked for.
//
// From a terminal or Playwright: npx tsx electron/processor/history/sources/testing/archive-server.ts
//   --port 0 --symbols 2000 [--seed 11] [--from 2024-01-01] [--to 2026-12-31] [--holidays D,D,...]
// prints its base URL on one line and runs until SIGTERM/SIGINT. Faults can then be injected over
// HTTP: POST /_control/faults {"fault": {...}, "date"?: "YYYY-MM-DD", "times"?: n}; DELETE
// /_control/faults; GET /_control/requests (counts by path).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NSE_PROFILE } from '../../../../../shared/market-calendar';
import { parseArchivePath } from '../archive-urls';
import { GeneratedArchive, type GeneratedArchiveOptions } from './generated-archive';

export type ArchiveFault =
  /** Any status, e.g. 429 with a Retry-After (seconds or an HTTP date), 500, 503, 403. */
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Status 200 and a zip cut in half (its Content-Length matching what is sent). */
  | { kind: 'truncated' }
  /** The right zip with a wrong Content-Type (default text/plain). */
  | { kind: 'content-type'; contentType?: string }
  /** Status 200 and an HTML error page, as a CDN sends when it blocks a client. */
  | { kind: 'html' }
  /** The connection is destroyed before any answer. */
  | { kind: 'reset' };

export interface ArchiveRequest {
  path: string;
  /** The day the path names; null for other paths. */
  tradeDate: string | null;
  /** The status sent, or what happened instead. */
  outcome: number | 'hang' | 'reset';
}

interface PendingFault {
  fault: ArchiveFault;
  date: string | null;
  remaining: number;
}

export interface ArchiveServerOptions extends GeneratedArchiveOptions {
  port?: number;
  host?: string;
}

const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>Access Denied</title></head>
<body><h1>Access Denied</h1><p>You don't have permission to access this resource on this server.</p></body></html>
`;

export class ArchiveServer {
  readonly requests: ArchiveRequest[] = [];
  private faults: PendingFault[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly zips = new Map<string, Uint8Array>();
  private server: http.Server | null = null;
  private base = '';

  constructor(readonly archive: GeneratedArchive) {}

  get baseUrl(): string {
    return this.base;
  }

  /** Starts listening (port 0: any free port). */
  async listen(port = 0, host = '127.0.0.1'): Promise<this> {
    const server = http.createServer((request, response) => this.handle(request, response));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.base = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    return this;
  }

  /**
   * Serves `fault` instead of the file: for requests of `date` only, or any request when no date
   * is given; `times` requests (default 1; Infinity for every one). Faults apply in the order added.
   */
  inject(fault: ArchiveFault, options: { date?: string; times?: number } = {}): void {
    this.faults.push({ fault, date: options.date ?? null, remaining: options.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Requests that named a day (in either layout). */
  requestsFor(tradeDate: string): number {
    return this.requests.filter((request) => request.tradeDate === tradeDate).length;
  }

  /** Requests by path. */
  countsByPath(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of this.requests) counts.set(request.path, (counts.get(request.path) ?? 0) + 1);
    return counts;
  }

  /** The full URL of a day's file. */
  urlOf(tradeDate: string): string {
    return `${this.base}${this.archive.pathOn(tradeDate)}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy(); // hung requests hold theirs open
    await closed;
  }

  private takeFault(tradeDate: string | null): ArchiveFault | null {
    const pending = this.faults.find((candidate) => candidate.remaining > 0 && (candidate.date === null || candidate.date === tradeDate));
    if (!pending) return null;
    pending.remaining--;
    this.faults = this.faults.filter((candidate) => candidate.remaining > 0);
    return pending.fault;
  }

  private zipOf(tradeDate: string): Uint8Array {
    let zip = this.zips.get(tradeDate);
    if (!zip) {
      zip = this.archive.zipOn(tradeDate);
      if (this.zips.size > 64) this.zips.delete(this.zips.keys().next().value!); // bounded: the bench asks for hundreds
      this.zips.set(tradeDate, zip);
    }
    return zip;
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const pathname = new URL(request.url ?? '/', 'http://archive').pathname;
    if (pathname.startsWith('/_control/')) {
      this.control(pathname, request, response);
      return;
    }
    const named = parseArchivePath(pathname);
    const record: ArchiveRequest = { path: pathname, tradeDate: named?.tradeDate ?? null, outcome: 404 };
    this.requests.push(record);
    const send = (status: number, body: Uint8Array | string, headers: Record<string, string | number> = {}) => {
      record.outcome = status;
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      response.writeHead(status, { 'Content-Length': bytes.length, ...headers });
      response.end(bytes);
    };
    // A file the archive has not got is a 404 whatever faults are pending: faults stand in for a
    // misbehaving server, not for a day that does not exist.
    if (request.method !== 'GET' || !named || !this.archive.has(named.tradeDate) || this.archive.formatOn(named.tradeDate) !== named.format) {
      send(404, HTML_ERROR_PAGE.replace(/Access Denied/g, 'Not Found'), { 'Content-Type': 'text/html' });
      return;
    }
    const fault = this.takeFault(named.tradeDate);
    const zip = this.zipOf(named.tradeDate);
    switch (fault?.kind) {
      case undefined:
        send(200, zip, { 'Content-Type': 'application/zip' });
        return;
      case 'status':
        send(fault.status, `<html><body>Error ${fault.status}</body></html>`, {
          'Content-Type': 'text/html',
          ...(fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {}),
        });
        return;
      case 'hang':
        record.outcome = 'hang';
        return; // the socket stays open until the client gives up or the server closes
      case 'truncated':
        send(200, zip.subarray(0, Math.floor(zip.length / 2)), { 'Content-Type': 'application/zip' });
        return;
      case 'content-type':
        send(200, zip, { 'Content-Type': fault.contentType ?? 'text/plain' });
        return;
      case 'html':
        send(200, HTML_ERROR_PAGE, { 'Content-Type': 'text/html; charset=utf-8' });
        return;
      case 'reset':
        record.outcome = 'reset';
        request.socket.destroy();
        return;
    }
  }

  /** The control API, for runs in another process (Playwright, a terminal). */
  private control(pathname: string, request: http.IncomingMessage, response: http.ServerResponse): void {
    const json = (status: number, value: unknown) => {
      const body = JSON.stringify(value);
      response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      response.end(body);
    };
    if (pathname === '/_control/requests' && request.method === 'GET') {
      json(200, { requests: this.requests.length, byPath: Object.fromEntries(this.countsByPath()) });
      return;
    }
    if (pathname === '/_control/faults' && request.method === 'DELETE') {
      this.clearFaults();
      json(200, { ok: true });
      return;
    }
    if (pathname === '/_control/faults' && request.method === 'POST') {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 10_000) request.destroy();
      });
      request.on('end', () => {
        try {
          const parsed = JSON.parse(body) as { fault: ArchiveFault; date?: string; times?: number | null };
          if (!parsed.fault || typeof parsed.fault.kind !== 'string') throw new Error('a fault needs a kind');
          // JSON has no Infinity: null or a missing count with "always" means every request.
          this.inject(parsed.fault, { date: parsed.date, times: parsed.times === null ? Infinity : parsed.times });
          json(200, { ok: true });
        } catch (error) {
          json(400, { error: (error as Error).message });
        }
      });
      return;
    }
    json(404, { error: 'unknown control path' });
  }
}

/** A loopback archive serving generated bhavcopies, listening. */
export async function startArchiveServer(options: ArchiveServerOptions = {}): Promise<ArchiveServer> {
  return new ArchiveServer(new GeneratedArchive(options)).listen(options.port ?? 0, options.host ?? '127.0.0.1');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      symbols: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '11' },
      from: { type: 'string' },
      to: { type: 'string' },
      holidays: { type: 'string', default: '' },
    },
  });
  const holidays = values.holidays.split(',').map((date) => date.trim()).filter(Boolean);
  const server = await startArchiveServer({
    port: Number(values.port),
    host: values.host,
    symbols: Number(values.symbols),
    seed: Number(values.seed),
    from: values.from,
    to: values.to,
    profile: { ...NSE_PROFILE, holidays },
  });
  process.stdout.write(`${server.baseUrl}\n`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`archive-server: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
