// The parser on NSE's two real layouts (hand-written samples in ./fixtures) and on the loopback
// archive's generated files, zipped as the archive serves them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseBhavcopy } from '../../../../shared/history/bhavcopy';
import { csvTextOf, csvTextsOf, fileKind } from './bhavcopy-file';
import { GeneratedArchive } from './testing/generated-archive';
import { writeZip } from './testing/zip-writer';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

describe('NSE layouts', () => {
  it('reads the classic sample: every row, its figures, "-" and empty cells as null', () => {
    const bhavcopy = parseBhavcopy(fixture('classic-cm05JUL2024bhav.csv'));
    assert.equal(bhavcopy.format, 'classic');
    assert.equal(bhavcopy.tradeDate, '2024-07-05');
    assert.deepEqual(bhavcopy.rows.map((row) => `${row.symbol}/${row.series}`), ['20MICRONS/EQ', '3MINDIA/EQ', 'ABAN/BE', 'ACC/EQ', 'GOLDBEES/EQ', 'NEWLISTCO/EQ']);
    assert.deepEqual(bhavcopy.rows[1], {
      symbol: '3MINDIA', series: 'EQ', open: 36500, high: 36890, low: 36210.05, close: 36655.4, prevClose: 36480.15, volume: 2314, turnover: 84602211.6, isin: 'INE470A01017',
    });
    assert.deepEqual(bhavcopy.rows[5], {
      symbol: 'NEWLISTCO', series: 'EQ', open: null, high: null, low: null, close: 118.4, prevClose: null, volume: 0, turnover: 0, isin: 'INE0XXX01011',
    });
  });

  it('reads the UDiFF sample: TckrSymb, SctySrs, ClsPric, PrvsClsgPric, TtlTradgVol, TtlTrfVal', () => {
    const bhavcopy = parseBhavcopy(fixture('udiff-BhavCopy_NSE_CM_0_0_0_20240708_F_0000.csv'));
    assert.equal(bhavcopy.format, 'udiff');
    assert.equal(bhavcopy.tradeDate, '2024-07-08');
    assert.equal(bhavcopy.rows.length, 6);
    assert.deepEqual(bhavcopy.rows[0], {
      symbol: 'RELIANCE', series: 'EQ', open: 3190, high: 3210.5, low: 3175.1, close: 3200.4, prevClose: 3185, volume: 5123456, turnover: 16396502912.4, isin: 'INE002A01018',
    });
    assert.equal(bhavcopy.rows[3]!.series, 'BE');
    assert.equal(bhavcopy.rows[5]!.prevClose, null); // 'N/A'
  });

  it('reads both samples the same with Windows line ends', () => {
    for (const name of ['classic-cm05JUL2024bhav.csv', 'udiff-BhavCopy_NSE_CM_0_0_0_20240708_F_0000.csv']) {
      const text = fixture(name);
      assert.deepEqual(parseBhavcopy(text.replace(/\n/g, '\r\n')), parseBhavcopy(text));
    }
  });

  it('reads back the loopback archive\'s zips, classic and UDiFF, exactly as generated', () => {
    const archive = new GeneratedArchive({ symbols: 300, from: '2024-07-01', to: '2024-07-12' });
    for (const date of ['2024-07-05', '2024-07-08']) {
      const zip = archive.zipOn(date);
      assert.equal(fileKind(zip), 'zip');
      const bhavcopy = parseBhavcopy(csvTextOf(zip, date));
      assert.equal(bhavcopy.format, date === '2024-07-05' ? 'classic' : 'udiff');
      assert.equal(bhavcopy.tradeDate, date);
      assert.deepEqual(bhavcopy.rows, archive.rowsOn(date));
    }
  });
});

describe('bhavcopy files', () => {
  const archive = new GeneratedArchive({ symbols: 20, from: '2024-07-01', to: '2024-07-12' });

  it('tells a zip, a web page and a CSV apart by content', () => {
    assert.equal(fileKind(archive.zipOn('2024-07-08')), 'zip');
    assert.equal(fileKind(Buffer.from('\uFEFF  <!DOCTYPE html><html>')), 'html');
    assert.equal(fileKind(Buffer.from(archive.csvOn('2024-07-08'))), 'text');
    assert.throws(() => csvTextOf(Buffer.from('<html><body>Access Denied</body></html>'), 'page.zip'), /page\.zip is a web page, not a bhavcopy/);
  });

  it('reads every CSV of a zip holding several days, and names what a zip without one holds', () => {
    const zip = writeZip(
      ['2024-07-04', '2024-07-05', '2024-07-08'].map((date) => ({ name: `${date}.csv`, data: Buffer.from(archive.csvOn(date)) })),
      new Date(2024, 6, 8),
    );
    assert.deepEqual(csvTextsOf(zip, 'month.zip').map(({ entry, text }) => [entry, parseBhavcopy(text).tradeDate]), [
      ['2024-07-04.csv', '2024-07-04'], ['2024-07-05.csv', '2024-07-05'], ['2024-07-08.csv', '2024-07-08'],
    ]);
    assert.throws(() => csvTextOf(zip, 'month.zip'), /month\.zip holds 3 CSV files where one bhavcopy was expected/);
    assert.equal(parseBhavcopy(csvTextOf(zip, 'month.zip', '2024-07-05.csv')).tradeDate, '2024-07-05');
    const notCsv = writeZip([{ name: 'notes.txt', data: Buffer.from('x') }], new Date(2024, 6, 8));
    assert.throws(() => csvTextOf(notCsv, 'odd.zip'), /odd\.zip holds no CSV file \(found notes\.txt\)/);
  });

  it('catches a cut-off zip and one whose content does not match its CRC', () => {
    const zip = Buffer.from(archive.zipOn('2024-07-08'));
    assert.throws(() => csvTextOf(zip.subarray(0, zip.length - 40), 'cut.zip'), /cut\.zip is not a readable zip \(truncated or corrupt\)/);
    const badCrc = Buffer.from(zip);
    badCrc.writeUInt32LE((badCrc.readUInt32LE(14) ^ 1) >>> 0, 14); // the local header's CRC field
    assert.throws(() => csvTextOf(badCrc, 'crc.zip'), /crc\.zip is corrupt \(BhavCopy_NSE_CM_0_0_0_20240708_F_0000\.csv fails its CRC check\)/);
  });
});
