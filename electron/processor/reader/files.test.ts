// Live and Historical in a real folder, found by the core's listing (fs/promises, off the main
// thread's back) and the processor's (synchronous): the same files, the same refusals.
import assert from 'node:assert/strict';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test-support/workbooks';
import { findDataFiles, findDataFilesSync, type DataFileNames } from './files';

/** What each listing gives, or the message it refuses with. */
async function both(dir: string, names?: DataFileNames): Promise<[unknown, unknown]> {
  const outcome = async (find: () => unknown) => {
    try {
      return await find();
    } catch (error) {
      return `refused: ${(error as Error).message}`;
    }
  };
  return [await outcome(() => findDataFiles(dir, names)), await outcome(() => findDataFilesSync(dir, names))];
}

describe('finding the data files', () => {
  it('both listings choose the same files: the newest extension, any case, never owner files, temp files or folders', async () => {
    const dir = await tempDir();
    const at = (file: string, seconds: number) => utimes(path.join(dir, file), seconds, seconds);
    await writeFile(path.join(dir, 'Live.xlsx'), 'older live');
    await writeFile(path.join(dir, 'LIVE.csv'), 'newer live, the one the feed updates');
    await writeFile(path.join(dir, '~$Live.xlsx'), 'owner');
    await writeFile(path.join(dir, '3F2A1B0C'), 'temp');
    await writeFile(path.join(dir, 'historical.XLSM'), 'closes');
    await mkdir(path.join(dir, 'Historical.xlsx')); // a folder by that name, newer still
    await at('Live.xlsx', 1_700_000_000);
    await at('LIVE.csv', 1_700_000_100);
    await at('~$Live.xlsx', 1_700_000_200);
    await at('historical.XLSM', 1_700_000_000);
    await at('Historical.xlsx', 1_700_000_300);

    const [core, processor] = await both(dir);
    assert.deepEqual(core, processor);
    const found = core as Awaited<ReturnType<typeof findDataFiles>>;
    assert.equal(path.basename(found.live.path), 'LIVE.csv');
    assert.equal(found.live.mtimeMs, 1_700_000_100_000);
    assert.equal(found.live.size, Buffer.byteLength('newer live, the one the feed updates'));
    assert.equal(path.basename(found.historical!.path), 'historical.XLSM');

    const [renamedCore, renamedProcessor] = await both(dir, { live: 'historical', historical: 'Live' });
    assert.deepEqual(renamedCore, renamedProcessor, 'names from the settings');
  });

  it('both refuse the same way: no Live, a missing folder, a file in place of the folder', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'Historical.xlsx'), 'closes');
    const cases: Array<[string, RegExp]> = [
      [dir, /^refused: No Live file in .*: expected Live\.xlsx, Live\.xlsm or Live\.csv$/],
      [path.join(dir, 'gone'), /^refused: Data folder .*gone does not exist$/],
      [path.join(dir, 'Historical.xlsx'), /^refused: Data folder .*Historical\.xlsx is not a folder$/],
    ];
    for (const [folder, refusal] of cases) {
      const [core, processor] = await both(folder);
      assert.equal(core, processor);
      assert.match(core as string, refusal);
    }
  });
});
