// The store on a real SQLite file: migrations, atomic cycles, dedup, ticks only on change.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, it } from 'node:test';
import { priceSymbol, computeBreadth } from '../../../shared/breadth';
import type { PricedSymbol, Snapshot } from '../../../shared/domain';
import { tempDir } from '../../test-support/workbooks';
import { openReadDatabase, openWriteDatabase } from './database';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { boardStocks, type EncodedBoard } from './quote-board';
import { BreadthWriter, type RunInput } from './writer';

function snapshotOf(symbols: PricedSymbol[], pollTime: string, tradeDate = '2026-11-20'): Snapshot {
  return {
    tradeDate,
    pollTime,
    ...computeBreadth(symbols),
    coverage: { universe: symbols.length, priced: symbols.length, missing: 0, unknown: 0, rejected: 0, missingSymbols: [], unknownSymbols: [] },
  };
}

function runOf(startedAt: string, tradeDate = '2026-11-20'): RunInput {
  return { trigger: 'manual', startedAt, durationMs: 5, tradeDate, message: null, live: null, historical: null, rowsRead: 3, rowsValid: 3, rejected: [], contentHash: startedAt };
}

/** A snapshot row written by hand, for databases at an older schema than the writer's. */
function insertSnapshotRow(db: Database.Database, id: number): void {
  db.prepare(`INSERT INTO snapshots (id, trade_date, poll_time, advances, declines, unchanged, total, adv_pct, decl_pct, unch_pct, ad_diff,
    sentiment, universe, priced, missing, unknown, rejected, missing_symbols, unknown_symbols)
    VALUES (?, '2026-11-20', ?, 1, 1, 0, 2, 50, 50, 0, 0, 'NEUTRAL', 2, 2, 0, 0, 0, '[]', '[]')`)
    .run(id, new Date(Date.parse('2026-11-20T04:00:00Z') + id * 1000).toISOString());
}

const count = (db: Database.Database, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('migrations', () => {
  it('bring an empty database to the current schema, once', async () => {
    const file = path.join(await tempDir(), 'db', 'breadth.sqlite');
    const db = openWriteDatabase(file);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((t) => t.name);
    assert.deepEqual(tables, [
      'day_summary', 'history_closes', 'history_days', 'history_import_days', 'history_indicators',
      'job_items', 'jobs', 'journal_applied', 'quote_boards', 'runs', 'snapshots', 'ticks',
    ]);
    db.close();
    openWriteDatabase(file).close(); // re-opening applies nothing twice
  });

  it('carry stored data forward: ticks written under schema 2 survive the re-keying in 3 and the move to appended rows in 6', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    const old = new Database(file);
    for (const sql of MIGRATIONS.slice(0, 2)) old.exec(sql as string);
    old.pragma('user_version = 2');
    insertSnapshotRow(old, 1);
    insertSnapshotRow(old, 2);
    const tick = old.prepare(`INSERT INTO ticks (trade_date, symbol, snapshot_id, ltp, ref_price, change_pct, volume) VALUES ('2026-11-20', ?, ?, ?, 100, 1, NULL)`);
    for (const [symbol, snapshot, ltp] of [['TCS', 2, 102], ['TCS', 1, 101], ['INFY', 1, 99]] as const) tick.run(symbol, snapshot, ltp);
    old.close();
    const db = openWriteDatabase(file);
    assert.deepEqual(
      db.prepare('SELECT t.id, t.snapshot_id, t.symbol, s.trade_date, t.ltp FROM ticks t JOIN snapshots s ON s.id = t.snapshot_id ORDER BY t.id').all(),
      [
        { id: 1, snapshot_id: 1, symbol: 'INFY', trade_date: '2026-11-20', ltp: 99 },
        { id: 2, snapshot_id: 1, symbol: 'TCS', trade_date: '2026-11-20', ltp: 101 },
        { id: 3, snapshot_id: 2, symbol: 'TCS', trade_date: '2026-11-20', ltp: 102 },
      ],
      'in cycle order, each cycle consecutive, the trade date its snapshot\'s',
    );
    db.close();
  });

  it("carry each day's latest quotes into a board when they become one row per day (5)", async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    const old = new Database(file);
    for (const sql of MIGRATIONS.slice(0, 4)) old.exec(sql as string);
    old.pragma('user_version = 4');
    const symbols = [priceSymbol({ symbol: 'TCS', ltp: 101, refPrice: 100 }), priceSymbol({ symbol: 'INFY', ltp: 99, refPrice: 100 })];
    insertSnapshotRow(old, 7);
    const insert = old.prepare(`INSERT INTO latest_quotes (trade_date, symbol, snapshot_id, ltp, ref_price, change, change_pct, status, volume, open, high, low, sector, time)
      VALUES ('2026-11-20', @symbol, 7, @ltp, @refPrice, @change, @changePct, @status, 5000, 100.5, 101.5, 98, 'IT', '10:00:00')`);
    for (const s of symbols) insert.run(s);
    old.close();
    const db = openWriteDatabase(file);
    const board = boardStocks(db.prepare('SELECT symbols, sectors, times, numbers FROM quote_boards').get() as EncodedBoard);
    assert.deepEqual(board, [...symbols].reverse().map((s) => ({ ...s, volume: 5000, open: 100.5, high: 101.5, low: 98, sector: 'IT', time: '10:00:00' })));
    assert.equal(db.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'latest_quotes'`).pluck().get(), 0);
    db.close();
  });

  it('refuse a database from a newer version', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    assert.throws(() => openWriteDatabase(file), /written by a newer LiveBreadth/);
  });
});

describe('BreadthWriter', () => {
  it('stores a cycle whole or not at all', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    const db = openWriteDatabase(file);
    const writer = new BreadthWriter(db);
    const symbols = [priceSymbol({ symbol: 'A', ltp: 11, refPrice: 10 }), priceSymbol({ symbol: 'B', ltp: 9, refPrice: 10 })];
    writer.recordSnapshot(snapshotOf(symbols, '2026-11-20T04:00:00.000Z'), symbols, runOf('2026-11-20T04:00:00.000Z'));
    const before = ['snapshots', 'ticks', 'quote_boards', 'runs'].map((t) => count(db, t));
    const summaryBefore = db.prepare('SELECT * FROM day_summary').get();
    const boardBefore = db.prepare('SELECT * FROM quote_boards').get();

    // Same trade date and poll time: the snapshot insert fails; nothing of the cycle may stay.
    const moved = [priceSymbol({ symbol: 'A', ltp: 12, refPrice: 10 }), priceSymbol({ symbol: 'B', ltp: 8, refPrice: 10 })];
    assert.throws(() => writer.recordSnapshot(snapshotOf(moved, '2026-11-20T04:00:00.000Z'), moved, runOf('2026-11-20T04:00:01.000Z')), /UNIQUE/);
    assert.deepEqual(['snapshots', 'ticks', 'quote_boards', 'runs'].map((t) => count(db, t)), before);
    assert.deepEqual(db.prepare('SELECT * FROM day_summary').get(), summaryBefore);
    // A failure inside the transaction after the snapshot row also rolls back: break the run insert.
    const badRun = { ...runOf('2026-11-20T04:00:02.000Z'), trigger: null as unknown as 'manual' };
    assert.throws(() => writer.recordSnapshot(snapshotOf(moved, '2026-11-20T04:00:02.000Z'), moved, badRun), /NOT NULL/);
    assert.deepEqual(['snapshots', 'ticks', 'quote_boards', 'runs'].map((t) => count(db, t)), before);
    assert.deepEqual(db.prepare('SELECT * FROM quote_boards').get(), boardBefore);
    // The writer's own memory of the day rolled back too: the moved prices are still news.
    const stored = writer.recordSnapshot(snapshotOf(moved, '2026-11-20T04:00:03.000Z'), moved, runOf('2026-11-20T04:00:03.000Z'));
    assert.equal(stored.ticks, 2);
    db.close();
  });

  it('stores ticks only for symbols whose price or volume changed, also across a restart', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    let db = openWriteDatabase(file);
    let writer = new BreadthWriter(db);
    const at = (s: number) => `2026-11-20T04:00:0${s}.000Z`;
    const cycle = (w: BreadthWriter, s: number, prices: Array<[string, number, number | null]>) => {
      const symbols = prices.map(([symbol, ltp, volume]) => priceSymbol({ symbol, ltp, refPrice: 10, volume }));
      return w.recordSnapshot(snapshotOf(symbols, at(s)), symbols, runOf(at(s))).ticks;
    };
    assert.equal(cycle(writer, 1, [['A', 11, 100], ['B', 9, 100], ['C', 10, 100]]), 3);
    assert.equal(cycle(writer, 2, [['A', 11, 100], ['B', 9.5, 100], ['C', 10, 150]]), 2); // B's price, C's volume
    db.close();
    db = openWriteDatabase(file);
    writer = new BreadthWriter(db);
    assert.equal(cycle(writer, 3, [['A', 11, 100], ['B', 9.5, 100], ['C', 10, 150]]), 0);
    assert.equal(count(db, 'ticks'), 5);
    assert.equal(count(db, 'snapshots'), 3);
    const board = boardStocks(db.prepare('SELECT symbols, sectors, times, numbers FROM quote_boards').get() as EncodedBoard);
    assert.deepEqual(board.map(({ symbol, ltp, volume, status }) => ({ symbol, ltp, volume, status })), [
      { symbol: 'A', ltp: 11, volume: 100, status: 'advance' },
      { symbol: 'B', ltp: 9.5, volume: 100, status: 'decline' },
      { symbol: 'C', ltp: 10, volume: 150, status: 'unchanged' },
    ]);
    db.close();
  });

  it("times the run after the cycle's ticks and summary are written, so its duration covers the store", () => {
    const db = openWriteDatabase(':memory:');
    const writer = new BreadthWriter(db);
    const symbols = [priceSymbol({ symbol: 'A', ltp: 11, refPrice: 10 }), priceSymbol({ symbol: 'B', ltp: 9, refPrice: 10 })];
    let storedWhenTimed = -1;
    const { runId } = writer.recordSnapshot(snapshotOf(symbols, '2026-11-20T04:00:00.000Z'), symbols, runOf('2026-11-20T04:00:00.000Z'), () => {
      storedWhenTimed = count(db, 'ticks') + count(db, 'day_summary');
      return 42.5;
    });
    assert.equal(storedWhenTimed, 3, 'two ticks and the day summary were in place when the clock was read');
    assert.equal(db.prepare('SELECT duration_ms FROM runs WHERE id = ?').pluck().get(runId), 42.5);
    db.close();
  });

  it('keeps the day summary: open, high, low and last of the breadth figures', async () => {
    const db = openWriteDatabase(':memory:');
    const writer = new BreadthWriter(db);
    const series: Array<[number, number]> = [[3, 1], [1, 3], [2, 2], [4, 0]];
    series.forEach(([adv, dec], i) => {
      const symbols = [
        ...Array.from({ length: adv }, (_, k) => priceSymbol({ symbol: `U${k}`, ltp: 11 + i, refPrice: 10 })),
        ...Array.from({ length: dec }, (_, k) => priceSymbol({ symbol: `D${k}`, ltp: 9 - i / 10, refPrice: 10 })),
      ];
      writer.recordSnapshot(snapshotOf(symbols, `2026-11-20T04:00:0${i}.000Z`), symbols, runOf(`2026-11-20T04:00:0${i}.000Z`));
    });
    const day = db.prepare('SELECT * FROM day_summary').get() as Record<string, number | null>;
    assert.deepEqual(
      [day.snapshots, day.adv_open, day.adv_high, day.adv_low, day.adv_last, day.diff_low, day.diff_high, day.ratio_open, day.ratio_high, day.ratio_low, day.ratio_last],
      [4, 3, 4, 1, 4, -2, 4, 3, 3, 0.33, null],
    );
  });

  it('a read-only connection sees committed cycles while the writer holds its connection', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    const db = openWriteDatabase(file);
    const reader = openReadDatabase(file);
    const writer = new BreadthWriter(db);
    const symbols = [priceSymbol({ symbol: 'A', ltp: 11, refPrice: 10 })];
    writer.recordSnapshot(snapshotOf(symbols, '2026-11-20T04:00:00.000Z'), symbols, runOf('2026-11-20T04:00:00.000Z'));
    assert.equal(count(reader, 'snapshots'), 1);
    assert.throws(() => reader.prepare('DELETE FROM snapshots').run(), /readonly/);
    reader.close();
    db.close();
  });
});
