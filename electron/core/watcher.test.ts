// The folder watcher on a real folder with real chokidar.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { saveLikeExcel } from '../cli/demo/workbooks';
import { tempDir, workbookBuffer } from '../test-support/workbooks';
import { FolderWatcher } from './watcher';
import { zipLooksComplete } from './file-complete';

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
