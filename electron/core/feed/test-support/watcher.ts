// Test support for the folder watcher's tests: a real FolderWatcher on a real folder, its events
// awaited one at a time, and Excel-style saves into it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after } from 'node:test';
import { saveLikeExcel } from '../../../cli/demo/workbooks';
import { workbookBuffer } from '../../../test-support/workbooks';
import { FolderWatcher, type WatcherEvents, type WatcherOptions } from '../watcher';

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small Live workbook, different at every call. */
export const book = () => workbookBuffer([{ name: 'Live', rows: [['Symbol', 'LTP'], ['TCS', Math.random()]] }]);

/** Waits are for the event itself, with generous limits for a loaded machine; nothing asserts how fast. */
export const LIMIT = 20_000;

/** Resolves with the next `name` event passing `match`, or rejects after `ms`. */
export function next<K extends 'live' | 'historical' | 'folderMissing' | 'folderBack'>(
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

/** A watcher on `dir` (Live and Historical, recheck every 200 ms) and a log of what it said. */
export async function watchFolder(dir: string, options: Partial<WatcherOptions> = {}) {
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
export async function saveSeen(watcher: FolderWatcher, dir: string): Promise<void> {
  const seen = next(watcher, 'live');
  await saveLikeExcel(path.join(dir, 'Live.xlsx'), await book());
  const { path: p } = await seen;
  assert.equal(p, path.join(dir, 'Live.xlsx'));
}
