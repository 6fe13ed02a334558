// The data folder watched as the settings say, on real folders with real chokidar: settings
// changed twice at once (two dashboards saving) leave exactly one watch, and closing ends it;
// Live's time is read without blocking the main thread.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { stat } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Settings } from '../../../shared/settings';
import { saveLikeExcel } from '../../cli/demo/workbooks';
import { tempDir, workbookBuffer } from '../../test-support/workbooks';
import { systemClock } from '../clock/clock';
import { defaultSettings } from '../settings/settings-store';
import { FolderFeed } from './folder-feed';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const book = () => workbookBuffer([{ name: 'Live', rows: [['Symbol', 'LTP'], ['TCS', Math.random()]] }]);

describe('FolderFeed', () => {
  it('watching anew twice at once leaves one watch (one event per save); closed, none', async () => {
    const first = await tempDir();
    const second = await tempDir();
    let settings: Settings = defaultSettings(first);
    const saves: string[] = [];
    const feed = new FolderFeed({
      clock: systemClock, settings: () => settings,
      onLive: () => saves.push(settings.dataDir), onHistorical: () => undefined, onProblem: () => undefined, onProblemGone: () => undefined,
    });
    assert.equal(await feed.watch(), null, 'no Live yet');
    settings = { ...settings, dataDir: second };
    const found = await Promise.all([feed.watch(), feed.watch()]);
    assert.deepEqual(found, [null, null]);
    await saveLikeExcel(path.join(second, 'Live.xlsx'), await book());
    await delay(1_000);
    assert.deepEqual(saves, [second], 'one watch: one event for one save');

    await feed.close();
    await saveLikeExcel(path.join(second, 'Live.xlsx'), await book());
    await delay(1_000);
    assert.deepEqual(saves, [second], 'closed: nothing is watched (a watch left behind would also keep the process alive)');
    assert.equal(await feed.watch(), null, 'a watch asked for after close starts nothing');
  });

  it("reads Live's time without a synchronous listing of the folder (the main thread's)", async () => {
    const dir = await tempDir();
    await saveLikeExcel(path.join(dir, 'Live.xlsx'), await book());
    const { mtimeMs } = await stat(path.join(dir, 'Live.xlsx'));
    const feed = new FolderFeed({
      clock: systemClock, settings: () => defaultSettings(dir),
      onLive: () => undefined, onHistorical: () => undefined, onProblem: () => undefined, onProblemGone: () => undefined,
    });
    // readdirSync made to fail for every importer of node:fs (syncBuiltinESMExports updates
    // the named ESM exports too): a synchronous listing would find no Live.
    const readdirSync = fs.readdirSync;
    fs.readdirSync = (() => {
      throw new Error('readdirSync on the main thread');
    }) as unknown as typeof fs.readdirSync;
    syncBuiltinESMExports();
    try {
      assert.deepEqual(await feed.watch(), new Date(mtimeMs));
    } finally {
      fs.readdirSync = readdirSync;
      syncBuiltinESMExports();
      await feed.close();
    }
  });
});
