// Whether a workbook on disk is whole: the watcher's test for a finished save.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test-support/workbooks';
import { zipLooksComplete } from './file-complete';
import { book } from './test-support/watcher';

describe('file complete', () => {
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
