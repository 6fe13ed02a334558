// Fuzz: random frames (valid and broken) and random API calls against a running host for a fixed
// budget, settings changes and holiday imports among them. The host never crashes or hangs, every
// call gets a reply (a result or a reason), the settings file on disk is always whole and valid,
// and a normal client works afterwards. The seed is printed; FUZZ_SEED=<n> replays a run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { API_METHODS } from '../../shared/api';
import { settingsSchema, type Settings } from '../../shared/settings';
import { connectWsApi, type WebSocketLike } from '../../shared/ws-client';
import { WS_MAX_MESSAGE_BYTES, WS_PATH } from '../../shared/ws-protocol';
import { startTestCore } from '../test-support/core';
import { writeDataFolder } from '../test-support/workbooks';
import { startHeadlessServer } from './headless-server';
import { frame, rawUpgrade, readTextFrames, textFrame } from './raw-ws';
import { seededRandom } from '../../shared/seeded-random';

const BUDGET_MS = 15_000;

/** The most characters importHolidays' content may have (shared/api.ts). */
const HOLIDAY_CONTENT_MAX = 1_000_000;

/** What the fuzzer knows of the host it attacks, to make changes that are nearly right. */
interface Target {
  settings: Settings;
  /** The Live workbook: a path that exists but is not a folder. */
  liveFile: string;
}

function fuzzer(random: () => number, target: Target) {
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
  const method = () => (random() < 0.7 ? pick(API_METHODS) : pick(['', 'nope', '__proto__', 'toString', 'constructor', 'hasOwnProperty', 'getStatus ', 'GETSTATUS']));

  // Settings: each field's good values, its edges and wrong types; the exchange as the current
  // one with a field or two changed (nearly right), or not an exchange at all.
  const { dataDir, exchange } = target.settings;
  const seconds = (min: number, max: number) => pick([min, max, min - 1, max + 1, 6, 60, 2.5, -0, `${min}`, null, true, [], {}, 1e308, 2 ** 53 + 1]);
  const flag = () => pick([true, false, 'true', 0, 1, null, {}]);
  const fileName = () => pick(['Live', 'Historical', 'Other', '', 'a/b', 'C:\\x', 'x'.repeat(101), 'Live.xlsx', '💥', 5, null]);
  const clock = () => pick(['09:15', '15:30', '00:00', '23:59', '24:00', '9:15', '12:60', '', 930, null]);
  const isoDate = () => `${2020 + int(12)}-${String(1 + int(13)).padStart(2, '0')}-${String(1 + int(32)).padStart(2, '0')}`;
  const exchangeFields: Record<string, () => unknown> = {
    name: () => pick(['NSE', '', 'x'.repeat(41), 7]),
    zone: () => pick(['Asia/Kolkata', 'UTC', 'America/New_York', 'Not/AZone', '', 'asia/kolkata', '+05:30', null]),
    sessionOpen: clock,
    sessionClose: clock,
    weekdays: () => pick([[1, 2, 3, 4, 5], [], [0], [8], [1.5], [1, 1, 1, 1, 1, 1, 1, 1], 'Mon', null]),
    holidays: () => pick([
      [], [isoDate()], Array.from({ length: int(30) }, isoDate), ['26-01-2026'], [5],
      Array.from({ length: 2001 }, (_, i) => new Date(Date.UTC(2030, 0, 1 + i)).toISOString().slice(0, 10)),
    ]),
    extraSessions: () => pick([
      [], [{ date: isoDate(), open: clock(), close: clock(), label: pick(['Muhurat', '', 'x'.repeat(61)]) }], [{}],
      Array.from({ length: 101 }, () => ({ date: '2026-11-01', open: '18:00', close: '19:00', label: 'x' })),
    ]),
  };
  const exchangeValue = (): unknown => {
    if (random() < 0.15) return value(3);
    const changed: Record<string, unknown> = { ...exchange };
    for (let i = 1 + int(2); i > 0; i--) {
      const field = pick(Object.keys(exchangeFields));
      if (random() < 0.1) delete changed[field];
      else changed[field] = exchangeFields[field]!();
    }
    if (random() < 0.05) changed[pick(['extra', '__proto__', 'constructor'])] = value(1);
    return changed;
  };
  const settingsFields: Record<string, () => unknown> = {
    intervalSeconds: () => seconds(1, 3600),
    staleAfterSeconds: () => seconds(5, 3600),
    retentionDays: () => seconds(1, 3650),
    autoStart: flag,
    usePolling: flag,
    hideToTrayOnClose: flag,
    startAtLogin: flag,
    liveFileName: fileName,
    historicalFileName: fileName,
    // Folders that do not exist, a file, and the current folder (no change) with and without a
    // trailing separator; never an existing other folder, which would then be watched for real.
    dataDir: () => pick([
      dataDir, `${dataDir}${path.sep}`, path.join(dataDir, 'missing'), target.liveFile, '', 'live_data', '/nonexistent/feed',
      'C:\\Feed', '\\\\server\\share', '\u0000', 'a'.repeat(5000), 42, null, [],
    ]),
    exchange: exchangeValue,
  };
  /** updateSettings' one argument: mostly a patch of a few fields, sometimes anything. */
  const settingsPatch = (): unknown => {
    if (random() < 0.1) return value(3);
    const patch: Record<string, unknown> = {};
    for (let i = 1 + int(3); i > 0; i--) {
      const field = pick(Object.keys(settingsFields));
      patch[field] = settingsFields[field]!();
    }
    if (random() < 0.05) patch[pick(['token', 'extra', 'constructor', 'allowRemoteFolderChanges'])] = value(1);
    return patch;
  };

  // Holiday files: CSV and JSON as exchanges publish them, nearly right or broken, binary junk,
  // more holidays than a profile may hold, and content at the size limit.
  const nseDate = () => `${1 + int(31)}-${pick(['Jan', 'Feb', 'Mar', 'Oct', 'Nov', 'Foo'])}-${2025 + int(3)}`;
  const lines = (make: () => string) => Array.from({ length: int(20) }, make).join(pick(['\n', '\r\n', '\r']));
  const holidayContent = (): string => {
    switch (int(8)) {
      case 0: return `Date\n${lines(isoDate)}`;
      case 1: return `Holiday Date,Description\n${lines(() => `${nseDate()},"Republic Day, ""national"""`)}`;
      case 2: return `\ufeff${lines(() => pick([isoDate(), nseDate(), '', 'Sr. No,Date', '"2026-01-26', 'x,y,z', '"a\nb"']))}`;
      case 3: return JSON.stringify(Array.from({ length: int(20) }, () => pick([isoDate(), nseDate(), { date: isoDate() }, { tradingDate: nseDate() }, null, 5])));
      case 4: return JSON.stringify(pick([{ CM: [{ tradingDate: nseDate(), description: 'Diwali' }] }, { CM: 'x' }, {}, [], value(3)]));
      case 5: return pick(['{', '[', '[[[[', '{"CM":[', '', ' ', 'Date', `${'['.repeat(50_000)}${']'.repeat(50_000)}`]);
      case 6: return String.fromCharCode(...Array.from({ length: int(3000) }, () => int(256)));
      default: return text();
    }
  };
  /**
   * Content of the most characters allowed, or one more: JSON that fails early once parsed (a CSV
   * that size takes the host's holiday parser seconds today), or control characters, which JSON
   * sends as six bytes each: a message of 6 MB, near the host's limit.
   */
  const nearLimit = (): [string, string] => {
    const length = HOLIDAY_CONTENT_MAX + pick([-1, 0, 1]);
    const content = pick([() => '\u0001'.repeat(length), () => `["x"${' '.repeat(length - 5)}]`, () => `[${' '.repeat(length - 2)}x`])();
    return [pick(['h.json', 'holidays.JSON']), content];
  };
  /** More holidays than a profile may hold: parsing 2,100 dates takes the host ~0.4 s, so it is rare. */
  const tooManyHolidays = `Date\n${Array.from({ length: 2100 }, (_, i) => new Date(Date.UTC(2030, 0, 1 + i)).toISOString().slice(0, 10)).join('\n')}`;
  const holidayFileName = () => pick(['holidays.csv', 'NSE-holidays.json', 'h.CSV', 'h.txt', 'x', '', 'a'.repeat(261), '../../etc/passwd', '💥.csv', 5, null]);
  /** importHolidays' arguments. */
  const holidayImport = (): [unknown, unknown] => {
    const r = random();
    if (r < 0.04) return nearLimit();
    if (r < 0.05) return [holidayFileName(), tooManyHolidays];
    return [holidayFileName(), holidayContent()];
  };

  /** A call as text: a JSON object with a numeric id, as a client library would send. */
  const call = (id: number): { method: unknown; text: string } => {
    if (random() < 0.05) {
      // Deep nesting, written as text (JSON.stringify itself would overflow): the host must not.
      const n = 1 + int(100_000);
      if (random() < 0.3) return { method: 'updateSettings', text: `{"id":${id},"method":"updateSettings","args":[${'{"exchange":'.repeat(n)}1${'}'.repeat(n)}]}` };
      const m = method();
      return { method: m, text: `{"id":${id},"method":"${m}","args":[${'['.repeat(n)}${']'.repeat(n)}]}` };
    }
    const m = random() < 0.05 ? value(2) : random() < 0.15 ? pick(['updateSettings', 'importHolidays']) : method();
    let args: unknown = random() < 0.1 ? value(2) : Array.from({ length: int(4) }, () => value(3));
    if (m === 'updateSettings' && random() < 0.9) args = random() < 0.9 ? [settingsPatch()] : [settingsPatch(), value(1)];
    if (m === 'importHolidays' && random() < 0.9) args = holidayImport();
    return { method: m, text: JSON.stringify({ id, method: m, args }) };
  };
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
    tooBigImport(),
  ]);
  return { int, call, junk, badFrame, random };
}

let tooBig: Buffer | undefined;
/**
 * An importHolidays call just past the host's message limit (control characters, six bytes each
 * in JSON): that connection is closed (1009), the host goes on. Built once: masking 8 MB is slow.
 */
function tooBigImport(): Buffer {
  tooBig ??= textFrame(JSON.stringify({ id: 0, method: 'importHolidays', args: ['h.csv', '\u0001'.repeat(Math.ceil(WS_MAX_MESSAGE_BYTES / 6) + 1000)] }));
  return tooBig;
}

/** The settings file as the store left it: null before the first change, else whole and valid. */
function settingsOnDisk(file: string, seed: number): Settings | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  assert.doesNotThrow(() => (json = JSON.parse(text)), `${file} is not JSON (seed ${seed}): ${text.slice(0, 200)}`);
  // Strict: nothing the schema does not know was written either.
  const parsed = settingsSchema.strict().safeParse(json);
  assert.ok(parsed.success, `${file} is not valid settings (seed ${seed}): ${parsed.error?.message.slice(0, 300)}`);
  assert.deepEqual(parsed.data, json, `${file} holds values the schema would change (seed ${seed})`);
  return parsed.data;
}

describe('headless host fuzz', () => {
  it(`random frames and calls for ${BUDGET_MS / 1000} s: no crash, no hang, a reply to every call, the settings file always valid`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    process.stdout.write(`# fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)\n`);
    const { core, dataDir, home } = await startTestCore({ autoStart: false }, {}, (dir) => writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]));
    // Where startTestCore's settings store writes; nothing is written before the first change.
    const settingsFile = path.join(home, 'settings.json');
    const original = await core.getSettings();
    const f = fuzzer(seededRandom(seed), { settings: original, liveFile: path.join(dataDir, 'Live.xlsx') });
    const server = await startHeadlessServer({ api: core, port: 0, log: () => undefined });
    after(() => server.close());
    const port = Number(new URL(server.url).port);
    const watcher = connectWsApi(new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`) as unknown as WebSocketLike);
    after(() => watcher.close());
    await watcher.opened;

    let calls = 0;
    let brokenConnections = 0;
    /** Settings calls answered with new settings, and refused, by method. */
    const settingsCalls = { updateSettings: { ok: 0, refused: 0 }, importHolidays: { ok: 0, refused: 0 } };
    const end = Date.now() + BUDGET_MS;
    while (Date.now() < end) {
      const raw = await rawUpgrade(port, WS_PATH);
      assert.equal(raw.status, 101);
      // A burst of calls and junk, each call with an id to be answered.
      const sent = new Map<number, unknown>();
      const burst = 1 + f.int(30);
      for (let i = 0; i < burst; i++) {
        if (f.random() < 0.8) {
          const id = ++calls;
          const { method, text } = f.call(id);
          sent.set(id, method);
          raw.socket.write(textFrame(text));
        } else {
          raw.socket.write(textFrame(f.junk()));
        }
      }
      const deadline = Date.now() + 20_000;
      const answered = () => new Set(readTextFrames(raw.received()).texts.map((t) => (JSON.parse(t) as { id?: number }).id));
      const unanswered = () => [...sent.keys()].filter((id) => !answered().has(id));
      while (unanswered().length) {
        assert.ok(Date.now() < deadline, `calls ${unanswered().join(', ')} unanswered after 20 s (seed ${seed})`);
        await new Promise((r) => setTimeout(r, 5));
      }
      for (const t of readTextFrames(raw.received()).texts) {
        const reply = JSON.parse(t) as { id?: number; ok?: boolean; error?: { code: string; message: string }; pong?: unknown };
        if ('pong' in reply || 'event' in reply) continue;
        const method = sent.get(reply.id!);
        const settingsCall = method === 'updateSettings' || method === 'importHolidays' ? settingsCalls[method] : null;
        if (reply.ok === false) {
          assert.ok(['bad-input', 'unknown-method', 'failed', 'forbidden'].includes(reply.error!.code), t.slice(0, 200));
          assert.ok(reply.error!.message.length > 0 && !/\n\s+at /.test(reply.error!.message), `a reason, not a stack: ${t.slice(0, 300)}`);
          if (settingsCall) {
            // A settings change the user got wrong is their mistake to fix, told in one line.
            assert.equal(reply.error!.code, 'bad-input', `${String(method)} (seed ${seed}): ${t.slice(0, 300)}`);
            assert.doesNotMatch(reply.error!.message, /[\r\n]/, `${String(method)}: one line (seed ${seed}): ${t.slice(0, 300)}`);
            settingsCall.refused++;
          }
        } else {
          assert.equal(reply.ok, true, t.slice(0, 200));
          if (settingsCall) settingsCall.ok++;
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
      settingsOnDisk(settingsFile, seed);
    }
    process.stdout.write(`# fuzz: ${calls} calls answered, ${brokenConnections} connections broken on purpose; ` +
      `updateSettings ${settingsCalls.updateSettings.ok} applied, ${settingsCalls.updateSettings.refused} refused; ` +
      `importHolidays ${settingsCalls.importHolidays.ok} applied, ${settingsCalls.importHolidays.refused} refused\n`);
    assert.ok(calls > 50, `only ${calls} calls in the budget`);
    assert.ok(settingsCalls.updateSettings.ok > 0 && settingsCalls.updateSettings.refused > 0, `updateSettings was not tried both ways (seed ${seed})`);
    assert.ok(settingsCalls.importHolidays.refused > 0, `importHolidays was never refused (seed ${seed})`);

    const fresh = connectWsApi(new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`) as unknown as WebSocketLike);
    after(() => fresh.close());
    // What the host says its settings are is what it wrote.
    assert.deepEqual(settingsOnDisk(settingsFile, seed), await fresh.getSettings(), `the settings on disk are the host's (seed ${seed})`);
    // A normal client can put the settings back, and the host then reads the folder as before.
    assert.deepEqual(await fresh.updateSettings(original), original);
    assert.deepEqual(settingsOnDisk(settingsFile, seed), original);
    await writeDataFolder(dataDir, [['TCS', 100], ['ITC', 50]], [['TCS', 102], ['ITC', 48]]);
    assert.match((await fresh.processNow()).status, /^(ok|unchanged)$/, 'a normal client works afterwards');
    assert.equal((await fresh.getSeries()).at(-1)?.advances, 1);
  });
});
