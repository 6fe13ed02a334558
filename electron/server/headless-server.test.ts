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
    const { core } = await startTestCore({ autoStart: false }, {}, (dir) => writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]));
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
    assert.equal((await api.getDays()).length, 1);

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
