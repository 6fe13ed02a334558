// The folder watcher on a real folder with real chokidar.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { saveLikeExcel } from '../../cli/demo/workbooks';
import { tempDir, workbookBuffer } from '../../test-support/workbooks';
import { SimulatedClock } from '../clock/simulated-clock';
import { FolderWatcher, type WatcherEvents, type WatcherOptions } from './watcher';
import { zipLooksComplete } from './file-complete';
import { folderProblem, probeFolder, sameFolder } from './folder-probe';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const book = () => workbookBuffer([{ name: 'Live', rows: [['Symbol', 'LTP'], ['TCS', Math.random()]] }]);

async function watch(dir: string, names = { live: 'Live', historical: 'Historical' }, usePolling = false) {
  const watcher = new FolderWatcher({ dataDir: dir, liveFileName: names.live, historicalFileName: names.historical, usePolling });
  const seen: string[] = [];
  watcher.on('live', ({ path: p }) => seen.push(`live:${path.basename(p)}`));
  watcher.on('historical', ({ path: p }) => seen.push(`historical:${path.basename(p)}`));
  await watcher.start();
  after(() => watcher.close());
  return { watcher, seen };
}

describe('FolderWatcher', () => {
  it('one event per Excel-style save; temp and owner files are ignored', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'Live.xlsx'), await book());
    const { seen } = await watch(dir);
    await writeFile(path.join(dir, '~$Live.xlsx'), 'owner');
    await saveLikeExcel(path.join(dir, 'Live.xlsx'), await book());
    await delay(400);
    assert.deepEqual(seen, ['live:Live.xlsx']);
    await saveLikeExcel(path.join(dir, 'Live.xlsx'), await book());
    await delay(400);
    assert.deepEqual(seen, ['live:Live.xlsx', 'live:Live.xlsx']);
  });

  it('waits for a half-written workbook to be complete', async () => {
    const dir = await tempDir();
    const { seen } = await watch(dir);
    const full = await book();
    const file = path.join(dir, 'live.xlsx');
    await writeFile(file, full.subarray(0, full.length - 30));
    await delay(300);
    assert.deepEqual(seen, [], 'no event for an incomplete zip');
    await writeFile(file, full);
    await delay(300);
    assert.deepEqual(seen, ['live:live.xlsx']);
  });

  it('follows configured file names and reports Historical', async () => {
    const dir = await tempDir();
    const { seen } = await watch(dir, { live: 'Prices', historical: 'Closes' });
    await writeFile(path.join(dir, 'Live.xlsx'), await book());
    await writeFile(path.join(dir, 'closes.csv'), 'Symbol,Close\nTCS,1\n');
    await saveLikeExcel(path.join(dir, 'Prices.xlsx'), await book());
    await delay(500);
    assert.deepEqual(seen.sort(), ['historical:closes.csv', 'live:Prices.xlsx']);
  });

  it('in polling mode (for network shares) still sees each save once', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'Live.xlsx'), await book());
    const { seen } = await watch(dir, undefined, true);
    await saveLikeExcel(path.join(dir, 'Live.xlsx'), await book());
    await delay(1_500); // one polling interval (500 ms) and the settle check
    assert.deepEqual(seen, ['live:Live.xlsx']);
  });

  it('zipLooksComplete tells a finished workbook from a cut one', async () => {
    const dir = await tempDir();
    const full = await book();
    await writeFile(path.join(dir, 'a.xlsx'), full);
    await writeFile(path.join(dir, 'b.xlsx'), full.subarray(0, full.length >> 1));
    assert.equal(await zipLooksComplete(path.join(dir, 'a.xlsx')), true);
    assert.equal(await zipLooksComplete(path.join(dir, 'b.xlsx')), false);
    assert.equal(await zipLooksComplete(path.join(dir, 'missing.xlsx')), false);
  });
});

// ── the folder goes and comes back ────────────────────────────────────────────────────────
// Real folders deleted, renamed and replaced under a real chokidar watcher. Waits are for the
// event itself, with generous limits for a loaded machine; nothing asserts how fast.

const LIMIT = 20_000;

/** Resolves with the next `name` event passing `match`, or rejects after `ms`. */
function next<K extends 'live' | 'historical' | 'folderMissing' | 'folderBack'>(
  watcher: FolderWatcher,
  name: K,
  match: (data: WatcherEvents[K][0]) => boolean = () => true,
  ms = LIMIT,
): Promise<WatcherEvents[K][0]> {
  return new Promise((resolve, reject) => {
    const listener = (data: WatcherEvents[K][0]) => {
      if (!match(data)) return;
      clearTimeout(timer);
      watcher.off(name, listener as never);
      resolve(data);
    };
    const timer = setTimeout(() => {
      watcher.off(name, listener as never);
      reject(new Error(`no ${name} event within ${ms} ms`));
    }, ms);
    watcher.on(name, listener as never);
  });
}

async function watchFolder(dir: string, options: Partial<WatcherOptions> = {}) {
  const watcher = new FolderWatcher({
    dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', usePolling: false,
    recheckMs: 200, ...options,
  });
  const log: string[] = [];
  watcher.on('live', ({ path: p }) => log.push(`live:${path.basename(p)}`));
  watcher.on('folderMissing', ({ message }) => log.push(`missing:${message}`));
  watcher.on('folderBack', () => log.push('back'));
  watcher.on('error', (error) => log.push(`error:${error.message}`));
  await watcher.start();
  after(() => watcher.close());
  return { watcher, log };
}

/** An Excel-style save into `dir`, and the live event it causes. */
async function saveSeen(watcher: FolderWatcher, dir: string): Promise<void> {
  const seen = next(watcher, 'live');
  await saveLikeExcel(path.join(dir, 'Live.xlsx'), await book());
  const { path: p } = await seen;
  assert.equal(p, path.join(dir, 'Live.xlsx'));
}

describe('FolderWatcher: the folder goes and comes back', () => {
  it('deleted with its files and made again: says it is missing, then sees the next save', async () => {
    const dir = path.join(await tempDir(), 'live_data');
    await mkdir(dir);
    await writeFile(path.join(dir, 'Live.xlsx'), await book());
    const { watcher, log } = await watchFolder(dir);
    await saveSeen(watcher, dir);

    const missing = next(watcher, 'folderMissing');
    await rm(dir, { recursive: true });
    assert.equal((await missing).message, `The data folder ${dir} is missing; waiting for it to come back`);
    assert.equal(watcher.problem, (await missing).message);

    const back = next(watcher, 'folderBack');
    await mkdir(dir);
    await back;
    assert.equal(watcher.problem, null);
    await saveSeen(watcher, dir);
    assert.equal(log.filter((l) => l.startsWith('missing:')).length, 1, 'said once, not at every look');
    assert.deepEqual(log.filter((l) => l.startsWith('error:')), []);
  });

  it('deleted and made again at once: the save into the new folder is seen', async () => {
    const dir = path.join(await tempDir(), 'live_data');
    await mkdir(dir);
    const { watcher } = await watchFolder(dir);
    await rm(dir, { recursive: true });
    await mkdir(dir);
    // Whether the save lands before or after the re-watch, the new folder's Live is announced.
    await saveSeen(watcher, dir);
    await saveSeen(watcher, dir);
  });

  it('not there at start: reported, then watched when it appears, and a save is seen', async () => {
    const dir = path.join(await tempDir(), 'live_data');
    const { watcher, log } = await watchFolder(dir);
    assert.equal(watcher.problem, `The data folder ${dir} is missing; waiting for it to come back`);
    assert.deepEqual(log, [`missing:${watcher.problem}`]);
    const back = next(watcher, 'folderBack');
    await mkdir(dir);
    await back;
    await saveSeen(watcher, dir);
  });

  it('comes back with Live already in it (a share reconnected): that counts as a change', async () => {
    const home = await tempDir();
    const dir = path.join(home, 'live_data');
    await mkdir(dir);
    const { watcher } = await watchFolder(dir);
    const missing = next(watcher, 'folderMissing');
    await rm(dir, { recursive: true });
    await missing;
    const staged = path.join(home, 'staged');
    await mkdir(staged);
    await writeFile(path.join(staged, 'Live.xlsx'), await book());
    const live = next(watcher, 'live');
    await rename(staged, dir);
    assert.equal((await live).path, path.join(dir, 'Live.xlsx'));
  });

  it('an empty folder renamed away and back (no unlinkDir from chokidar): reported, then watched', async () => {
    const home = await tempDir();
    const dir = path.join(home, 'live_data');
    await mkdir(dir);
    const { watcher } = await watchFolder(dir);
    const missing = next(watcher, 'folderMissing');
    await rename(dir, path.join(home, 'elsewhere'));
    await missing;
    const back = next(watcher, 'folderBack');
    await rename(path.join(home, 'elsewhere'), dir);
    await back;
    await saveSeen(watcher, dir);
  });

  it('its parent renamed (no event at all): checkFolder notices, and it is watched when back', async () => {
    const home = await tempDir();
    const dir = path.join(home, 'share', 'live_data');
    await mkdir(dir, { recursive: true });
    const { watcher } = await watchFolder(dir);
    const missing = next(watcher, 'folderMissing');
    await rename(path.join(home, 'share'), path.join(home, 'share-gone'));
    watcher.checkFolder(); // what the core does after a failed cycle or a stale feed
    assert.match((await missing).message, /is missing; waiting/);
    const back = next(watcher, 'folderBack');
    await rename(path.join(home, 'share-gone'), path.join(home, 'share'));
    await back;
    await saveSeen(watcher, dir);
  });

  it('replaced by a file: says so; a folder again is watched', async () => {
    const dir = path.join(await tempDir(), 'live_data');
    await mkdir(dir);
    const { watcher, log } = await watchFolder(dir);
    const isFile = next(watcher, 'folderMissing', ({ message }) => /file/.test(message));
    await rm(dir, { recursive: true });
    await writeFile(dir, 'not a folder');
    assert.equal((await isFile).message, `The data folder ${dir} is a file, not a folder; waiting for the folder to come back`);
    const back = next(watcher, 'folderBack');
    await rm(dir);
    await mkdir(dir);
    await back;
    await saveSeen(watcher, dir);
    assert.deepEqual(log.filter((l) => l.startsWith('error:')), []);
  });

  it('in polling mode (network shares): deleted and made again, the next save is seen', async () => {
    const dir = path.join(await tempDir(), 'live_data');
    await mkdir(dir);
    await writeFile(path.join(dir, 'Live.xlsx'), await book());
    const { watcher } = await watchFolder(dir, { usePolling: true });
    const missing = next(watcher, 'folderMissing');
    await rm(dir, { recursive: true });
    await missing;
    const back = next(watcher, 'folderBack');
    await mkdir(dir);
    await back;
    await saveSeen(watcher, dir);
  });

  it('closed while waiting for the folder: stops looking and says nothing more', async () => {
    const dir = path.join(await tempDir(), 'live_data');
    const { watcher, log } = await watchFolder(dir);
    await watcher.close();
    await mkdir(dir);
    await saveLikeExcel(path.join(dir, 'Live.xlsx'), await book());
    await delay(1_000); // several looks' worth (200 ms each): none may happen
    assert.deepEqual(log, [`missing:The data folder ${dir} is missing; waiting for it to come back`]);
  });
});

describe('FolderWatcher: time comes from the injected clock', () => {
  it('a save is announced once the settle time has passed on the clock, not in real time', async () => {
    const dir = await tempDir();
    const clock = new SimulatedClock('2026-01-23T04:00:00.000Z');
    const { watcher, log } = await watchFolder(dir, { clock, settleMs: 15 });
    const seen = next(watcher, 'live');
    await saveLikeExcel(path.join(dir, 'Live.xlsx'), await book());
    await delay(500); // the save's events arrive; each one sets the settle timer again
    assert.deepEqual(log, [], 'nothing before the clock moves');
    clock.advance(15);
    await seen;
    assert.deepEqual(log, ['live:Live.xlsx']);
  });

  it('a CSV (it has no end marker) is complete when its size holds between two looks 30 ms apart on the clock', async () => {
    const dir = await tempDir();
    const clock = new SimulatedClock('2026-01-23T04:00:00.000Z');
    const { watcher } = await watchFolder(dir, { clock, settleMs: 15 });
    let seen = false;
    const historical = next(watcher, 'historical').then(() => (seen = true));
    await writeFile(path.join(dir, 'Historical.csv'), 'Symbol,Close\nTCS,100\n');
    await delay(500);
    clock.advance(15); // settled: the first look
    await delay(300);
    assert.equal(seen, false, 'the second look waits for the clock');
    clock.advance(30);
    await historical;
  });

  it('a missing folder is looked for again when the clock has moved by the recheck time', async () => {
    const dir = path.join(await tempDir(), 'live_data');
    const clock = new SimulatedClock('2026-01-23T04:00:00.000Z');
    const { watcher, log } = await watchFolder(dir, { clock, recheckMs: 200 });
    await mkdir(dir);
    await delay(800); // four looks' worth in real time
    assert.deepEqual(log, [`missing:The data folder ${dir} is missing; waiting for it to come back`]);
    const back = next(watcher, 'folderBack');
    clock.advance(200);
    await back;
  });
});

describe('folder probe', () => {
  it('tells a folder, a missing one, a file and a path through a file apart, in the trader\'s words', async () => {
    const home = await tempDir();
    const file = path.join(home, 'file');
    await writeFile(file, 'x');
    const folder = await probeFolder(home);
    assert.equal(folder.kind, 'folder');
    assert.equal(folderProblem(home, folder), null);
    assert.equal(sameFolder(folder, await probeFolder(home)), true);
    assert.equal(folderProblem('D:\\live_data', await probeFolder(path.join(home, 'none'))),
      'The data folder D:\\live_data is missing; waiting for it to come back');
    assert.match(folderProblem(file, await probeFolder(file))!, /is a file, not a folder/);
    assert.match(folderProblem('x', await probeFolder(path.join(file, 'below')))!, /is missing/);
  });

  it('a folder made again under the same name is not the same folder', async () => {
    const dir = path.join(await tempDir(), 'live_data');
    await mkdir(dir);
    const before = await probeFolder(dir);
    await rm(dir, { recursive: true });
    await mkdir(dir);
    assert.equal(sameFolder(before, await probeFolder(dir)), false);
  });
});

describe('FolderWatcher: permission denied', () => {
  // Root may open any folder, so when the tests run as root the watcher runs in a real child
  // process as the unprivileged user `nobody`; otherwise in a child as ourselves.
  it('a folder it may not open: says so without crashing; given access, it is watched and a save is seen', async () => {
    const home = await tempDir();
    const dir = path.join(home, 'live_data');
    await mkdir(dir);
    const asRoot = process.getuid?.() === 0;
    await chmod(home, 0o755);
    await chmod(dir, asRoot ? 0o700 : 0o000);
    const script = `
      import { FolderWatcher } from ${JSON.stringify(path.join(import.meta.dirname, 'watcher.ts'))};
      const w = new FolderWatcher({ dataDir: process.argv[1], liveFileName: 'Live', historicalFileName: 'Historical', usePolling: false, recheckMs: 200 });
      for (const name of ['folderMissing', 'folderBack', 'live', 'error']) w.on(name, (e) => console.log(JSON.stringify([name, e?.message ?? e?.path ?? null])));
      process.on('SIGTERM', () => void w.close().then(() => process.exit(0)));
      await w.start();`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], {
      cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'], ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    after(() => { child.kill('SIGKILL'); });
    const lines: Array<[string, string | null]> = [];
    const waiters: Array<() => void> = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(JSON.parse(line));
      for (const wake of waiters.splice(0)) wake();
    });
    const line = (name: string) => new Promise<[string, string | null]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${name} from the child within ${LIMIT} ms; saw ${JSON.stringify(lines)}`)), LIMIT);
      const look = () => {
        const found = lines.find(([n]) => n === name);
        if (found) { clearTimeout(timer); resolve(found); } else waiters.push(look);
      };
      look();
    });

    assert.deepEqual(await line('folderMissing'), ['folderMissing', `The data folder ${dir} cannot be opened (permission denied); waiting for access`]);
    await chmod(dir, 0o755);
    await line('folderBack');
    await saveLikeExcel(path.join(dir, 'Live.xlsx'), await book());
    assert.deepEqual(await line('live'), ['live', path.join(dir, 'Live.xlsx')]);
    assert.deepEqual(lines.filter(([n]) => n === 'error'), []);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, 'the watcher closed cleanly on SIGTERM');
  });
});
