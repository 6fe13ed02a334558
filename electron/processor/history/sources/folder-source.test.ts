// FolderSource on real folders of real files: the loopback archive's bhavcopies written out as a
// trader's downloads, renamed, nested, unzipped, mixed with files that are not bhavcopies.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sha256 } from './bhavcopy-file';
import { FolderSource } from './folder-source';
import { type FetchOutcome } from './source';
import { writeArchiveFolder } from './testing/archive-folder';
import { GeneratedArchive } from './testing/generated-archive';
import { writeZip } from './testing/zip-writer';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'folder-source-'));
  dirs.push(dir);
  return dir;
};

const archive = new GeneratedArchive({ symbols: 80, from: '2024-07-01', to: '2024-07-19' });

const found = (outcome: FetchOutcome) => {
  assert.equal(outcome.kind, 'found', outcome.kind === 'not-published' ? outcome.detail : '');
  return outcome as Extract<FetchOutcome, { kind: 'found' }>;
};

describe('FolderSource', () => {
  it('finds every day of a nested folder of NSE zips, in both layouts', async () => {
    const dir = tempDir();
    const files = await writeArchiveFolder(archive, dir, { nested: true });
    assert.ok(files.some((file) => file.includes(`${path.sep}2024${path.sep}07${path.sep}`)));
    const folder = new FolderSource(dir);
    assert.deepEqual(await folder.days(), archive.publishedBetween('2024-07-01', '2024-07-19'));
    for (const date of ['2024-07-05', '2024-07-08', '2024-07-19']) {
      const outcome = found(await folder.fetchDay(date));
      assert.equal(outcome.source, 'folder');
      assert.equal(outcome.fromCache, false);
      assert.equal(outcome.bhavcopy.format, date <= '2024-07-05' ? 'classic' : 'udiff');
      assert.deepEqual(outcome.bhavcopy.rows, archive.rowsOn(date));
      assert.equal(outcome.contentHash, sha256(archive.csvOn(date)));
    }
  });

  it('reads plain CSVs too, with the same content hash as the zipped day', async () => {
    const dir = tempDir();
    await writeArchiveFolder(archive, dir, { as: 'csv', from: '2024-07-08', to: '2024-07-08' });
    const outcome = found(await new FolderSource(dir).fetchDay('2024-07-08'));
    assert.equal(outcome.contentHash, sha256(archive.csvOn('2024-07-08')));
    assert.equal(outcome.bytes, Buffer.byteLength(archive.csvOn('2024-07-08')));
  });

  it('knows each file\'s day and layout by its content, whatever its name says', async () => {
    const dir = tempDir();
    // UDiFF content (8 July) under a classic name for 5 July, and the reverse, zipped.
    writeFileSync(path.join(dir, 'cm05JUL2024bhav.csv'), archive.csvOn('2024-07-08'));
    writeFileSync(path.join(dir, 'BhavCopy_NSE_CM_0_0_0_20240708_F_0000.csv.zip'), archive.zipOn('2024-07-05'));
    // A zip saved with a .csv name.
    writeFileSync(path.join(dir, 'today.csv'), archive.zipOn('2024-07-10'));
    const folder = new FolderSource(dir);
    const july8 = found(await folder.fetchDay('2024-07-08'));
    assert.equal(july8.bhavcopy.format, 'udiff');
    assert.deepEqual(july8.bhavcopy.rows, archive.rowsOn('2024-07-08'));
    const july5 = found(await folder.fetchDay('2024-07-05'));
    assert.equal(july5.bhavcopy.format, 'classic');
    assert.deepEqual(july5.bhavcopy.rows, archive.rowsOn('2024-07-05'));
    assert.equal(found(await folder.fetchDay('2024-07-10')).bhavcopy.tradeDate, '2024-07-10');
  });

  it('answers "not published here" for a day it has not got, so a chain falls back', async () => {
    const dir = tempDir();
    await writeArchiveFolder(archive, dir, { from: '2024-07-01', to: '2024-07-05' });
    assert.deepEqual(await new FolderSource(dir).fetchDay('2024-07-08'), {
      kind: 'not-published', source: 'folder', detail: `no bhavcopy for 2024-07-08 in ${dir}`,
    });
  });

  it('skips files that are not bhavcopies, says why, and still finds the rest', async () => {
    const dir = tempDir();
    await writeArchiveFolder(archive, dir, { from: '2024-07-08', to: '2024-07-09' });
    writeFileSync(path.join(dir, 'holidays.csv'), 'Date,Holiday\n2024-08-15,Independence Day\n');
    writeFileSync(path.join(dir, 'saved-page.zip'), '<!DOCTYPE html><html><body>Access Denied</body></html>');
    writeFileSync(path.join(dir, 'cut.zip'), Buffer.from(archive.zipOn('2024-07-10')).subarray(0, 500));
    writeFileSync(path.join(dir, 'notes.txt'), 'not looked at');
    mkdirSync(path.join(dir, 'empty'));
    const folder = new FolderSource(dir);
    found(await folder.fetchDay('2024-07-08'));
    found(await folder.fetchDay('2024-07-09'));
    assert.deepEqual(
      (await folder.problems()).map(({ file, reason }) => `${file}: ${reason.replace(/ \(DATE.*$/, '')}`),
      [
        'cut.zip: cut.zip is not a readable zip (truncated or corrupt)',
        'holidays.csv: Not an NSE bhavcopy: the first line has columns DATE, HOLIDAY; expected the classic layout (SYMBOL, SERIES, …, TIMESTAMP) or UDiFF (TradDt, …, TckrSymb, SctySrs, …)',
        'saved-page.zip: saved-page.zip is a web page, not a bhavcopy',
      ],
    );
  });

  it('finds each day of a zip holding a month of CSVs', async () => {
    const dir = tempDir();
    const days = archive.publishedBetween('2024-07-01', '2024-07-12');
    writeFileSync(path.join(dir, 'july.zip'), writeZip(days.map((date) => ({ name: `bhav/${date}.csv`, data: Buffer.from(archive.csvOn(date)) })), new Date(2024, 6, 12)));
    const folder = new FolderSource(dir);
    assert.deepEqual(await folder.days(), days);
    assert.deepEqual(found(await folder.fetchDay('2024-07-09')).bhavcopy.rows, archive.rowsOn('2024-07-09'));
  });

  it('fails the day, naming the file, when the indexed file has changed since', async () => {
    const dir = tempDir();
    const [file] = await writeArchiveFolder(archive, dir, { from: '2024-07-08', to: '2024-07-08' });
    const folder = new FolderSource(dir);
    await folder.days();
    writeFileSync(file!, Buffer.from(archive.zipOn('2024-07-08')).subarray(0, 300));
    await assert.rejects(folder.fetchDay('2024-07-08'), /^SourceError: folder: 2024-07-08: BhavCopy_NSE_CM_0_0_0_20240708_F_0000\.csv\.zip is not a readable zip \(truncated or corrupt\)$/);
  });

  it('indexes the folder once: files added later are not seen by the same source', async () => {
    const dir = tempDir();
    await writeArchiveFolder(archive, dir, { from: '2024-07-08', to: '2024-07-08' });
    const folder = new FolderSource(dir);
    found(await folder.fetchDay('2024-07-08'));
    const [added] = await writeArchiveFolder(archive, tempDir(), { from: '2024-07-09', to: '2024-07-09' });
    renameSync(added!, path.join(dir, 'late.zip'));
    assert.equal((await folder.fetchDay('2024-07-09')).kind, 'not-published');
    assert.equal(found(await new FolderSource(dir).fetchDay('2024-07-09')).source, 'folder', 'a new source (a new job) sees it');
  });

  it('fails with one line when the folder does not exist, and tries again on the next fetch', async () => {
    const dir = path.join(tempDir(), 'later');
    const folder = new FolderSource(dir);
    await assert.rejects(folder.fetchDay('2024-07-08'), new RegExp(`^SourceError: folder: the folder ${dir.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')} does not exist$`));
    await writeArchiveFolder(archive, dir, { from: '2024-07-08', to: '2024-07-08' });
    found(await folder.fetchDay('2024-07-08'));
  });
});
