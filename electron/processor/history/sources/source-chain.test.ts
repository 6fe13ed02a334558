// SourceChain over the real sources: a folder of files and the loopback archive.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { FolderSource } from './folder-source';
import { NseArchiveSource } from './nse-archive-source';
import { SourceChain } from './source-chain';
import { SourceError, type BhavcopySource, type FetchOutcome } from './source';
import { writeArchiveFolder } from './testing/archive-folder';
import { startArchiveServer, type ArchiveServer } from './testing/archive-server';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'source-chain-'));
  dirs.push(dir);
  return dir;
};

let server: ArchiveServer;
let folderDir: string;
beforeEach(async () => {
  server = await startArchiveServer({ symbols: 40, from: '2024-08-01', to: '2024-08-30', missing: ['2024-08-14'] });
  folderDir = tempDir();
  // The folder has the first week only.
  await writeArchiveFolder(server.archive, folderDir, { from: '2024-08-01', to: '2024-08-07' });
});
afterEach(() => server.close());

const nse = () => new NseArchiveSource({ baseUrl: server.baseUrl, cacheDir: tempDir(), rateLimitPerSecond: Infinity, retries: 0 });
const foundFrom = (outcome: FetchOutcome) => (outcome.kind === 'found' ? outcome.source : `not published: ${outcome.detail}`);

describe('SourceChain', () => {
  it('takes a day from the first source that has it, in order', async () => {
    const chain = new SourceChain([new FolderSource(folderDir), nse()]);
    assert.equal(chain.name, 'folder+nse');
    assert.equal(foundFrom(await chain.fetchDay('2024-08-05')), 'folder');
    assert.equal(server.requests.length, 0, 'the archive was not asked for a day the folder had');
    assert.equal(foundFrom(await chain.fetchDay('2024-08-12')), 'nse');
    assert.equal(server.requestsFor('2024-08-12'), 1);
    const reversed = new SourceChain([nse(), new FolderSource(folderDir)]);
    assert.equal(foundFrom(await reversed.fetchDay('2024-08-05')), 'nse');
  });

  it('says not published when no source has the day and none failed, with each one\'s detail', async () => {
    const outcome = await new SourceChain([new FolderSource(folderDir), nse()]).fetchDay('2024-08-14');
    assert.deepEqual(outcome, {
      kind: 'not-published',
      source: 'folder+nse',
      detail: `folder: no bhavcopy for 2024-08-14 in ${folderDir}; nse: NSE's archive has no bhavcopy for 2024-08-14 (HTTP 404)`,
    });
  });

  it('falls back past a source that failed', async () => {
    const chain = new SourceChain([new FolderSource(path.join(folderDir, 'missing')), nse()]);
    assert.equal(foundFrom(await chain.fetchDay('2024-08-05')), 'nse');
  });

  it('fails a day no source had when any failed, naming each source\'s reason on one line', async () => {
    server.inject({ kind: 'status', status: 500 }, { times: Infinity });
    const missing = path.join(folderDir, 'missing');
    const chain = new SourceChain([new FolderSource(missing), new FolderSource(folderDir), nse()]);
    await assert.rejects(chain.fetchDay('2024-08-12'), (error: Error) => {
      assert.ok(error instanceof SourceError);
      assert.equal(
        error.message,
        `folder+folder+nse: no bhavcopy for 2024-08-12: folder: the folder ${missing} does not exist; folder: no bhavcopy for 2024-08-12 in ${folderDir}; nse: 2024-08-12: HTTP 500 Internal Server Error`,
      );
      return true;
    });
  });

  it('stops at once when cancelled, without asking the next source', async () => {
    const controller = new AbortController();
    const cancelling: BhavcopySource = {
      name: 'cancelling',
      fetchDay: async () => {
        controller.abort();
        throw new SourceError('cancelling', 'interrupted');
      },
    };
    await assert.rejects(new SourceChain([cancelling, nse()]).fetchDay('2024-08-12', controller.signal), { name: 'AbortError' });
    assert.equal(server.requests.length, 0);
    // Last in the chain too: a cancel is reported as such, not as that source's failure.
    const again = new AbortController();
    const last: BhavcopySource = { name: 'last', fetchDay: async () => { again.abort(); throw new SourceError('last', 'interrupted'); } };
    await assert.rejects(new SourceChain([new FolderSource(folderDir), last]).fetchDay('2024-08-12', again.signal), { name: 'AbortError' });
  });
});
