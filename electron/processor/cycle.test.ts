// A whole cycle on a real folder and a real database.
import assert from 'node:assert/strict';
import { utimes, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, writeDataFolder } from '../test-support/workbooks';
import { BreadthProcessor, contentHash } from './cycle';
import type { QuoteRow } from './reader';
import { openWriteDatabase } from './store/database';

async function setup() {
  const dir = await tempDir();
  const db = openWriteDatabase(path.join(dir, 'breadth.sqlite'));
  const dataDir = path.join(dir, 'live_data');
  await (await import('node:fs/promises')).mkdir(dataDir);
  return { dir, db, dataDir, processor: new BreadthProcessor(db, { dataDir }) };
}
const rows = (db: ReturnType<typeof openWriteDatabase>, sql: string) => db.prepare(sql).all();

describe('BreadthProcessor.runCycle', () => {
  it('stores a snapshot with its run, trade date in Kolkata', async () => {
    const { db, dataDir, processor } = await setup();
    await writeDataFolder(dataDir, [['TCS', 100], ['ITC', 50], ['SBIN', 80]], [['TCS', 101, 10], ['ITC', 49, 20], ['SBIN', 80, 5], ['XYZ', 3]]);
    // 19:00 UTC on the 20th is already the 21st in Mumbai.
    const result = await processor.runCycle('manual', new Date('2026-11-20T19:00:00Z'));
    assert.equal(result.status, 'ok');
    const s = result.snapshot!;
    assert.deepEqual([s.tradeDate, s.advances, s.declines, s.unchanged, s.adRatio, s.coverage.unknown, s.coverage.rejected], ['2026-11-21', 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(rows(db, 'SELECT trade_date, poll_time, advances FROM snapshots'), [{ trade_date: '2026-11-21', poll_time: '2026-11-20T19:00:00.000Z', advances: 1 }]);
    const run = rows(db, 'SELECT trigger, status, rows_read, rows_valid, rows_rejected, live_path, historical_path, rejected_rows FROM runs')[0] as Record<string, unknown>;
    assert.equal(run.status, 'ok');
    assert.deepEqual([run.rows_read, run.rows_valid, run.rows_rejected], [4, 3, 1]);
    assert.equal(run.live_path, path.join(dataDir, 'Live.xlsx'));
    assert.match(String(run.rejected_rows), /XYZ.*unknown symbol/);
  });

  it('records an unchanged run and no snapshot when Live is re-saved with the same content', async () => {
    const { db, dataDir, processor } = await setup();
    await writeDataFolder(dataDir, [['TCS', 100]], [['TCS', 101]]);
    assert.equal((await processor.runCycle('manual', new Date('2026-11-20T04:00:00Z'))).status, 'ok');
    await writeDataFolder(dataDir, null, [['TCS', 101]]); // new bytes, same prices
    const again = await processor.runCycle('manual', new Date('2026-11-20T04:00:05Z'));
    assert.equal(again.status, 'unchanged');
    assert.equal(again.snapshot?.advances, 1); // the figures are still reported
    await writeDataFolder(dataDir, null, [['TCS', 99]]);
    assert.equal((await processor.runCycle('manual', new Date('2026-11-20T04:00:10Z'))).status, 'ok');
    assert.deepEqual(rows(db, 'SELECT status FROM runs ORDER BY id').map((r) => (r as { status: string }).status), ['ok', 'unchanged', 'ok']);
    assert.equal(rows(db, 'SELECT id FROM snapshots').length, 2);
  });

  it('a cycle that prices nothing, or cannot read a file, stores no snapshot and a failed run', async () => {
    const { db, dataDir, processor } = await setup();
    await writeDataFolder(dataDir, [['TCS', 100]], [['TCS', 101]]);
    await processor.runCycle('manual', new Date('2026-11-20T04:00:00Z'));
    await writeDataFolder(dataDir, null, [['TCS', 0], ['ITC', 5]]);
    const none = await processor.runCycle('manual', new Date('2026-11-20T04:00:05Z'));
    assert.equal(none.status, 'failed');
    assert.match(none.message!, /^No symbol could be priced: 2 rows rejected \(1 × live price not positive \(0\); 1 × unknown symbol/);
    const live = path.join(dataDir, 'Live.xlsx');
    await writeFile(live, (await readFile(live)).subarray(0, 200));
    const broken = await processor.runCycle('manual', new Date('2026-11-20T04:00:10Z'));
    assert.equal(broken.status, 'failed');
    assert.equal(broken.message, 'Live.xlsx is not a readable workbook (truncated or corrupt)');
    assert.deepEqual(rows(db, 'SELECT status FROM runs ORDER BY id').map((r) => (r as { status: string }).status), ['ok', 'failed', 'failed']);
    assert.equal(rows(db, 'SELECT id FROM snapshots').length, 1); // the good snapshot stays
    assert.equal(rows(db, 'SELECT adv_last FROM day_summary').length, 1);
  });

  it('parses Historical again only when its size or modification time changed', async () => {
    const { dataDir, processor } = await setup();
    // CSV, so two versions can have exactly the same size (a zip's size depends on its content).
    const historical = path.join(dataDir, 'Historical.csv');
    await writeFile(historical, 'Symbol,Prev Close\nTCS,100\n');
    await writeDataFolder(dataDir, null, [['TCS', 101]]);
    const yesterday = new Date('2026-11-19T10:00:00Z'); // whole milliseconds, so utimes can restore it exactly
    await utimes(historical, yesterday, yesterday);
    assert.equal((await processor.runCycle('manual', new Date('2026-11-20T04:00:00Z'))).snapshot!.advances, 1);

    // Same size and mtime, different content: the cached reference (100) is still used.
    await writeFile(historical, 'Symbol,Prev Close\nTCS,200\n');
    await utimes(historical, yesterday, yesterday);
    await writeDataFolder(dataDir, null, [['TCS', 102]]);
    const cached = await processor.runCycle('manual', new Date('2026-11-20T04:00:05Z'));
    assert.equal(cached.snapshot!.advances, 1);

    // A new modification time: parsed again, the new reference (200) applies.
    const later = new Date(yesterday.getTime() + 60_000);
    await utimes(historical, later, later);
    await writeDataFolder(dataDir, null, [['TCS', 103]]);
    const reparsed = await processor.runCycle('manual', new Date('2026-11-20T04:00:10Z'));
    assert.equal(reparsed.snapshot!.declines, 1);
  });

  it('retries a file that looks mid-save, then succeeds', async () => {
    const { dataDir } = await setup();
    const db = openWriteDatabase(':memory:');
    const processor = new BreadthProcessor(db, { dataDir, retryDelaysMs: [60, 120] });
    await writeDataFolder(dataDir, [['TCS', 100]], [['TCS', 101]]);
    const live = path.join(dataDir, 'Live.xlsx');
    const good = await readFile(live);
    await writeFile(live, good.subarray(0, 100)); // half-written
    setTimeout(() => void writeFile(live, good), 30); // the save completes
    const result = await processor.runCycle('watcher', new Date('2026-11-20T04:00:00Z'));
    assert.equal(result.status, 'ok');
    assert.equal(rows(db, `SELECT id FROM runs WHERE status = 'failed'`).length, 0);
  });
});

describe('contentHash', () => {
  const base: QuoteRow[] = [
    { row: 2, symbol: 'TCS', price: 3500.5, prevClose: 3490, open: 3495, high: 3510, low: 3480, volume: 120_000, time: '10:00:01', sector: 'IT' },
    { row: 3, symbol: 'INFY', price: 1500, prevClose: null, open: null, high: null, low: null, volume: null, time: null, sector: null },
  ];
  const hash = (rows: QuoteRow[], key = 'hist|1|2') => contentHash(rows, key);

  it('is the same for the same content, whatever the row numbers or sectors', () => {
    assert.equal(hash(base), hash(base.map((r) => ({ ...r, row: r.row + 10, sector: 'other' }))));
  });

  it('changes when any value a snapshot or tick depends on changes, a blank included', () => {
    const changed: Array<[string, Partial<QuoteRow>]> = [
      ['symbol', { symbol: 'TCS.NS' }], ['price', { price: 3500.55 }], ['prev close', { prevClose: 3491 }],
      ['volume', { volume: 120_001 }], ['open', { open: 3496 }], ['high', { high: 3511 }], ['low', { low: 3479 }],
      ['time', { time: '10:00:02' }], ['price gone blank', { price: null }], ['volume 0 vs blank', { volume: 0 }],
    ];
    for (const [what, change] of changed) {
      const index = what === 'volume 0 vs blank' ? 1 : 0;
      const rows = base.map((r, i) => (i === index ? { ...r, ...change } : r));
      assert.notEqual(hash(rows), hash(base), what);
    }
    assert.notEqual(hash(base, 'hist|1|3'), hash(base), 'a new Historical');
    assert.notEqual(hash([base[1]!, base[0]!]), hash(base), 'rows swapped');
  });
});
