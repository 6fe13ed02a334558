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

const count = (db: Database.Database, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('migrations', () => {
  it('bring an empty database to the current schema, once', async () => {
    const file = path.join(await tempDir(), 'db', 'breadth.sqlite');
    const db = openWriteDatabase(file);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((t) => t.name);
    assert.deepEqual(tables, ['day_summary', 'latest_quotes', 'runs', 'snapshots', 'ticks']);
    db.close();
    openWriteDatabase(file).close(); // re-opening applies nothing twice
  });

  it('carry stored data forward: ticks written under schema 2 survive the re-keying in 3', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    const old = new Database(file);
    for (const sql of MIGRATIONS.slice(0, 2)) old.exec(sql);
    old.pragma('user_version = 2');
    const symbols = [priceSymbol({ symbol: 'TCS', ltp: 101, refPrice: 100 })];
    new BreadthWriter(old).recordSnapshot(snapshotOf(symbols, '2026-11-20T04:00:00.000Z'), symbols, runOf('2026-11-20T04:00:00.000Z'));
    old.close();
    const db = openWriteDatabase(file);
    assert.deepEqual(db.prepare('SELECT snapshot_id, symbol, trade_date, ltp FROM ticks').all(), [{ snapshot_id: 1, symbol: 'TCS', trade_date: '2026-11-20', ltp: 101 }]);
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
    const before = ['snapshots', 'ticks', 'latest_quotes', 'runs'].map((t) => count(db, t));
    const summaryBefore = db.prepare('SELECT * FROM day_summary').get();

    // Same trade date and poll time: the snapshot insert fails; nothing of the cycle may stay.
    const moved = [priceSymbol({ symbol: 'A', ltp: 12, refPrice: 10 }), priceSymbol({ symbol: 'B', ltp: 8, refPrice: 10 })];
    assert.throws(() => writer.recordSnapshot(snapshotOf(moved, '2026-11-20T04:00:00.000Z'), moved, runOf('2026-11-20T04:00:01.000Z')), /UNIQUE/);
    assert.deepEqual(['snapshots', 'ticks', 'latest_quotes', 'runs'].map((t) => count(db, t)), before);
    assert.deepEqual(db.prepare('SELECT * FROM day_summary').get(), summaryBefore);
    // A failure inside the transaction after the snapshot row also rolls back: break the run insert.
    const badRun = { ...runOf('2026-11-20T04:00:02.000Z'), trigger: null as unknown as 'manual' };
    assert.throws(() => writer.recordSnapshot(snapshotOf(moved, '2026-11-20T04:00:02.000Z'), moved, badRun), /NOT NULL/);
    assert.deepEqual(['snapshots', 'ticks', 'latest_quotes', 'runs'].map((t) => count(db, t)), before);
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
    const latest = db.prepare(`SELECT symbol, ltp, volume, status FROM latest_quotes ORDER BY symbol`).all();
    assert.deepEqual(latest, [
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
