// The headless host against hostile and broken clients, over real sockets on 127.0.0.1: bad
// frames, oversized messages, DNS rebinding, clients that stop reading or vanish.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { connectWsApi, type WebSocketLike, type WsApiClient } from '../../shared/ws-client';
import { WS_MAX_MESSAGE_BYTES, WS_PATH } from '../../shared/ws-protocol';
import { startTestCore } from '../test-support/core';
import { writeDataFolder, tempDir } from '../test-support/workbooks';
import { startHeadlessServer, type HeadlessServerOptions } from './headless-server';
import { frame, rawUpgrade, readTextFrames, textFrame } from './raw-ws';

async function host(extra: Partial<HeadlessServerOptions> = {}, prepare?: (dir: string) => Promise<void>) {
  const { core } = await startTestCore({ autoStart: false }, {}, prepare);
  const lines: string[] = [];
  const server = await startHeadlessServer({ api: core, port: 0, log: (line) => lines.push(line), ...extra });
  after(() => server.close());
  const port = Number(new URL(server.url).port);
  return { core, server, port, lines, wsUrl: `ws://127.0.0.1:${port}${WS_PATH}` };
}

function client(url: string): WsApiClient {
  const api = connectWsApi(new WebSocket(url) as unknown as WebSocketLike);
  after(() => api.close());
  return api;
}

/** Resolves when a log line matches, or fails after a generous wait. */
async function logged(lines: string[], pattern: RegExp, ms = 30_000): Promise<string> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const line = lines.find((l) => pattern.test(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no log line like ${pattern} in ${ms} ms: ${JSON.stringify(lines)}`);
}

function httpGet(port: number, headers: Record<string, string>, urlPath = '/'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

const close = (code: number, reason = '') => {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code);
  payload.write(reason, 2);
  return payload;
};

describe('headless host under attack', () => {
  it('survives every kind of malformed frame: only that connection closes, others keep working', async () => {
    const { port, wsUrl, lines } = await host();
    const bystander = client(wsUrl);
    assert.equal((await bystander.getStatus()).running, false);
    const cases: Array<[string, Buffer[]]> = [
      ['bad opcode', [frame({ opcode: 0x3, payload: 'x' })]],
      ['unmasked client frame', [frame({ opcode: 1, payload: '{"id":1,"method":"getStatus"}', mask: false })]],
      ['reserved bits', [frame({ opcode: 1, payload: '{}', rsv: 0b100 })]],
      ['bad UTF-8 in a text frame', [frame({ opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) })]],
      ['fragmented control frame', [frame({ opcode: 0x9, payload: 'hi', fin: false })]],
      ['oversized control frame', [frame({ opcode: 0x9, payload: Buffer.alloc(126, 1) })]],
      ['invalid close code', [frame({ opcode: 0x8, payload: close(999) })]],
      ['reserved close code 1005', [frame({ opcode: 0x8, payload: close(1005) })]],
      ['close with a 1-byte payload', [frame({ opcode: 0x8, payload: Buffer.from([3]) })]],
      ['continuation without a start', [frame({ opcode: 0x0, payload: 'x' })]],
      ['a new message inside a fragmented one', [frame({ opcode: 1, payload: '{"id"', fin: false }), frame({ opcode: 1, payload: ':1}' })]],
      ['64-bit length with the top bit set', [frame({ opcode: 2, claimedLength: 1n << 63n })]],
      ['declared length over the limit', [frame({ opcode: 1, claimedLength: WS_MAX_MESSAGE_BYTES + 1 })]],
      ['truncated frame, then the client hangs up', [frame({ opcode: 1, payload: 'abc', claimedLength: 100 }).subarray(0, 12)]],
      ['truncated header', [Buffer.from([0x81])]],
    ];
    for (const [name, bytes] of cases) {
      const raw = await rawUpgrade(port, WS_PATH);
      assert.equal(raw.status, 101, name);
      for (const b of bytes) raw.socket.write(b);
      if (name.startsWith('truncated')) raw.socket.end();
      else {
        // The host answers with a close frame naming the fault; a client then hangs up.
        const until = Date.now() + 30_000;
        while (readTextFrames(raw.received()).close === null && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
        const code = readTextFrames(raw.received()).close?.code;
        assert.ok(code === 1002 || code === 1007 || code === 1009, `${name}: close code ${code}`);
        raw.socket.end();
      }
      await raw.closed; // the host ends this connection …
      assert.equal((await bystander.getStatus()).running, false, `… and still serves the others after: ${name}`);
    }
    assert.ok(lines.length >= cases.length - 3, `a log line per refused connection: ${lines.join('\n')}`);
  });

  it('admits the contract\'s largest call; a bigger message closes only its own connection, with 1009', async () => {
    const { wsUrl, lines } = await host();
    const api = client(wsUrl);
    await api.opened;
    // 1,000,000 characters that JSON escapes to 6 bytes each: the worst valid importHolidays.
    const worst = '\u0001'.repeat(1_000_000);
    await assert.rejects(api.importHolidays('holidays.csv', worst), { code: 'bad-input' });
    assert.equal((await api.getStatus()).running, false, 'the same connection answers on');

    const big = new WebSocket(wsUrl);
    big.on('error', () => undefined);
    await new Promise((r) => big.on('open', r));
    const closed = new Promise<number>((r) => big.on('close', (code) => r(code)));
    big.send(JSON.stringify({ id: 1, method: 'importHolidays', args: ['h.csv', 'x'.repeat(WS_MAX_MESSAGE_BYTES)] }));
    assert.equal(await closed, 1009);
    assert.match(await logged(lines, /over \d+ bytes/), /closed the connection from 127\.0\.0\.1:\d+: a message over 8388608 bytes/);
    assert.equal((await api.getStatus()).running, false);

    // The client refuses to send what the host would refuse to read, with a clear reason.
    await assert.rejects(api.call('importHolidays', ['h.csv', 'x'.repeat(WS_MAX_MESSAGE_BYTES)]), { code: 'bad-input', message: /too large to send/ });
    assert.equal((await api.getStatus()).running, false);
  });

  it('refuses a rebound DNS name on loopback, for the WebSocket and for HTTP', async () => {
    const { port, wsUrl } = await host({ staticDir: await staticDir() });
    const evil = { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` };
    const upgrade = await rawUpgrade(port, WS_PATH, evil);
    assert.equal(upgrade.status, 421);
    upgrade.socket.destroy();
    assert.equal((await rawUpgrade(port, WS_PATH, { Host: `evil.example:${port}` })).status, 421, 'without an Origin too');
    const page = await httpGet(port, { Host: `evil.example:${port}` });
    assert.equal(page.status, 421);
    assert.match(page.body, /^LiveBreadth answers only to localhost/);
    assert.doesNotMatch(page.body, /<html/i);

    for (const name of ['localhost', '127.0.0.1']) {
      const ok = await rawUpgrade(port, WS_PATH, { Host: `${name}:${port}`, Origin: `http://${name}:${port}` });
      assert.equal(ok.status, 101, name);
      ok.socket.destroy();
      assert.equal((await httpGet(port, { Host: `${name}:${port}` })).status, 200, name);
    }
    assert.equal((await client(wsUrl).getStatus()).running, false);
  });

  it('off loopback, a valid token admits any host name; the page sets a cookie so its assets load', async () => {
    const { port, server } = await host({ host: '0.0.0.0', staticDir: await staticDir() });
    const token = server.token!;
    assert.equal((await rawUpgrade(port, `${WS_PATH}?token=${token}`, { Host: `trader-pc.local:${port}` })).status, 101);
    assert.equal((await rawUpgrade(port, WS_PATH, { Host: `trader-pc.local:${port}` })).status, 401);
    assert.equal((await httpGet(port, { Host: `trader-pc.local:${port}` }, '/app.js')).status, 421, 'no token, unknown name');
    const page = await httpGet(port, { Host: `trader-pc.local:${port}` }, `/?token=${token}`);
    assert.equal(page.status, 200);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    assert.match(String(page.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
    assert.equal((await httpGet(port, { Host: `trader-pc.local:${port}`, Cookie: cookie }, '/app.js')).status, 200);
    assert.equal((await rawUpgrade(port, WS_PATH, { Host: `trader-pc.local:${port}`, Cookie: cookie })).status, 401, 'the cookie does not open the API');
  });

  it('every HTTP response carries the CSP (no framing, connections to itself only) and X-Frame-Options', async () => {
    const { port } = await host({ staticDir: await staticDir() });
    for (const [urlPath, hostName] of [['/', '127.0.0.1'], ['/app.js', 'localhost'], ['/missing.png', '127.0.0.1'], ['/', 'evil.example']] as const) {
      const res = await httpGet(port, { Host: `${hostName}:${port}` }, urlPath);
      assert.equal(res.headers['x-frame-options'], 'DENY', urlPath);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /frame-ancestors 'none'/, urlPath);
      assert.match(csp, new RegExp(`connect-src 'self' ws://${hostName.replace(/\./g, '\\.')}:${port} wss://`), urlPath);
    }
    const { port: apiOnly } = await host();
    const bare = await httpGet(apiOnly, { Host: `127.0.0.1:${apiOnly}` });
    assert.equal(bare.status, 404);
    assert.equal(bare.headers['x-frame-options'], 'DENY', 'also without a built dashboard');
  });

  it('drops a client that sends calls without reading the replies; a well-behaved client keeps working', async () => {
    const symbols = Array.from({ length: 2000 }, (_, i) => `SYM${String(i).padStart(4, '0')}`);
    const { core, port, wsUrl, lines } = await host({}, (dir) =>
      writeDataFolder(dir, symbols.map((s, i) => [s, 100 + i]), symbols.map((s, i) => [s, 101 + i, 1000 + i])));
    assert.equal((await core.processNow()).status, 'ok');
    const good = client(wsUrl);
    const replyBytes = JSON.stringify(await good.getLatestStocks()).length;

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    after(() => clearInterval(sampler));

    const raw = await rawUpgrade(port, WS_PATH);
    raw.socket.pause(); // reads nothing from now on
    // ~800 × the stock table (~260 MB if every reply were held): far more than the host may hold
    // for one client. A bounded host grows by its 16 MB send buffer, the 16 calls in flight and
    // the query worker's heap (~50-75 MB here); unbounded, by well over half of 260 MB.
    const calls = 800;
    for (let id = 1; id <= calls; id++) raw.socket.write(textFrame(JSON.stringify({ id, method: 'getLatestStocks', args: [] })));
    const line = await logged(lines, /dropped the connection/, 60_000);
    assert.match(line, /dropped the connection from 127\.0\.0\.1:\d+: not reading \(\d+ bytes waiting to be sent\)/);
    raw.socket.resume();
    await raw.closed;
    clearInterval(sampler);
    const growthMb = (rssPeak - rssBefore) / 1024 / 1024;
    process.stdout.write(`# slow consumer: ${calls} calls × ${(replyBytes / 1024).toFixed(0)} KB replies; dropped; host RSS grew ${growthMb.toFixed(0)} MB at peak\n`);
    assert.ok(growthMb < (calls * replyBytes) / 1024 / 1024 / 2, `RSS grew ${growthMb.toFixed(0)} MB: the replies were not bounded`);
    assert.ok(growthMb < 150, `RSS grew ${growthMb.toFixed(0)} MB`);

    assert.equal((await good.getLatestStocks()).length, 2000, 'the well-behaved client is still served');
  });

  it('pings every client and drops one that does not answer; answers application pings', async () => {
    const { port, wsUrl, lines } = await host({ heartbeatMs: 200 });
    const live = client(wsUrl); // ws answers ping frames by itself
    await live.opened;
    const mute = await rawUpgrade(port, WS_PATH); // reads, but never sends a pong
    mute.socket.write(textFrame(JSON.stringify({ ping: 42 })));
    assert.match(await logged(lines, /no answer to the last ping/), /dropped the connection from 127\.0\.0\.1:\d+: no answer to the last ping/);
    await mute.closed;
    const { texts } = readTextFrames(mute.received());
    assert.deepEqual(JSON.parse(texts[0]!), { pong: 42 });
    assert.equal(lines.filter((l) => /no answer/.test(l)).length, 1, 'the client that answers was not dropped');
    assert.equal((await live.getStatus()).running, false);
  });

  it('bounds the calls running at once per connection, and still answers every one', async () => {
    const { core } = await startTestCore({ autoStart: false });
    // The real core, counting how many of its calls run at once.
    let running = 0;
    let most = 0;
    const counted = new Proxy(core, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key !== 'getStatus' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          most = Math.max(most, ++running);
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            running--;
          }
        };
      },
    });
    const server = await startHeadlessServer({ api: counted, port: 0, log: () => undefined, limits: { maxInFlightCalls: 2 } });
    after(() => server.close());
    const raw = await rawUpgrade(Number(new URL(server.url).port), WS_PATH);
    const n = 60;
    for (let id = 1; id <= n; id++) raw.socket.write(textFrame(JSON.stringify({ id, method: id % 3 ? 'getStatus' : 'nope', args: [] })));
    const until = Date.now() + 30_000;
    while (readTextFrames(raw.received()).texts.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const replies = readTextFrames(raw.received()).texts.map((t) => JSON.parse(t) as { id: number; ok: boolean });
    assert.deepEqual(replies.map((r) => r.id).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i + 1));
    assert.equal(replies.filter((r) => !r.ok).length, n / 3);
    assert.ok(most >= 1 && most <= 2, `${most} calls ran at once`);
    raw.socket.destroy();
  });
});

async function staticDir(): Promise<string> {
  const dir = await tempDir('livebreadth-static-');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>LiveBreadth</title>');
  await writeFile(path.join(dir, 'app.js'), 'console.log(1)');
  return dir;
}
