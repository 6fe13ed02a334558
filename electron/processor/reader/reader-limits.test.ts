// The reader's refusals of files that are not workbooks or are beyond its limits, each built on
// disk and read through readPriceFile by both workbook readers: the exact one-line message, and
// whether it is worth retrying (transient). docs/reading-rules.md gives the reasons for the limits.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { tempDir } from '../../test-support/workbooks';
import { DataError, readPriceFile, type WorkbookEngine } from './index';
import {
  SHEET_HEAD, SHEET_TAIL, buildWorkbook, liveRowsXml, sheetWorkbook, withDeclaredSize, withMethod, zipOfEmptyEntries,
} from './hostile-workbooks';
import { LIMITS } from './limits';

const MB = 1024 * 1024;
const engines: WorkbookEngine[] = ['fast', 'exceljs'];

async function fileWith(content: Buffer | string, name = 'Live.xlsx'): Promise<string> {
  const file = path.join(await tempDir('livebreadth-limits-'), name);
  writeFileSync(file, content);
  return file;
}

/** A file of `bytes` that takes no disk and no memory: a hole made with ftruncate. */
async function sparseFile(name: string, bytes: number): Promise<string> {
  const file = path.join(await tempDir('livebreadth-limits-'), name);
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return file;
}

/** The DataError a read ends in; fails on rows, on any other exception, or on a second line. */
async function refusal(file: string, engine: WorkbookEngine = 'fast'): Promise<{ message: string; transient: boolean }> {
  try {
    await readPriceFile(file, 'live', undefined, engine);
  } catch (error) {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String((error as Error)?.stack ?? error)}`);
    assert.doesNotMatch(error.message, /\n/);
    return { message: error.message, transient: error.transient };
  }
  assert.fail('expected a DataError, got rows');
}

/** 69 MB of padding in three parts of 23 MB: each under the part cap, together over the workbook cap. */
const padding = () => Object.fromEntries([1, 2, 3].map((n) => [
  `xl/media/padding${n}.xml`,
  { head: '<pad>', chunk: 'x'.repeat(1024), times: 23 * 1024, tail: '</pad>' },
]));

describe('reader refusals', () => {
  for (const engine of engines) {
    describe(`with the ${engine} reader`, () => {
      it('an HTML page or XML file renamed .xlsx is named as such, and not retried', async () => {
        const html = await refusal(await fileWith('\r\n  <!DOCTYPE html>\n<html><body><table><tr><td>TCS</td><td>101</td></tr></table></body></html>'), engine);
        assert.deepEqual(html, {
          message: 'Live.xlsx is a web page or XML file renamed .xlsx, not an Excel workbook: save it from Excel as .xlsx',
          transient: false,
        });
        // Excel 2003's "XML Spreadsheet" is XML, not a zip.
        const xml = await refusal(await fileWith('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'), engine);
        assert.deepEqual(xml, html);
        // Saved with a UTF-8 byte-order mark first (Notepad, a browser's "Save as").
        assert.deepEqual(await refusal(await fileWith('\uFEFF<!DOCTYPE html>\n<html></html>'), engine), html);
      });

      it('a zip that holds no workbook (a zipped text file) says so, and is not retried', async () => {
        const zip = Buffer.from(zipSync({ 'Live.csv': strToU8('Symbol,LTP\nTCS,101\n') }));
        assert.deepEqual(await refusal(await fileWith(zip), engine), {
          message: 'Live.xlsx is a zip file but not an Excel workbook (no xl/workbook.xml): save it from Excel as .xlsx',
          transient: false,
        });
      });

      it('a part packed by a compression method Excel never writes is refused, naming the part and the method', async () => {
        // The bytes are still deflate: only the method says otherwise, as a re-packing tool's would.
        const zip = withMethod(sheetWorkbook(liveRowsXml(3)), 'xl/worksheets/sheet1.xml', 12);
        assert.deepEqual(await refusal(await fileWith(zip), engine), {
          message: 'Live.xlsx: part xl/worksheets/sheet1.xml uses zip compression method 12, which Excel never writes: save the workbook again from Excel',
          transient: false,
        });
      });

      it('more zip entries than the cap are refused from the directory, before any part is read', async () => {
        assert.deepEqual(await refusal(await fileWith(zipOfEmptyEntries(LIMITS.zipEntries + 1)), engine), {
          message: 'Live.xlsx holds 10,001 zip entries, more than the 10,000 a workbook may have',
          transient: false,
        });
        // At the cap the directory is read, and the zip found to hold no workbook.
        assert.match((await refusal(await fileWith(zipOfEmptyEntries(LIMITS.zipEntries)), engine)).message, /is a zip file but not an Excel workbook/);
      });

      it('a stored (uncompressed) part holding more than the cap is refused, whatever size it declares', async () => {
        // 25 MB of layout whitespace in a stored sheet whose directory entry declares 1,000 bytes.
        const stored = buildWorkbook({ level: 0, sheet: { head: SHEET_HEAD + liveRowsXml(3), chunk: ' '.repeat(1024), times: 25 * 1024, tail: SHEET_TAIL } });
        const file = await fileWith(withDeclaredSize(stored, 'xl/worksheets/sheet1.xml', 1000));
        assert.deepEqual(await refusal(file, engine), {
          message: 'Live.xlsx: part xl/worksheets/sheet1.xml holds 25 MB, more than the 24 MB a part may have (docs/reading-rules.md)',
          transient: false,
        });
      });

      it('a 1 GB workbook is refused from its size on disk, before it is read', async () => {
        // That it is not read into memory is shown for Live.csv below: the same check, in a fresh process.
        assert.deepEqual(await refusal(await sparseFile('Live.xlsx', 1024 ** 3), engine), {
          message: 'Live.xlsx is 1024 MB, more than the 64 MB a price file may have (docs/reading-rules.md)',
          transient: false,
        });
      });
    });
  }

  describe('the total a workbook unzips to', () => {
    it('parts each under the part cap but together over 64 MB: exceljs, which unzips every part, refuses them from the directory', async () => {
      const file = await fileWith(buildWorkbook({ sheet: SHEET_HEAD + liveRowsXml(3) + SHEET_TAIL, extra: padding() }));
      assert.deepEqual(await refusal(file, 'exceljs'), {
        message: 'Live.xlsx unzips to 69 MB in all, more than the 64 MB a workbook may hold (docs/reading-rules.md)',
        transient: false,
      });
      // The fast reader inflates only the parts it reads: the padding costs it nothing.
      assert.equal((await readPriceFile(file, 'live', undefined, 'fast')).rows.length, 3);
    });

    it('the same parts declaring 1,000 bytes each: exceljs stops once what it has inflated passes 64 MB', async () => {
      let zip = buildWorkbook({ sheet: SHEET_HEAD + liveRowsXml(3) + SHEET_TAIL, extra: padding() });
      for (const name of Object.keys(padding())) zip = withDeclaredSize(zip, name, 1000);
      assert.deepEqual(await refusal(await fileWith(zip), 'exceljs'), {
        message: 'Live.xlsx unzips to more than 64 MB in all, more than the 64 MB a workbook may hold (docs/reading-rules.md)',
        transient: false,
      });
    });
  });

  describe('CSV', () => {
    it('a 1 GB Live.csv is refused from its size on the open file, never read: peak memory stays far below its size', async (t) => {
      const file = await sparseFile('Live.csv', 1024 ** 3);
      // In a fresh process, so its peak RSS is this read's alone, whatever earlier tests held. (The
      // message alone cannot tell: the CSV reader refuses the same size again once it has read it.)
      const script = `import { readPriceFile } from ${JSON.stringify(path.join(import.meta.dirname, 'index.ts'))};
        const before = process.resourceUsage().maxRSS;
        readPriceFile(${JSON.stringify(file)}, 'live').then(() => console.log('{}'), (e) => console.log(JSON.stringify({
          message: e.message, transient: e.transient, grownKb: process.resourceUsage().maxRSS - before,
        })));`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      const result = JSON.parse(child.stdout.trim().split('\n').pop() || '{}') as { message?: string; transient?: boolean; grownKb?: number };
      assert.deepEqual({ message: result.message, transient: result.transient }, {
        message: 'Live.csv is 1024 MB, more than the 24 MB a price file may have (docs/reading-rules.md)',
        transient: false,
      }, child.stderr);
      const grown = result.grownKb! * 1024;
      t.diagnostic(`peak RSS grew by ${(grown / MB).toFixed(1)} MB refusing a 1024 MB Live.csv`);
      assert.ok(grown < 256 * MB, `peak RSS grew by ${Math.round(grown / MB)} MB refusing a 1024 MB file: it was read`);
    });

    it('more lines than the line cap are refused before they are parsed; at the cap the file reads', async () => {
      const csv = (rows: number) => `Symbol,LTP\n${Array.from({ length: rows }, (_, i) => `S${i},${100 + (i % 7)}\n`).join('')}`;
      assert.deepEqual(await refusal(await fileWith(csv(LIMITS.rows + 1), 'Live.csv')), {
        message: 'Live.csv has more than 50,000 lines, more than a price list may have (docs/reading-rules.md)',
        transient: false,
      });
      // The header and 49,999 rows with a final line break: the most a sheet may hold too.
      assert.equal((await readPriceFile(await fileWith(csv(LIMITS.rows - 1), 'Live.csv'), 'live')).rows.length, LIMITS.rows - 1);
      // One row more is refused whether or not the file ends with a line break.
      assert.equal((await refusal(await fileWith(csv(LIMITS.rows).trimEnd(), 'Live.csv'))).message, 'Live.csv has more than 50,000 lines, more than a price list may have (docs/reading-rules.md)');
    });

    it('lines ended by a lone CR (Excel\'s "CSV (Macintosh)") count as lines: read, and the line cap applies', async () => {
      const mac = (rows: number) => `Symbol,LTP,Volume\r${Array.from({ length: rows }, (_, i) => `S${i},${100 + (i % 7)},${i}`).join('\r')}\r`;
      assert.equal((await readPriceFile(await fileWith(mac(9_000), 'Live.csv'), 'live')).rows.length, 9_000);
      assert.equal((await refusal(await fileWith(mac(LIMITS.rows), 'Live.csv'))).message, 'Live.csv has more than 50,000 lines, more than a price list may have (docs/reading-rules.md)');
    });
  });
});
