// Fuzz: random frames (valid and broken) and random API calls against a running host for a fixed
// budget. The host never crashes or hangs, every call gets a reply (a result or a reason), and a
// normal client works afterwards. The seed is printed; FUZZ_SEED=<n> replays a run.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { API_METHODS } from '../../shared/api';
import { connectWsApi, type WebSocketLike } from '../../shared/ws-client';
import { WS_PATH } from '../../shared/ws-protocol';
import { startTestCore } from '../test-support/core';
import { writeDataFolder } from '../test-support/workbooks';
import { startHeadlessServer } from './headless-server';
import { frame, rawUpgrade, readTextFrames, textFrame } from './raw-ws';
import { seededRandom } from '../../shared/seeded-random';

const BUDGET_MS = 15_000;

function fuzzer(random: () => number) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const text = () => pick(['', 'x', '2026-11-20', '../../etc/passwd', 'Live.xlsx', '\u0000', '💥'.repeat(int(50)), 'a'.repeat(int(5000)), '__proto__', 'constructor']);
  const value = (depth: number): unknown => {
    switch (int(depth > 0 ? 8 : 6)) {
      case 0: return pick([0, -1, 1, 1e308, -1e308, 2 ** 53 + 1, 3.5, 3600, 1e-300]);
      case 1: return text();
      case 2: return pick([true, false, null]);
      case 3: return int(100000);
      case 4: return pick(['2026-11-20', '2026-13-45', '1970-01-01']);
      case 5: return {};
      case 6: return Array.from({ length: int(4) }, () => value(depth - 1));
      default: return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['a', 'id', 'x y', '__proto__', 'intervalSeconds', 'autoStart']), value(depth - 1)]));
    }
  };
  const method = () => (random() < 0.7 ? pick(API_METHODS.filter((m) => m !== 'updateSettings' && m !== 'importHolidays')) : pick(['', 'nope', '__proto__', 'toString', 'constructor', 'hasOwnProperty', 'getStatus ', 'GETSTATUS']));
  /** A call as text: a JSON object with a numeric id, as a client library would send. */
  const call = (id: number) => random() < 0.05
    // Deep nesting, written as text (JSON.stringify itself would overflow): the host must not.
    ? ((n: number) => `{"id":${id},"method":"${method()}","args":[${'['.repeat(n)}${']'.repeat(n)}]}`)(1 + int(100_000))
    : JSON.stringify({ id, method: random() < 0.05 ? value(2) : method(), args: random() < 0.1 ? value(2) : Array.from({ length: int(4) }, () => value(3)) });
  /** Text that is not a well-formed call: replies carry id null, or none for a lone ping. */
  const junk = () => pick(['', '{', 'null', '[]', '"x"', '{"id":"1"}', '{"id":1e999}', '{"ping":"x"}', JSON.stringify(value(3)), text()]);
  const badFrame = () => pick([
    frame({ opcode: pick([3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]), payload: text() }),
    frame({ opcode: 1, payload: 'x', mask: false }),
    frame({ opcode: 1, payload: '{}', rsv: 1 + int(7) }),
    frame({ opcode: 1, payload: Buffer.from([0xc3, 0x28]) }),
    frame({ opcode: 9, payload: 'x', fin: false }),
    frame({ opcode: 0, payload: 'x' }),
    frame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) }),
    frame({ opcode: 2, claimedLength: 1n << 63n }),
    Buffer.from(Array.from({ length: 1 + int(40) }, () => int(256))),
  ]);
  return { int, call, junk, badFrame, random };
}

describe('headless host fuzz', () => {
  it(`random frames and calls for ${BUDGET_MS / 1000} s: no crash, no hang, a reply to every call`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    process.stdout.write(`# fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)\n`);
    const f = fuzzer(seededRandom(seed));
    const { core } = await startTestCore({ autoStart: false }, {}, (dir) => writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]));
    const server = await startHeadlessServer({ api: core, port: 0, log: () => undefined });
    after(() => server.close());
    const port = Number(new URL(server.url).port);
    const watcher = connectWsApi(new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`) as unknown as WebSocketLike);
    after(() => watcher.close());
    await watcher.opened;

    let calls = 0;
    let brokenConnections = 0;
    const end = Date.now() + BUDGET_MS;
    while (Date.now() < end) {
      const raw = await rawUpgrade(port, WS_PATH);
      assert.equal(raw.status, 101);
      // A burst of calls and junk, each call with an id to be answered.
      const ids: number[] = [];
      const burst = 1 + f.int(30);
      for (let i = 0; i < burst; i++) {
        if (f.random() < 0.8) {
          const id = ++calls;
          ids.push(id);
          raw.socket.write(textFrame(f.call(id)));
        } else {
          raw.socket.write(textFrame(f.junk()));
        }
      }
      const deadline = Date.now() + 20_000;
      const answered = () => new Set(readTextFrames(raw.received()).texts.map((t) => (JSON.parse(t) as { id?: number }).id));
      while (ids.some((id) => !answered().has(id))) {
        assert.ok(Date.now() < deadline, `calls ${ids.filter((id) => !answered().has(id)).join(', ')} unanswered after 20 s (seed ${seed})`);
        await new Promise((r) => setTimeout(r, 5));
      }
      for (const t of readTextFrames(raw.received()).texts) {
        const reply = JSON.parse(t) as { ok?: boolean; error?: { code: string; message: string }; pong?: unknown };
        if ('pong' in reply || 'event' in reply) continue;
        if (reply.ok === false) {
          assert.ok(['bad-input', 'unknown-method', 'failed', 'forbidden'].includes(reply.error!.code), t.slice(0, 200));
          assert.ok(reply.error!.message.length > 0 && !/\n\s+at /.test(reply.error!.message), `a reason, not a stack: ${t.slice(0, 300)}`);
        } else {
          assert.equal(reply.ok, true, t.slice(0, 200));
        }
      }
      // Then, sometimes, a broken frame: this connection ends, the host goes on.
      if (f.random() < 0.5) {
        raw.socket.write(f.badFrame());
        brokenConnections++;
        setTimeout(() => raw.socket.end(), 100);
        await raw.closed;
      } else {
        raw.socket.destroy();
      }
      assert.equal(typeof (await watcher.getStatus()).running, 'boolean', `the host still answers (seed ${seed})`);
    }
    process.stdout.write(`# fuzz: ${calls} calls answered, ${brokenConnections} connections broken on purpose\n`);
    assert.ok(calls > 50, `only ${calls} calls in the budget`);

    const fresh = connectWsApi(new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`) as unknown as WebSocketLike);
    after(() => fresh.close());
    assert.match((await fresh.processNow()).status, /^(ok|unchanged)$/, 'a normal client works afterwards');
    assert.equal((await fresh.getSeries()).at(-1)?.advances, 1);
  });
});
