// The reading rules (docs/reading-rules.md), each on a real workbook written by exceljs.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir, writeWorkbook, type Row } from '../../test-support/workbooks';
import { classifyDataFile, findDataFiles, readPriceFile as readWith, type WorkbookEngine } from './index';
import { normalizeSymbol } from './symbols';
import { sheetNameDate, sheetCandidates } from './sheets';
import { toNumber } from './cells';

// Every rule runs against both workbook readers: the fast live path and exceljs.
let engine: WorkbookEngine = 'fast';
const readPriceFile = (file: string, role: 'live' | 'historical', today?: string) => readWith(file, role, today, engine);

async function liveTable(rows: Row[] | Array<{ name: string; rows: Row[] }>, today?: string, name = 'Live.xlsx') {
  const dir = await tempDir();
  const file = await writeWorkbook(path.join(dir, name), rows as Row[]);
  return readPriceFile(file, 'live', today);
}

for (const which of ['fast', 'exceljs'] as const) {
  describe(`with the ${which} workbook reader`, () => {
    before(() => {
      engine = which;
    });

    describe('data files', () => {
      it('match Live/Historical in any case and extension xlsx, xlsm, csv', () => {
        assert.equal(classifyDataFile('Live.xlsx'), 'live');
        assert.equal(classifyDataFile('live.XLSM'), 'live');
        assert.equal(classifyDataFile('LIVE.csv'), 'live');
        assert.equal(classifyDataFile('historical.Xlsx'), 'historical');
        assert.equal(classifyDataFile('Live.xls'), null);
        assert.equal(classifyDataFile('Live Copy.xlsx'), null);
      });
      it('never read Excel owner files or extensionless temp files', async () => {
        assert.equal(classifyDataFile('~$Live.xlsx'), null);
        assert.equal(classifyDataFile('3F2A1B0C'), null);
        const dir = await tempDir();
        await writeFile(path.join(dir, '~$Live.xlsx'), 'owner');
        await writeFile(path.join(dir, '3F2A1B0C'), 'temp');
        await assert.rejects(findDataFiles(dir), /No Live file/);
        await writeWorkbook(path.join(dir, 'live.xlsx'), [['Symbol', 'LTP'], ['TCS', 1]]);
        const found = await findDataFiles(dir);
        assert.equal(path.basename(found.live.path), 'live.xlsx');
        assert.equal(found.historical, null);
      });
      it('a missing folder is a clear error', async () => {
        await assert.rejects(findDataFiles('/nonexistent/live_data'), /Data folder \/nonexistent\/live_data does not exist/);
      });
    });

    describe('symbols', () => {
      it('are trimmed, upper-cased, with exchange prefixes and series suffixes removed', () => {
        const cases: Array<[string, string]> = [
          [' reliance ', 'RELIANCE'], ['NSE:TCS', 'TCS'], ['BSE:INFY', 'INFY'], ['NSE_EQ|SBIN', 'SBIN'],
          ['nse_cm|ITC', 'ITC'], ['HDFCBANK-EQ', 'HDFCBANK'], ['WIPRO.NS', 'WIPRO'], ['LT.BO', 'LT'],
          ['m&m', 'M&M'], ['BAJAJ-AUTO', 'BAJAJ-AUTO'], ['NSE:BAJAJ-AUTO-EQ', 'BAJAJ-AUTO'],
        ];
        for (const [raw, expected] of cases) assert.equal(normalizeSymbol(raw), expected, raw);
        assert.equal(normalizeSymbol('   '), null);
      });
    });

    describe('cell values', () => {
      it('parse text numbers and treat placeholders as missing', () => {
        assert.equal(toNumber('1,234.50'), 1234.5);
        assert.equal(toNumber(' 987.65 '), 987.65);
        assert.equal(toNumber('1,23,456.75'), 123456.75);
        assert.equal(toNumber('1 234.5'), 1234.5);
        for (const missing of ['-', 'N/A', '', '#N/A', '#DIV/0!', 'abc', null]) assert.equal(toNumber(missing), null, String(missing));
      });

      it('in a workbook: numbers, text numbers, cached formula results; errors and blanks missing', async () => {
        const table = await liveTable([
          ['Symbol', 'LTP', 'Volume'],
          ['A', 101.5, 10],
          ['B', '1,234.50', '2,000'],
          ['C', { formula: 'B2*2', result: 203 }, null],
          ['D', { error: '#N/A' }, null],
          ['E', { formula: '1/0', result: { error: '#DIV/0!' } }, null],
          ['F', '-', null],
          ['G', 'N/A', null],
          ['H', null, 5],
        ]);
        assert.deepEqual(table.rows.map((r) => [r.symbol, r.price]), [
          ['A', 101.5], ['B', 1234.5], ['C', 203], ['D', null], ['E', null], ['F', null], ['G', null], ['H', null],
        ]);
        assert.equal(table.rows[1]!.volume, 2000);
      });

      it('last trade times read the same in 1900 and 1904 workbooks', async () => {
        for (const date1904 of [false, true]) {
          const dir = await tempDir();
          const at = new Date(Date.UTC(1899, 11, 30, 10, 15, 30)); // a time-only cell, as Excel stores it
          const file = await writeWorkbook(path.join(dir, 'Live.xlsx'), [['Symbol', 'LTP', 'LTT'], ['A', 1, at], ['B', 2, 0.5]], { date1904 });
          const table = await readPriceFile(file, 'live');
          assert.deepEqual(table.rows.map((r) => r.time), ['10:15:30', '12:00:00'], `date1904=${date1904}`);
        }
      });
    });

    describe('header', () => {
      it('is found below title rows, within the first 20 rows', async () => {
        const table = await liveTable([
          ['Market Watch — my broker'],
          [],
          ['Updated at', '10:15'],
          ['Trading Symbol', 'Last Traded Price', 'Vol.', 'Prev. Close'],
          ['NSE:TCS', 4200, 100, 4120.1],
        ]);
        assert.equal(table.headerRow, 4);
        assert.deepEqual(table.columns, { symbol: 'Trading Symbol', livePrice: 'Last Traded Price', volume: 'Vol.', prevClose: 'Prev. Close', referencePrice: 'Prev. Close' });
        assert.deepEqual(table.rows.map((r) => [r.row, r.symbol, r.price, r.volume, r.prevClose]), [[5, 'TCS', 4200, 100, 4120.1]]);
      });

      it('matches names ignoring case, spaces, dots, underscores, % and #', async () => {
        const table = await liveTable([['#_SCRIP', 'c.m.p', 'total_traded_quantity', 'PREV CLOSE %'], ['ITC', 470, 5, 468]]);
        assert.deepEqual([table.rows[0]!.symbol, table.rows[0]!.price, table.rows[0]!.volume, table.rows[0]!.prevClose], ['ITC', 470, 5, 468]);
      });

      it('prefers the earlier alias when several match', async () => {
        const dir = await tempDir();
        const file = await writeWorkbook(path.join(dir, 'Historical.xlsx'), [['Name', 'Symbol', 'LTP', 'Close', 'Prev Close'], ['Tata Consultancy', 'TCS', 1, 2, 3]]);
        const table = await readPriceFile(file, 'historical');
        assert.deepEqual([table.rows[0]!.symbol, table.rows[0]!.price], ['TCS', 3]); // Symbol over Name, Prev Close over Close over LTP
      });

      it('beyond row 20 is not a header', async () => {
        const rows: Row[] = Array.from({ length: 20 }, (_, i) => [`note ${i}`]);
        rows.push(['Symbol', 'LTP'], ['TCS', 1]);
        await assert.rejects(liveTable(rows), /Live\.xlsx has no recognisable header in the first 20 rows/);
      });

      it('without a price column names the columns it found', async () => {
        await assert.rejects(
          liveTable([['Symbol', 'Volume', 'Prev Close'], ['TCS', 10, 4000]]),
          (e: Error) => e.name === 'DataError' && /no price column: found Symbol, Volume, Prev Close; expected one of LTP/.test(e.message),
        );
      });
    });

    describe('sheet choice', () => {
      it('recognises the date formats traders name sheets with', () => {
        for (const name of ['20-11-2026', '20.11.2026', '2026-11-20', '20/11/2026', '20-Nov-2026', '20 Nov 2026', ' 20 november 2026 ']) {
          assert.equal(sheetNameDate(name), '2026-11-20', name);
        }
        for (const name of ['Sheet1', '31-02-2026', '2026', 'Nov 2026']) assert.equal(sheetNameDate(name), null, name);
      });

      it('orders dated sheets: today first, then latest', () => {
        assert.deepEqual(sheetCandidates(['Notes', '18-11-2026', '2026-11-25', '20 Nov 2026'], '2026-11-20'), ['20 Nov 2026', '2026-11-25', '18-11-2026', 'Notes']);
        assert.deepEqual(sheetCandidates(['Notes', '18-11-2026', '19.11.2026']), ['19.11.2026', '18-11-2026', 'Notes']);
        assert.deepEqual(sheetCandidates(['B', 'A']), ['B', 'A']);
      });

      it('reads the latest dated sheet, and today first for Live', async () => {
        const sheets = [
          { name: '18-11-2026', rows: [['Symbol', 'LTP'], ['TCS', 18]] },
          { name: '21-Nov-2026', rows: [['Symbol', 'LTP'], ['TCS', 21]] },
          { name: '2026-11-20', rows: [['Symbol', 'LTP'], ['TCS', 20]] },
        ];
        assert.equal((await liveTable(sheets)).rows[0]!.price, 21);
        const today = await liveTable(sheets, '2026-11-20');
        assert.equal(today.sheet, '2026-11-20');
        assert.equal(today.rows[0]!.price, 20);
      });

      it('without dated sheets, reads the first sheet that has a header', async () => {
        const table = await liveTable([
          { name: 'Instructions', rows: [['Keep this workbook open']] },
          { name: 'Watch', rows: [['Symbol', 'LTP'], ['TCS', 5]] },
          { name: 'Other', rows: [['Symbol', 'LTP'], ['TCS', 6]] },
        ]);
        assert.equal(table.sheet, 'Watch');
      });
    });

    describe('formats', () => {
      it('reads CSV with quoted thousands separators and a BOM', async () => {
        const dir = await tempDir();
        const file = path.join(dir, 'Live.csv');
        await writeFile(file, '\ufeffSymbol,LTP,Volume\r\nTCS,"4,202.50","1,000"\r\n\r\nNSE:ITC,470.1,\r\n');
        const table = await readPriceFile(file, 'live');
        assert.deepEqual(table.rows.map((r) => [r.row, r.symbol, r.price, r.volume]), [[2, 'TCS', 4202.5, 1000], [4, 'ITC', 470.1, null]]);
      });

      it('reads semicolon-separated CSV (European Excel)', async () => {
        const dir = await tempDir();
        const file = path.join(dir, 'Live.csv');
        await writeFile(file, 'Symbol;LTP\nTCS;4202.5\n');
        assert.equal((await readPriceFile(file, 'live')).rows[0]!.price, 4202.5);
      });

      it('reads .xlsm', async () => {
        const table = await liveTable([['Symbol', 'LTP'], ['TCS', 7]], undefined, 'Live.xlsm');
        assert.equal(table.rows[0]!.price, 7);
      });

      it('a truncated or empty file is a clear, retryable error', async () => {
        const dir = await tempDir();
        const file = await writeWorkbook(path.join(dir, 'Live.xlsx'), [['Symbol', 'LTP'], ['TCS', 7]]);
        const { readFile } = await import('node:fs/promises');
        const bytes = await readFile(file);
        await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
        await assert.rejects(readPriceFile(file, 'live'), (e: Error & { transient?: boolean }) =>
          /Live\.xlsx is not a readable workbook \(truncated or corrupt\)/.test(e.message) && e.transient === true);
        await writeFile(file, '');
        await assert.rejects(readPriceFile(file, 'live'), /Live\.xlsx is empty \(0 bytes\)/);
      });

      it('an empty sheet has no header', async () => {
        await assert.rejects(liveTable([{ name: 'Sheet1', rows: [] }]), /no recognisable header/);
      });
    });
  });
}
