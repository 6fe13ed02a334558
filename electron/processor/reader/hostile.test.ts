// Hostile and broken input: each case an attack or a mistake seen against the reader, read from
// a real file by both workbook readers, ending in rows or one clear DataError line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test-support/workbooks';
import { matchQuotes } from '../universe';
import { DataError, readPriceFile, type WorkbookEngine } from './index';
import {
  SHEET_HEAD, SHEET_TAIL, STRINGS_HEAD, STRINGS_TAIL, buildWorkbook, liveRowsXml, odsLike, rowXml, sheetWorkbook, withDeclaredSize, xlsLike,
} from './hostile-workbooks';
import type { CellValue } from './cells';
import { LIMITS } from './limits';
import { readPriceTable } from './table';
import { RECORDED_SYMBOL_LENGTH } from './symbols';

async function fileWith(content: Buffer | string, name = 'Live.xlsx'): Promise<string> {
  const file = path.join(await tempDir(), name);
  writeFileSync(file, content);
  return file;
}

/** The DataError a read ends in; fails the test on rows or any other exception. */
async function dataError(file: string, engine: WorkbookEngine = 'fast'): Promise<DataError> {
  try {
    await readPriceFile(file, 'live', undefined, engine);
  } catch (error) {
    assert.ok(error instanceof DataError, `expected a DataError, got ${String((error as Error)?.stack ?? error)}`);
    assert.doesNotMatch(error.message, /\n|internal error/);
    return error;
  }
  assert.fail('expected a DataError, got rows');
}

const engines: WorkbookEngine[] = ['fast', 'exceljs'];

describe('hostile workbooks', () => {
  for (const engine of engines) {
    describe(`with the ${engine} reader`, () => {
      it('refuse a row number beyond Excel\'s last row before reading on', async () => {
        const file = await fileWith(sheetWorkbook(rowXml(1, ['Symbol', 'LTP']) + rowXml(4294967294, ['TCS', 1])));
        const error = await dataError(file, engine);
        assert.match(error.message, /^Live\.xlsx, sheet "Live": row 4294967294 is beyond Excel's last row \(1,048,576\)$/);
        assert.equal(error.transient, false);
      });

      it('refuse a column reference beyond XFD (FXSHRXW1 is column 2^31)', async () => {
        const file = await fileWith(sheetWorkbook('<row r="1"><c r="A1" t="inlineStr"><is><t>Symbol</t></is></c><c r="FXSHRXW1" t="inlineStr"><is><t>LTP</t></is></c></row>'));
        assert.match((await dataError(file, engine)).message, /cell FXSHRXW1 is beyond Excel's last column \(XFD, 16,384 columns\)/);
      });

      it('refuse a row with more cells than Excel has columns', async () => {
        const file = await fileWith(sheetWorkbook(`<row r="1">${'<c><v>1</v></c>'.repeat(LIMITS.columns + 1)}</row>`));
        assert.match((await dataError(file, engine)).message, /row 1 has more than 16,384 cells/);
      });

      it('refuse a sheet with more rows than the row cap', async () => {
        const file = await fileWith(buildWorkbook({
          sheet: { head: SHEET_HEAD + rowXml(1, ['Symbol', 'LTP']), chunk: '<row><c t="inlineStr"><is><t>X</t></is></c><c><v>1</v></c></row>', times: LIMITS.rows, tail: SHEET_TAIL },
        }));
        assert.match((await dataError(file, engine)).message, /the sheet has more than 50,000 rows/);
      });

      it('refuse a part whose declared size is beyond the cap, before inflating it', async () => {
        const honest = buildWorkbook({ sheet: { head: SHEET_HEAD, chunk: '<row><c><v>1</v></c></row>', times: Math.ceil((LIMITS.partBytes + 1) / 26), tail: SHEET_TAIL } });
        const error = await dataError(await fileWith(honest), engine);
        assert.match(error.message, /part xl\/worksheets\/sheet1\.xml unzips to 24 MB, more than the 24 MB a part may have/);
        // Declared 1 GB over a small real sheet: refused on the declaration alone.
        const claimed = withDeclaredSize(sheetWorkbook(liveRowsXml(3)), 'xl/worksheets/sheet1.xml', 1024 ** 3);
        assert.match((await dataError(await fileWith(claimed), engine)).message, /unzips to 1024 MB, more than the 24 MB/);
      });

      it('stop inflating a part that unzips to more than its directory declares (a lying zip bomb)', async () => {
        const bomb = buildWorkbook({ sheet: { head: SHEET_HEAD, chunk: '<row><c><v>1</v></c></row>', times: Math.ceil((LIMITS.partBytes * 1.5) / 26), tail: SHEET_TAIL } });
        const lying = withDeclaredSize(bomb, 'xl/worksheets/sheet1.xml', 1000);
        assert.match((await dataError(await fileWith(lying), engine)).message, /unzips to more than its zip directory declares/);
      });

      it('refuse huge shared strings', async () => {
        const file = await fileWith(buildWorkbook({
          sheet: SHEET_HEAD + liveRowsXml(2) + SHEET_TAIL,
          sharedStrings: { head: STRINGS_HEAD, chunk: '<si><t>abcdefghijklmnopqrstuvwxyz</t></si>', times: Math.ceil(LIMITS.partBytes / 36) + 10, tail: STRINGS_TAIL },
        }));
        assert.match((await dataError(file, engine)).message, /part xl\/sharedStrings\.xml unzips to/);
      });

      it('name an .xls or .ods renamed .xlsx for what it is', async () => {
        const xls = await dataError(await fileWith(xlsLike()), engine);
        assert.match(xls.message, /^Live\.xlsx is an Excel 97-2003 workbook \(\.xls\), not \.xlsx: open it in Excel and save it as \.xlsx$/);
        assert.equal(xls.transient, false);
        assert.match((await dataError(await fileWith(odsLike()), engine)).message, /is an OpenDocument spreadsheet \(\.ods\), not \.xlsx: save it as Excel/);
      });

      it('call a truncated zip truncated, and worth retrying', async () => {
        const whole = sheetWorkbook(liveRowsXml(50));
        const error = await dataError(await fileWith(whole.subarray(0, whole.length - 40)), engine);
        assert.match(error.message, /^Live\.xlsx is not a readable workbook \(truncated or corrupt\)$/);
        assert.equal(error.transient, true);
      });
    });
  }

  it('reads an invalid code point as U+FFFD instead of failing', async () => {
    const file = await fileWith(sheetWorkbook(rowXml(1, ['Symbol', 'LTP']) + '<row r="2"><c r="A2" t="inlineStr"><is><t>A&#x110000;B&#99999999999;</t></is></c><c r="B2"><v>5</v></c></row>'));
    const table = await readPriceFile(file, 'live');
    assert.equal(table.rows[0]!.symbol, 'A\ufffdB\ufffd');
  });

  it('reads a sheet whose cells are never closed in linear time', { timeout: 120_000 }, async () => {
    // Each row's first cell once searched to the end of the sheet for a </c>: 45,000 rows x 1.5 MB.
    const rows = Array.from({ length: 45_000 }, (_, i) => `<row r="${i + 2}"><c t="str"><v>X${i}</v></row>`).join('');
    const file = await fileWith(sheetWorkbook(rowXml(1, ['Symbol', 'LTP']) + rows));
    const table = await readPriceFile(file, 'live');
    assert.equal(table.headerRow, 1);
    assert.equal(table.rows.length, 0, 'a cell never closed holds no value');
  });

  it('reads rows whose one cell is in column XFD without walking 16,384 holes per row', { timeout: 120_000 }, async () => {
    // 45,000 such rows took 36 s in the blank-row check alone (Array#every visits every hole).
    const file = await fileWith(buildWorkbook({ sheet: { head: SHEET_HEAD + rowXml(1, ['Symbol', 'LTP']), chunk: '<row><c r="XFD9"><v>1</v></c></row>', times: 45_000, tail: SHEET_TAIL } }));
    const table = await readPriceFile(file, 'live');
    assert.equal(table.rows.length, 45_000);
    assert.equal(table.rows[0]!.symbol, null);
  });

  it('a long sparse row is checked for blankness by the cells it holds, not by its length', () => {
    // Counted, not timed: every index the blank-row check looks at goes through the proxy.
    let looks = 0;
    const sparse: CellValue[] = [];
    sparse[LIMITS.columns - 1] = 1;
    const row = new Proxy(sparse, {
      get: (target, key, receiver) => (typeof key === 'string' && /^\d+$/.test(key) && looks++, Reflect.get(target, key, receiver)),
      has: (target, key) => (looks++, Reflect.has(target, key)),
    });
    const table = readPriceTable([{ name: 'S', rows: [undefined, ['Symbol', 'LTP'], row] }], 'live', 'Live.xlsx');
    assert.equal(table.rows.length, 1);
    assert.ok(looks < 100, `${looks} cells looked at for a row holding one`);
  });

  it('reads a row that is never closed, with stray elements between its cells, in linear time', { timeout: 120_000 }, async () => {
    // Each stray element once searched to the end of the sheet for </row>.
    const file = await fileWith(sheetWorkbook(rowXml(1, ['Symbol', 'LTP']) + `<row r="2">${'<x/><c r="B2" t="str"><v>1</v></c>'.repeat(40_000)}`));
    const table = await readPriceFile(file, 'live');
    assert.equal(table.headerRow, 1);
  });

  it('reads shared strings or text cut off inside a tag without looping for ever', { timeout: 60_000 }, async () => {
    // Found by the fuzz test: "<si" or "<t" with no ">" sent the search back to the start.
    for (const strings of [`${STRINGS_HEAD}<si><t>Symbol</t></si><si><t>LTP</t></si><si`, `${STRINGS_HEAD}<si><t>Symbol</t></si><si><t>LTP</t></si><si><t`]) {
      const file = await fileWith(buildWorkbook({
        sheet: `${SHEET_HEAD}<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>${rowXml(2, ['TCS', 5])}${SHEET_TAIL}`,
        sharedStrings: strings,
      }));
      assert.deepEqual((await readPriceFile(file, 'live')).rows.map((r) => [r.symbol, r.price]), [['TCS', 5]]);
    }
  });

  it('a sheet that names only a symbol column names a few of its columns, clipped', async () => {
    const names = ['Symbol', ...Array.from({ length: 20 }, (_, i) => `Column ${i} ${'x'.repeat(100)}`)];
    const file = await fileWith(sheetWorkbook(rowXml(1, names)));
    const message = (await dataError(file)).message;
    assert.match(message, /has no price column: found Symbol, Column 0 x{20}…, /);
    assert.match(message, / and 13 more; expected one of LTP/);
    assert.ok(message.length < 600, message);
  });

  it('a rejected row records at most a clipped symbol', async () => {
    const long = `JUNK${'Z'.repeat(5000)}`;
    const file = await fileWith(sheetWorkbook(rowXml(1, ['Symbol', 'LTP', 'Prev Close']) + rowXml(2, ['TCS', 1, 1]) + rowXml(3, [long, 0, 1])));
    const { rejected } = matchQuotes((await readPriceFile(file, 'live')).rows, null);
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]!.symbol!.length, RECORDED_SYMBOL_LENGTH);
    assert.ok(rejected[0]!.symbol!.startsWith('JUNKZZZ'));
  });

  it('a file without read permission says permission denied, not locked, and is not retried', async () => {
    const file = await fileWith(sheetWorkbook(liveRowsXml(3)));
    chmodSync(file, 0o000);
    chmodSync(path.dirname(file), 0o755);
    if (process.getuid?.() !== 0) {
      const error = await dataError(file);
      assert.match(error.message, /^Live\.xlsx cannot be read: permission denied \(EACCES\)/);
      assert.equal(error.transient, false);
      return;
    }
    // root reads anything: the read runs in a real child process as the unprivileged "nobody".
    const script = `import { readPriceFile } from ${JSON.stringify(path.resolve('electron/processor/reader/index.ts'))};
      readPriceFile(${JSON.stringify(file)}, 'live').then(() => console.log('rows'), (e) => console.log(JSON.stringify({ name: e.name, message: e.message, transient: e.transient })));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      uid: 65534, gid: 65534, encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOME: '/tmp' },
    });
    const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { name: string; message: string; transient: boolean };
    assert.equal(result.name, 'DataError', child.stderr);
    assert.match(result.message, /^Live\.xlsx cannot be read: permission denied \(EACCES\)/);
    assert.equal(result.transient, false);
  });
});

describe('CSV encodings', () => {
  const lines = ['Symbol,LTP,Prev Close,Sector', 'TCS,101.5,100,Société Générale Bank', 'M&M,99,100,Café Industries'];
  const expectSectors = async (bytes: Buffer) => {
    const table = await readPriceFile(await fileWith(bytes, 'Live.csv'), 'live');
    assert.deepEqual(table.rows.map((r) => [r.symbol, r.price, r.sector]), [
      ['TCS', 101.5, 'Société Générale Bank'], ['M&M', 99, 'Café Industries'],
    ]);
  };
  const text = lines.join('\r\n');
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

  it('reads UTF-8 with and without a BOM', async () => {
    await expectSectors(Buffer.from(text, 'utf8'));
    await expectSectors(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
  });
  it('reads UTF-16 LE and BE, with a BOM or without', async () => {
    await expectSectors(Buffer.from(`\ufeff${text}`, 'utf16le'));
    await expectSectors(Buffer.from(text, 'utf16le'));
    await expectSectors(utf16be(`\ufeff${text}`));
    await expectSectors(utf16be(text));
  });
  it('reads Windows-1252 (not valid UTF-8) without garbling accented names', async () => {
    await expectSectors(Buffer.from(text, 'latin1')); // é is 0xE9 in both Latin-1 and Windows-1252
  });
  it('refuses a CSV with a line wider than Excel\'s last column', async () => {
    const error = await dataError(await fileWith(`Symbol,LTP${','.repeat(LIMITS.columns)}\nTCS,1\n`, 'Live.csv'));
    assert.match(error.message, /^Live\.csv has a line of more than 16,384 fields/);
  });
});
