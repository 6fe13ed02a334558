// The folder watcher when the folder goes and comes back: real folders deleted, renamed and
// replaced under a real chokidar watcher, and a folder it may not open. Waits are for the event
// itself, with generous limits for a loaded machine; nothing asserts how fast.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { saveLikeExcel } from '../../cli/demo/workbooks';
import { tempDir } from '../../test-support/workbooks';
import { SimulatedClock } from '../clock/simulated-clock';
import { book, delay, LIMIT, next, saveSeen, watchFolder } from './test-support/watcher';

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
