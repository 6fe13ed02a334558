// The API contract over a real WebSocket, on a real core.
import assert from 'node:assert/strict';
import { describe, it, after } from 'node:test';
import WebSocket from 'ws';
import { connectWsApi, type WsApiClient, type WebSocketLike } from '../../shared/ws-client';
import { WS_PATH } from '../../shared/ws-protocol';
import { startTestCore } from '../test-support/core';
import { writeDataFolder } from '../test-support/workbooks';
import { startHeadlessServer } from './headless-server';

function client(url: string, headers: Record<string, string> = {}): WsApiClient {
  const api = connectWsApi(new WebSocket(url, { headers }) as unknown as WebSocketLike);
  after(() => api.close());
  return api;
}

function refusal(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      reject(new Error('connection was accepted'));
    });
    socket.on('error', () => undefined);
  });
}

describe('headless server', () => {
  it('serves the contract: calls, pushed events, refused bad input', async () => {
    const { core, dataDir } = await startTestCore({ autoStart: false }, {}, (dir) => writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]));
    const server = await startHeadlessServer({ api: core, port: 0 });
    after(() => server.close());
    assert.equal(server.token, null, 'no token on loopback');
    const api = client(`${server.url.replace('http', 'ws')}${WS_PATH}`);
    await api.opened;

    const status = await api.getStatus();
    assert.equal(status.running, false);
    const pushed = new Promise((resolve) => api.on('snapshot', resolve));
    const report = await api.processNow();
    assert.equal(report.status, 'ok');
    assert.deepEqual(await pushed, report.snapshot);
    assert.equal((await api.getSeries()).length, 1);
    assert.deepEqual((await api.getLatestStocks()).map((s) => [s.symbol, s.status]), [['ITC', 'decline'], ['TCS', 'advance']]);
    assert.equal((await api.getRuns(10))[0]!.status, 'ok');

    await assert.rejects(api.call('setInterval', [0]), { code: 'bad-input', message: 'setInterval: argument 1: must be at least 1 second' });
    await assert.rejects(api.call('setInterval', ['often']), { code: 'bad-input', message: 'setInterval: argument 1: must be a number of seconds' });
    await assert.rejects(api.call('setInterval', []), { code: 'bad-input', message: /^setInterval: / });
    assert.equal((await api.getSeries(undefined)).length, 1, 'an omitted optional argument');
    assert.equal((await api.call('getMovers', [null, 5]) as { gainers: unknown[] }).gainers.length, 1, 'null stands for an omitted argument');
    await assert.rejects(api.call('getMovers', [null, 500]), { code: 'bad-input', message: /^getMovers: argument 2: / });
    await assert.rejects(api.call('getSeries', ['yesterday']), { code: 'bad-input', message: /trade date like 2026-11-20/ });
    await assert.rejects(api.call('updateSettings', [{ intervalSeconds: 5000 }]), { code: 'bad-input', message: 'updateSettings: intervalSeconds: must be at most 3600 seconds (an hour)' });
    await assert.rejects(api.call('updateSettings', [{ colour: 'red' }]), { code: 'bad-input' });
    await assert.rejects(api.call('dropTables', []), { code: 'unknown-method', message: 'Unknown call "dropTables"' });
    assert.equal((await api.getStatus()).intervalSeconds, 3600, 'nothing changed');

    // Not JSON at all: a clear error reply, and the connection stays usable.
    const raw = new WebSocket(`${server.url.replace('http', 'ws')}${WS_PATH}`);
    after(() => raw.close());
    await new Promise((r) => raw.on('open', r));
    const reply = new Promise<string>((r) => raw.once('message', (d) => r(d.toString())));
    raw.send('{nope');
    assert.deepEqual(JSON.parse(await reply), { id: null, ok: false, error: { code: 'bad-input', message: 'Messages must be JSON: {"id", "method", "args"}' } });
    assert.equal((await api.getStatus()).running, false);

    // The day's summary, against the snapshots the cycles reported: more cycles, breadth moving
    // both ways, so that open, high, low and last differ.
    const snapshots = [report.snapshot!];
    const historical: Array<[string, number]> = [['TCS', 100], ['ITC', 50], ['INFY', 20], ['SBIN', 10]];
    for (const live of [[102, 51, 21, 9], [99, 49, 19, 11], [101, 49, 21, 10]]) {
      await writeDataFolder(dataDir, historical, historical.map(([symbol], i) => [symbol, live[i]!]));
      const next = await api.processNow();
      assert.equal(next.status, 'ok', next.message ?? '');
      snapshots.push(next.snapshot!);
    }
    const range = (values: number[]) => ({ open: values[0]!, high: Math.max(...values), low: Math.min(...values), last: values.at(-1)! });
    const ratios = snapshots.map((s) => s.adRatio);
    assert.ok(ratios.every((r) => r !== null), 'every cycle had declines, so every ratio is defined');
    assert.deepEqual(await api.getDays(), [{
      tradeDate: snapshots[0]!.tradeDate,
      snapshots: snapshots.length,
      firstPoll: snapshots[0]!.pollTime,
      lastPoll: snapshots.at(-1)!.pollTime,
      advances: range(snapshots.map((s) => s.advances)),
      declines: range(snapshots.map((s) => s.declines)),
      adDiff: range(snapshots.map((s) => s.adDiff)),
      adRatio: range(ratios as number[]),
    }]);
    assert.equal(new Set(snapshots.map((s) => s.tradeDate)).size, 1, 'one trade date');
    assert.deepEqual(snapshots.map((s) => [s.advances, s.declines]), [[1, 1], [3, 1], [1, 3], [2, 1]], 'the breadth the rewritten Live gave');
  });

  it('refuses browsers from other origins', async () => {
    const { core } = await startTestCore({ autoStart: false });
    const server = await startHeadlessServer({ api: core, port: 0 });
    after(() => server.close());
    const url = `${server.url.replace('http', 'ws')}${WS_PATH}`;
    assert.equal(await refusal(url, { Origin: 'https://evil.example' }), 403);
    assert.equal(await refusal(url, { Origin: 'null' }), 403, 'a file:// page sends "null": refused, not a crash');
    const sameOrigin = client(url, { Origin: server.url });
    assert.equal((await sameOrigin.getStatus()).running, false);
  });

  it('off loopback, requires the access token on every connection', async () => {
    const { core } = await startTestCore({ autoStart: false });
    const server = await startHeadlessServer({ api: core, host: '0.0.0.0', port: 0 });
    after(() => server.close());
    assert.ok(server.token && server.token.length >= 20);
    assert.match(server.dashboardUrl, /\?token=/);
    const port = new URL(server.url).port;
    const base = `ws://127.0.0.1:${port}${WS_PATH}`;
    assert.equal(await refusal(base), 401);
    assert.equal(await refusal(`${base}?token=wrong-token-guess`), 401);
    const api = client(`${base}?token=${encodeURIComponent(server.token!)}`);
    assert.equal((await api.getStatus()).running, false);
  });
});
