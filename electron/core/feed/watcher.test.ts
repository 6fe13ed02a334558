// The folder watcher on a real folder with real chokidar: one event per completed save of Live or
// Historical, and its timing on the injected clock. The folder going away: watcher-folder.test.ts.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { saveLikeExcel } from '../../cli/demo/workbooks';
import { tempDir } from '../../test-support/workbooks';
import { SimulatedClock } from '../clock/simulated-clock';
import { book, delay, next, watchFolder } from './test-support/watcher';
import { FolderWatcher } from './watcher';

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
});
