// NseArchiveSource against the loopback archive (a real HTTP server, real files, Node's own fetch).
// Backoff, Retry-After, timeouts, the rate limit and the breaker run on a SimulatedClock that the
// tests move; the request itself is real I/O, so the tests wait (in real time) for each request to
// reach the server or for the next timer to be set before moving the clock.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { SimulatedClock } from '../../../core/clock/simulated-clock';
import { sha256 } from './bhavcopy-file';
import { NseArchiveSource, type NseArchiveOptions } from './nse-archive-source';
import { SourceError, type FetchOutcome } from './source';
import { startArchiveServer, type ArchiveServer } from './testing/archive-server';
import { waitFor } from './testing/wait-for';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nse-archive-'));
  dirs.push(dir);
  return dir;
};

let server: ArchiveServer;
let clock: SimulatedClock;
beforeEach(async () => {
  server = await startArchiveServer({ symbols: 60, from: '2024-06-03', to: '2024-08-30', missing: ['2024-07-03', '2024-08-14'] });
  clock = new SimulatedClock('2024-08-01T10:00:00Z'); // 15:30 IST
});
afterEach(() => server.close());

/** A source on the loopback archive and the simulated clock; jitter fixed at the middle. */
function source(options: Partial<NseArchiveOptions> = {}): NseArchiveSource {
  return new NseArchiveSource({ baseUrl: server.baseUrl, cacheDir: tempDir(), clock, random: () => 0.5, rateLimitPerSecond: Infinity, ...options });
}

const found = (outcome: FetchOutcome) => {
  assert.equal(outcome.kind, 'found', outcome.kind === 'not-published' ? outcome.detail : '');
  return outcome as Extract<FetchOutcome, { kind: 'found' }>;
};

/** Waits until the server has seen `count` requests and the clock holds exactly `timers`. */
async function settle(count: number, timers: number[]): Promise<void> {
  await waitFor(() => server.requests.length === count && JSON.stringify(clock.pendingTimers()) === JSON.stringify(timers), `${count} requests and timers ${JSON.stringify(timers)} (have ${server.requests.length}, ${JSON.stringify(clock.pendingTimers())})`);
}

describe('NseArchiveSource: answers', () => {
  it('fetches a classic day and a UDiFF day from the archive\'s own paths, rows as published', async () => {
    const nse = source();
    for (const date of ['2024-07-05', '2024-07-08']) {
      const outcome = found(await nse.fetchDay(date));
      assert.equal(outcome.source, 'nse');
      assert.equal(outcome.fromCache, false);
      assert.equal(outcome.bhavcopy.format, date === '2024-07-05' ? 'classic' : 'udiff');
      assert.equal(outcome.bhavcopy.tradeDate, date);
      assert.deepEqual(outcome.bhavcopy.rows, server.archive.rowsOn(date));
      assert.equal(outcome.contentHash, sha256(server.archive.csvOn(date)));
      assert.equal(outcome.bytes, server.archive.zipOn(date).length);
    }
    assert.deepEqual(server.requests.map((request) => [request.path, request.outcome]), [
      ['/content/historical/EQUITIES/2024/JUL/cm05JUL2024bhav.csv.zip', 200],
      ['/content/cm/BhavCopy_NSE_CM_0_0_0_20240708_F_0000.csv.zip', 200],
    ]);
  });

  it('records a 404 on a trading day as not published, asked once and not retried', async () => {
    const outcome = await source().fetchDay('2024-08-14');
    assert.deepEqual(outcome, { kind: 'not-published', source: 'nse', detail: "NSE's archive has no bhavcopy for 2024-08-14 (HTTP 404)" });
    assert.equal(server.requestsFor('2024-08-14'), 1);
  });

  it('tries the UDiFF path for a 2024 classic-era day the classic path does not have', async () => {
    const outcome = await source().fetchDay('2024-07-03');
    assert.equal(outcome.kind, 'not-published');
    assert.deepEqual(server.requests.map((request) => request.path), [
      '/content/historical/EQUITIES/2024/JUL/cm03JUL2024bhav.csv.zip',
      '/content/cm/BhavCopy_NSE_CM_0_0_0_20240703_F_0000.csv.zip',
    ]);
  });
});

describe('NseArchiveSource: retries', () => {
  it('retries a 500 with exponential backoff and jitter, then succeeds', async () => {
    server.inject({ kind: 'status', status: 500 }, { times: 2 });
    const fetching = source({ backoffBaseMs: 1000 }).fetchDay('2024-08-13');
    await settle(1, [750]); // 1 s step, jitter 0.5: half the step plus half of the other half
    clock.advance(750);
    await settle(2, [1500]); // doubled
    clock.advance(1500);
    assert.equal(found(await fetching).bhavcopy.tradeDate, '2024-08-13');
    assert.deepEqual(server.requests.map((request) => request.outcome), [500, 500, 200]);
  });

  it('waits exactly as long as a 429\'s Retry-After (seconds) asks', async () => {
    server.inject({ kind: 'status', status: 429, retryAfter: '7' });
    const fetching = source().fetchDay('2024-08-13');
    await settle(1, [7000]);
    clock.advance(6999);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(server.requests.length, 1, 'no retry before Retry-After has passed');
    clock.advance(1);
    found(await fetching);
    assert.deepEqual(server.requests.map((request) => request.outcome), [429, 200]);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    server.inject({ kind: 'status', status: 503, retryAfter: new Date(clock.now().getTime() + 12_000).toUTCString() });
    const fetching = source().fetchDay('2024-08-13');
    await settle(1, [12_000]);
    clock.advance(12_000);
    found(await fetching);
  });

  it('fails the day at once when Retry-After asks for longer than the maximum', async () => {
    server.inject({ kind: 'status', status: 429, retryAfter: '3600' });
    await assert.rejects(source().fetchDay('2024-08-13'), /^SourceError: nse: 2024-08-13: HTTP 429 Too Many Requests, and the archive asks to wait 3600 s, longer than 120 s$/);
    assert.equal(server.requests.length, 1);
  });

  it('gives up after the configured retries with one line saying why', async () => {
    server.inject({ kind: 'status', status: 502 }, { times: Infinity });
    const fetching = source({ retries: 2 }).fetchDay('2024-08-13');
    const failed = assert.rejects(fetching, (error: Error) => {
      assert.ok(error instanceof SourceError);
      assert.equal(error.message, 'nse: 2024-08-13: HTTP 502 Bad Gateway (3 attempts)');
      return true;
    });
    await settle(1, [750]);
    clock.advance(750);
    await settle(2, [1500]);
    clock.advance(1500);
    await failed;
    assert.equal(server.requests.length, 3);
  });

  it('abandons a request that hangs past the timeout, and retries it', async () => {
    server.inject({ kind: 'hang' });
    const fetching = source({ timeoutMs: 30_000 }).fetchDay('2024-08-13');
    await settle(1, [30_000]);
    clock.advance(30_000);
    await settle(1, [750]);
    clock.advance(750);
    found(await fetching);
    assert.deepEqual(server.requests.map((request) => request.outcome), ['hang', 200]);
  });

  it('times out a hung request on the real clock too', async () => {
    server.inject({ kind: 'hang' });
    const started = Date.now();
    const nse = new NseArchiveSource({ baseUrl: server.baseUrl, cacheDir: tempDir(), timeoutMs: 300, retries: 0 });
    await assert.rejects(nse.fetchDay('2024-08-13'), /^SourceError: nse: 2024-08-13: no answer within 0\.3 s$/);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });

  it('retries a dropped connection as a network error', async () => {
    server.inject({ kind: 'reset' });
    const fetching = source().fetchDay('2024-08-13');
    await settle(1, [750]);
    clock.advance(750);
    found(await fetching);
    assert.deepEqual(server.requests.map((request) => request.outcome), ['reset', 200]);
  });

  it('retries a truncated zip, and names it when it stays truncated; nothing is cached', async () => {
    server.inject({ kind: 'truncated' }, { times: Infinity });
    const nse = source({ retries: 1 });
    const failing = assert.rejects(nse.fetchDay('2024-08-13'), /^SourceError: nse: 2024-08-13: the download is not a readable zip \(truncated or corrupt\) \(2 attempts\)$/);
    await settle(1, [750]);
    clock.advance(750);
    await failing;
    server.clearFaults();
    assert.equal(found(await nse.fetchDay('2024-08-13')).fromCache, false, 'the truncated file was not kept');
  });

  it('refuses a wrong content type at once, without retrying or caching', async () => {
    server.inject({ kind: 'content-type', contentType: 'application/json' });
    const cacheDir = tempDir();
    await assert.rejects(source({ cacheDir }).fetchDay('2024-08-13'), /^SourceError: nse: 2024-08-13: the archive sent application\/json where a zip was expected$/);
    assert.equal(server.requests.length, 1);
    assert.deepEqual(readdirSync(cacheDir), []);
  });

  it('refuses an HTML page sent with status 200 at once, naming it', async () => {
    server.inject({ kind: 'html' });
    await assert.rejects(source().fetchDay('2024-08-13'), /^SourceError: nse: 2024-08-13: the archive sent a web page instead of the bhavcopy \(HTTP 200, text\/html\)$/);
    assert.equal(server.requests.length, 1);
  });

  it('stops at once when the caller cancels during a backoff, without another request', async () => {
    server.inject({ kind: 'status', status: 500 });
    const controller = new AbortController();
    const fetching = source().fetchDay('2024-08-13', controller.signal);
    await settle(1, [750]);
    controller.abort();
    await assert.rejects(fetching, { name: 'AbortError' });
    assert.deepEqual(clock.pendingTimers(), []);
    clock.advance(10_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(server.requests.length, 1);
  });
});

describe('NseArchiveSource: rate limit and circuit breaker', () => {
  it('starts requests at most rateLimitPerSecond apart', async () => {
    const nse = source({ rateLimitPerSecond: 2 });
    found(await nse.fetchDay('2024-08-12'));
    const second = nse.fetchDay('2024-08-13');
    await settle(1, [500]);
    clock.advance(499);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(server.requests.length, 1);
    clock.advance(1);
    found(await second);
    clock.advance(2000); // a pause longer than the interval: the next request goes at once
    found(await nse.fetchDay('2024-08-16'));
    assert.equal(server.requests.length, 3);
  });

  it('opens after 5 failed requests in a row, fails fast saying when it resumes (IST), closes after 60 s', async () => {
    server.inject({ kind: 'status', status: 500 }, { times: Infinity });
    const nse = source({ retries: 0 });
    const days = ['2024-08-05', '2024-08-06', '2024-08-07', '2024-08-08', '2024-08-09'];
    for (const day of days) await assert.rejects(nse.fetchDay(day), /HTTP 500 Internal Server Error$/);
    assert.equal(nse.breakerState, 'open');
    const refusal = /^SourceError: nse: 2024-08-12: NSE's archive paused after 5 failed requests in a row \(last: HTTP 500 Internal Server Error\); it resumes at 15:31:00 IST$/;
    await assert.rejects(nse.fetchDay('2024-08-12'), refusal);
    clock.advance(59_999);
    await assert.rejects(nse.fetchDay('2024-08-12'), refusal);
    assert.equal(server.requests.length, 5, 'no request while open');
    server.clearFaults();
    clock.advance(1);
    found(await nse.fetchDay('2024-08-12')); // the trial request
    assert.equal(nse.breakerState, 'closed');
    found(await nse.fetchDay('2024-08-13'));
    assert.equal(server.requests.length, 7);
  });

  it('counts the failures of retries too, and a failed trial opens it again for 60 s', async () => {
    server.inject({ kind: 'status', status: 503 }, { times: Infinity });
    const nse = source({ retries: 3, backoffBaseMs: 100 });
    const first = assert.rejects(nse.fetchDay('2024-08-05'), /HTTP 503 Service Unavailable \(4 attempts\)$/);
    for (const [count, wait] of [[1, 75], [2, 150], [3, 300]] as const) {
      await settle(count, [wait]);
      clock.advance(wait);
    }
    await first;
    // The fifth failure opens it: that day fails with its own reason at once, without a backoff…
    await assert.rejects(nse.fetchDay('2024-08-06'), /^SourceError: nse: 2024-08-06: HTTP 503 Service Unavailable$/);
    assert.deepEqual(clock.pendingTimers(), []);
    // …and the next is refused without a request.
    await assert.rejects(nse.fetchDay('2024-08-07'), /paused after 5 failed requests in a row .* resumes at 15:31:00 IST$/);
    assert.equal(server.requests.length, 5);
    clock.advance(60_000);
    await assert.rejects(nse.fetchDay('2024-08-07'), /HTTP 503 Service Unavailable$/); // the trial fails…
    assert.equal(server.requests.length, 6);
    await assert.rejects(nse.fetchDay('2024-08-07'), /paused after 6 failed requests in a row .* resumes at 15:32:00 IST$/); // …and it is open again
    assert.equal(server.requests.length, 6);
  });

  it('treats a 404 as an answer: it does not count towards opening', async () => {
    server.inject({ kind: 'status', status: 500 }, { times: 4 });
    const nse = source({ retries: 0 });
    for (const day of ['2024-08-05', '2024-08-06', '2024-08-07', '2024-08-08']) await assert.rejects(nse.fetchDay(day));
    assert.equal((await nse.fetchDay('2024-08-14')).kind, 'not-published');
    server.inject({ kind: 'status', status: 500 }, { times: 4 });
    for (const day of ['2024-08-05', '2024-08-06', '2024-08-07', '2024-08-08']) await assert.rejects(nse.fetchDay(day));
    assert.equal(nse.breakerState, 'closed');
  });
});

describe('NseArchiveSource: the download cache', () => {
  it('never downloads a cached day again, also from a new source on the same folder', async () => {
    const cacheDir = tempDir();
    const first = found(await source({ cacheDir }).fetchDay('2024-07-05'));
    assert.deepEqual(readdirSync(cacheDir), ['2024-07-05.classic.csv.zip']);
    const again = found(await source({ cacheDir }).fetchDay('2024-07-05'));
    assert.equal(again.fromCache, true);
    assert.deepEqual(again.bhavcopy, first.bhavcopy);
    assert.equal(again.contentHash, first.contentHash);
    assert.equal(server.requestsFor('2024-07-05'), 1);
  });

  it('serves a cached day while the breaker is open', async () => {
    const nse = source({ retries: 0 });
    found(await nse.fetchDay('2024-08-12'));
    server.inject({ kind: 'status', status: 500 }, { times: Infinity });
    for (const day of ['2024-08-05', '2024-08-06', '2024-08-07', '2024-08-08', '2024-08-09']) await assert.rejects(nse.fetchDay(day));
    assert.equal(found(await nse.fetchDay('2024-08-12')).fromCache, true);
  });

  for (const [damage, spoil] of [
    ['cut off', (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1)],
    ['with a byte changed (CRC)', (bytes: Buffer) => {
      const copy = Buffer.from(bytes);
      copy.writeUInt32LE((copy.readUInt32LE(14) ^ 0x10) >>> 0, 14);
      return copy;
    }],
    ['holding another day', () => Buffer.from(server.archive.zipOn('2024-08-12'))],
  ] as const) {
    it(`deletes a cache file ${damage} and fetches the day again`, async () => {
      const cacheDir = tempDir();
      found(await source({ cacheDir }).fetchDay('2024-08-13'));
      const file = path.join(cacheDir, '2024-08-13.udiff.csv.zip');
      writeFileSync(file, spoil(readFileSync(file)));
      const outcome = found(await source({ cacheDir }).fetchDay('2024-08-13'));
      assert.equal(outcome.fromCache, false);
      assert.deepEqual(outcome.bhavcopy.rows, server.archive.rowsOn('2024-08-13'));
      assert.equal(server.requestsFor('2024-08-13'), 2);
      assert.deepEqual(readFileSync(file), Buffer.from(server.archive.zipOn('2024-08-13')), 'the cache holds the good file again');
    });
  }

  it('ignores a temp file left by a write that was killed', async () => {
    const cacheDir = tempDir();
    writeFileSync(path.join(cacheDir, '2024-08-13.udiff.csv.zip.3870589452'), Buffer.from(server.archive.zipOn('2024-08-13')).subarray(0, 100));
    assert.equal(found(await source({ cacheDir }).fetchDay('2024-08-13')).fromCache, false);
    assert.ok(existsSync(path.join(cacheDir, '2024-08-13.udiff.csv.zip')));
  });
});
