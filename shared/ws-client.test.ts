// The browser's WebSocket client keeps itself connected: real ws servers under Node, real
// closes, a real host restarted on the same port, a real server that goes silent.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { startTestCore } from '../electron/test-support/core';
import { startHeadlessServer } from '../electron/server/headless-server';
import { connectWsApi, reconnectDelay, type ConnectionState, type WebSocketLike, type WsApiClient } from './ws-client';
import { WS_PATH } from './ws-protocol';

const FAST = { pingEveryMs: 100, deadAfterMs: 600, baseMs: 50, maxMs: 400 };

function reconnectingClient(url: string, options = FAST): { api: WsApiClient; states: ConnectionState[]; dials: () => number } {
  let dials = 0;
  const api = connectWsApi(() => {
    dials++;
    return new WebSocket(url) as unknown as WebSocketLike;
  }, options);
  const states: ConnectionState[] = [];
  api.onConnection((state, { reconnected }) => states.push(reconnected ? ('reconnected' as ConnectionState) : state));
  after(() => api.close());
  return { api, states, dials: () => dials };
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('reconnect delay', () => {
  it('doubles from the base to the cap, with jitter between half and all of it', () => {
    const at = (attempt: number, r: number) => reconnectDelay(attempt, { baseMs: 500, maxMs: 10_000, random: () => r });
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((a) => at(a, 1)), [500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    assert.deepEqual([0, 1, 5].map((a) => at(a, 0)), [250, 500, 5000]);
    assert.equal(at(1000, 0.5), 7500, 'no overflow after many attempts');
    const spread = new Set(Array.from({ length: 50 }, () => reconnectDelay(3, { baseMs: 500, maxMs: 10_000, random: Math.random })));
    assert.ok(spread.size > 10, 'clients cut off together come back at different times');
  });
});

describe('ws client reconnects', () => {
  it('notices the host going away, refuses calls meanwhile, and comes back when the host restarts on the same port', async () => {
    const { core } = await startTestCore({ autoStart: false });
    let server = await startHeadlessServer({ api: core, port: 0, log: () => undefined });
    const port = Number(new URL(server.url).port);
    after(() => server.close());
    const { api, states } = reconnectingClient(`ws://127.0.0.1:${port}${WS_PATH}`);
    assert.equal((await api.getStatus()).running, false, 'a call made before the first open waits for it');
    assert.deepEqual(states, ['open']);
    const pushed: string[] = [];
    api.on('status', (s) => pushed.push(s.dataDir));

    await server.close();
    await until(() => api.state === 'reconnecting', 'the client to notice');
    await assert.rejects(api.getStatus(), /Not connected to LiveBreadth: reconnecting/);

    server = await startHeadlessServer({ api: core, port, log: () => undefined });
    await until(() => api.state === 'open', 'the client to reconnect');
    assert.deepEqual(states, ['open', 'reconnecting', 'reconnected']);
    await core.start();
    await until(() => pushed.length > 0, 'an event after reconnecting');
    assert.equal((await api.getStatus()).running, true);
  });

  it('treats a silent host as dead: reconnects without waiting for TCP to give up', async () => {
    // A server that accepts and then never says anything (a frozen proxy, a host stuck in a loop).
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    after(() => {
      for (const socket of wss.clients) socket.terminate();
      return new Promise((r) => wss.close(r));
    });
    let connections = 0;
    wss.on('connection', () => connections++);
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as AddressInfo).port;
    const { api, states } = reconnectingClient(`ws://127.0.0.1:${port}`);
    await api.opened;
    await until(() => connections >= 2, 'a second connection after the first went silent');
    assert.deepEqual(states.slice(0, 2), ['open', 'reconnecting']);
  });

  it('keeps a connection that the host answers, however long it is quiet otherwise', async () => {
    const { core } = await startTestCore({ autoStart: false });
    const lines: string[] = [];
    const server = await startHeadlessServer({ api: core, port: 0, log: (l) => lines.push(l) });
    after(() => server.close());
    let connections = 0;
    // Pings 15 times per dead-after window: only a host that stopped answering looks dead.
    const options = { ...FAST, deadAfterMs: 1_500 };
    const { api, states, dials } = reconnectingClient(`${server.url.replace('http', 'ws')}${WS_PATH}`, options);
    await api.opened;
    connections = dials();
    // Three dead-after windows with no calls and no events: the pongs keep it alive.
    await new Promise((r) => setTimeout(r, options.deadAfterMs * 3));
    assert.equal(dials(), connections);
    assert.deepEqual(states, ['open']);
    assert.equal((await api.getStatus()).running, false);
  });

  it('keeps trying while nothing listens, and connects when the host appears', async () => {
    const probe = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => probe.once('listening', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const { api, dials } = reconnectingClient(`ws://127.0.0.1:${port}${WS_PATH}`);
    const status = api.getStatus();
    await until(() => dials() >= 3, 'several attempts');
    assert.equal(api.state, 'connecting');
    const { core } = await startTestCore({ autoStart: false });
    const server = await startHeadlessServer({ api: core, port, log: () => undefined });
    after(() => server.close());
    assert.equal((await status).running, false);
  });

  it('a single socket (no factory) does not reconnect', async () => {
    const { core } = await startTestCore({ autoStart: false });
    const server = await startHeadlessServer({ api: core, port: 0, log: () => undefined });
    const api = connectWsApi(new WebSocket(`${server.url.replace('http', 'ws')}${WS_PATH}`) as unknown as WebSocketLike);
    await api.getStatus();
    await server.close();
    await until(() => api.state === 'closed', 'closed');
    await assert.rejects(api.getStatus(), /closed/);
  });
});

describe('ws client calls', () => {
  it('sends an argument given as undefined as omitted, so the host does not count it', async () => {
    const { core } = await startTestCore({ autoStart: false });
    const server = await startHeadlessServer({ api: core, port: 0, log: () => undefined });
    after(() => server.close());
    const api = connectWsApi(new WebSocket(`${server.url.replace('http', 'ws')}${WS_PATH}`) as unknown as WebSocketLike);
    after(() => api.close());
    // A wrapper that forwards its optional arguments passes undefined for those left out.
    const getStatus = api.getStatus as (...args: unknown[]) => ReturnType<WsApiClient['getStatus']>;
    assert.equal((await getStatus(undefined)).running, false);
    assert.deepEqual(await api.getRuns(undefined, undefined), []);
  });
});
