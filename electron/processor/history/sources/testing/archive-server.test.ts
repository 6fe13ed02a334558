// The loopback archive itself: what it serves, that days chain, its faults and counts, and its CLI.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { parseBhavcopy } from '../../../../../shared/history/bhavcopy';
import { NSE_PROFILE } from '../../../../../shared/market-calendar';
import { csvTextOf } from '../bhavcopy-file';
import { startArchiveServer, type ArchiveServer } from './archive-server';
import { GeneratedArchive } from './generated-archive';

const servers: ArchiveServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));
async function start(options: Parameters<typeof startArchiveServer>[0] = {}): Promise<ArchiveServer> {
  const server = await startArchiveServer({ symbols: 50, from: '2024-06-24', to: '2024-07-19', ...options });
  servers.push(server);
  return server;
}

async function get(url: string): Promise<{ status: number; type: string | null; body: Buffer; retryAfter: string | null }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()), retryAfter: response.headers.get('retry-after') };
}

describe('the loopback archive', () => {
  it('serves classic zips up to 5 July 2024 and UDiFF after, under NSE\'s paths; 404 otherwise', async () => {
    const server = await start({ profile: { ...NSE_PROFILE, holidays: ['2024-07-17'] } });
    const classic = await get(`${server.baseUrl}/content/historical/EQUITIES/2024/JUL/cm05JUL2024bhav.csv.zip`);
    assert.equal(classic.status, 200);
    assert.equal(classic.type, 'application/zip');
    assert.equal(parseBhavcopy(csvTextOf(classic.body, 'classic')).format, 'classic');
    const udiff = await get(`${server.baseUrl}/content/cm/BhavCopy_NSE_CM_0_0_0_20240708_F_0000.csv.zip`);
    assert.equal(parseBhavcopy(csvTextOf(udiff.body, 'udiff')).format, 'udiff');
    for (const missing of [
      '/content/cm/BhavCopy_NSE_CM_0_0_0_20240706_F_0000.csv.zip', // a Saturday
      '/content/cm/BhavCopy_NSE_CM_0_0_0_20240717_F_0000.csv.zip', // a holiday
      '/content/cm/BhavCopy_NSE_CM_0_0_0_20240705_F_0000.csv.zip', // the wrong layout for the day
      '/content/historical/EQUITIES/2024/JUL/cm08JUL2024bhav.csv.zip',
      '/content/cm/BhavCopy_NSE_CM_0_0_0_20250102_F_0000.csv.zip', // outside its range
      '/robots.txt',
    ]) {
      assert.equal((await get(`${server.baseUrl}${missing}`)).status, 404, missing);
    }
    assert.equal(server.requestsFor('2024-07-17'), 1);
    assert.equal(server.countsByPath().get('/robots.txt'), 1);
  });

  it('generates days that chain: each previous close is the session before\'s close', () => {
    const archive = new GeneratedArchive({ symbols: 500, from: '2024-07-01', to: '2024-07-12' });
    const [first, ...rest] = archive.sessions;
    let previous = archive.rowsOn(first!);
    for (const date of rest) {
      const rows = archive.rowsOn(date);
      rows.forEach((row, i) => assert.equal(row.prevClose, previous[i]!.close, `${date} ${row.symbol}`));
      previous = rows;
    }
    // Breadth moves: not every day is all advances or all declines, and some stocks are unchanged.
    const day = archive.rowsOn('2024-07-10');
    const up = day.filter((row) => row.close! > row.prevClose!).length;
    const unchanged = day.filter((row) => row.close === row.prevClose).length;
    assert.ok(up > 50 && up < 450 && unchanged > 0, `up ${up}, unchanged ${unchanged}`);
    assert.deepEqual(new Set(day.map((row) => row.series)), new Set(['EQ', 'BE']));
  });

  it('walks: closes wander further from where they started as sessions pass', () => {
    const archive = new GeneratedArchive({ symbols: 400, from: '2024-01-01', to: '2024-04-30' });
    const start = archive.rowsOn(archive.sessions[0]!);
    const spread = (date: string) => {
      const rows = archive.rowsOn(date);
      return rows.reduce((sum, row, i) => sum + Math.abs(Math.log(row.close! / start[i]!.prevClose!)), 0) / rows.length;
    };
    const [dayOne, dayEighty] = [spread(archive.sessions[0]!), spread(archive.sessions[79]!)];
    assert.ok(dayEighty > 4 * dayOne, `mean |log move| after 1 session ${dayOne.toFixed(4)}, after 80 ${dayEighty.toFixed(4)}`);
  });

  it('gives the same bytes for the same seed, and other figures for another seed', () => {
    const options = { symbols: 100, from: '2024-07-01', to: '2024-07-12' };
    const a = new GeneratedArchive({ ...options, seed: 5 });
    const b = new GeneratedArchive({ ...options, seed: 5 });
    assert.deepEqual(a.zipOn('2024-07-11'), b.zipOn('2024-07-11'));
    assert.notDeepEqual(new GeneratedArchive({ ...options, seed: 6 }).rowsOn('2024-07-11'), a.rowsOn('2024-07-11'));
  });

  it('injects faults for a date or any request, as many times as asked, in order', async () => {
    const server = await start();
    const url = server.urlOf('2024-07-10');
    server.inject({ kind: 'status', status: 429, retryAfter: '3' }, { date: '2024-07-10', times: 2 });
    server.inject({ kind: 'html' });
    assert.deepEqual([(await get(server.urlOf('2024-07-09'))).type], ['text/html; charset=utf-8']); // the date-less fault
    const limited = await get(url);
    assert.deepEqual([limited.status, limited.retryAfter], [429, '3']);
    assert.equal((await get(url)).status, 429);
    assert.equal((await get(url)).status, 200);
    server.inject({ kind: 'truncated' });
    const cut = await get(url);
    assert.deepEqual([cut.status, cut.body.length], [200, Math.floor(server.archive.zipOn('2024-07-10').length / 2)]);
    server.inject({ kind: 'content-type' });
    assert.equal((await get(url)).type, 'text/plain');
    server.inject({ kind: 'reset' });
    await assert.rejects(fetch(url), /fetch failed/);
    server.inject({ kind: 'status', status: 500 }, { times: Infinity });
    for (let i = 0; i < 3; i++) assert.equal((await get(url)).status, 500);
    server.clearFaults();
    assert.equal((await get(url)).status, 200);
    assert.deepEqual(server.requests.filter((request) => request.tradeDate === '2024-07-10').map((request) => request.outcome), [429, 429, 200, 200, 200, 'reset', 500, 500, 500, 200]);
    assert.equal(server.countsByPath().get(server.archive.pathOn('2024-07-10')), 10);
  });

  it('holds a hung request until the client gives up, and still closes', async () => {
    const server = await startArchiveServer({ symbols: 5, from: '2024-07-01', to: '2024-07-05' });
    server.inject({ kind: 'hang' });
    await assert.rejects(fetch(server.urlOf('2024-07-05'), { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' });
    server.inject({ kind: 'hang' });
    const pending = fetch(server.urlOf('2024-07-05')).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close(); // would wait for ever if hung sockets were left open
    assert.ok((await pending) instanceof Error);
  });

  it('takes faults and reports counts over its control API', async () => {
    const server = await start();
    const post = await fetch(`${server.baseUrl}/_control/faults`, { method: 'POST', body: JSON.stringify({ fault: { kind: 'status', status: 503 }, date: '2024-07-11', times: null }) });
    assert.equal(post.status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await get(server.urlOf('2024-07-11'))).status, 503);
    assert.equal((await fetch(`${server.baseUrl}/_control/faults`, { method: 'POST', body: '{}' })).status, 400);
    await fetch(`${server.baseUrl}/_control/faults`, { method: 'DELETE' });
    assert.equal((await get(server.urlOf('2024-07-11'))).status, 200);
    const counts = (await (await fetch(`${server.baseUrl}/_control/requests`)).json()) as { requests: number; byPath: Record<string, number> };
    assert.deepEqual(counts, { requests: 3, byPath: { [server.archive.pathOn('2024-07-11')]: 3 } });
  });

  it('starts from the command line, prints its base URL, and stops on SIGTERM', async () => {
    const script = path.join(import.meta.dirname, 'archive-server.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--port', '0', '--symbols', '30', '--from', '2024-07-01', '--to', '2024-07-31', '--holidays', '2024-07-17'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const [line] = await Promise.race([
      (async () => {
        for await (const text of createInterface({ input: child.stdout })) return [text];
        return [''];
      })(),
      exited.then((code) => [`exited ${code}`]),
    ]);
    assert.match(line!, /^http:\/\/127\.0\.0\.1:\d+$/);
    const day = await get(`${line}/content/cm/BhavCopy_NSE_CM_0_0_0_20240730_F_0000.csv.zip`);
    assert.equal(parseBhavcopy(csvTextOf(day.body, 'cli')).rows.length, 30);
    assert.equal((await get(`${line}/content/cm/BhavCopy_NSE_CM_0_0_0_20240717_F_0000.csv.zip`)).status, 404);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
