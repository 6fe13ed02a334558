// What is at the data folder's path, in the trader's words.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test-support/workbooks';
import { folderProblem, probeFolder, sameFolder } from './folder-probe';

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
