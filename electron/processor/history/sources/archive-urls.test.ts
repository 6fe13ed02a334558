import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { archiveCsvName, archivePath, archivePathsFor, formatForDate, parseArchivePath } from './archive-urls';

describe('archive URLs', () => {
  it('uses the classic path up to 5 July 2024 and the UDiFF path from 8 July 2024', () => {
    assert.equal(formatForDate('2024-07-05'), 'classic');
    assert.equal(formatForDate('2024-07-08'), 'udiff');
    assert.equal(archivePath('2024-07-05', 'classic'), '/content/historical/EQUITIES/2024/JUL/cm05JUL2024bhav.csv.zip');
    assert.equal(archivePath('2024-07-08', 'udiff'), '/content/cm/BhavCopy_NSE_CM_0_0_0_20240708_F_0000.csv.zip');
    assert.equal(archivePath('2019-12-02', 'classic'), '/content/historical/EQUITIES/2019/DEC/cm02DEC2019bhav.csv.zip');
    assert.equal(archiveCsvName('2024-07-05', 'classic'), 'cm05JUL2024bhav.csv');
    assert.equal(archiveCsvName('2024-07-08', 'udiff'), 'BhavCopy_NSE_CM_0_0_0_20240708_F_0000.csv');
  });

  it('adds the UDiFF path as a second try only for classic-era days of 2024', () => {
    assert.deepEqual(archivePathsFor('2023-12-29').map((entry) => entry.format), ['classic']);
    assert.deepEqual(archivePathsFor('2024-01-01').map((entry) => entry.format), ['classic', 'udiff']);
    assert.deepEqual(archivePathsFor('2024-07-05').map((entry) => entry.format), ['classic', 'udiff']);
    assert.deepEqual(archivePathsFor('2024-07-08').map((entry) => entry.format), ['udiff']);
  });

  it('reads a path back to its day and layout, and nothing else', () => {
    for (const [date, format] of [['2024-07-05', 'classic'], ['2024-07-08', 'udiff'], ['2001-02-28', 'classic']] as const) {
      assert.deepEqual(parseArchivePath(archivePath(date, format)), { tradeDate: date, format });
    }
    for (const other of ['/content/historical/EQUITIES/2024/JUL/cm05AUG2024bhav.csv.zip', '/content/historical/EQUITIES/2023/JUL/cm05JUL2024bhav.csv.zip', '/content/historical/EQUITIES/2024/XYZ/cm05XYZ2024bhav.csv.zip', '/content/cm/x.zip', '/']) {
      assert.equal(parseArchivePath(other), null, other);
    }
  });
});
