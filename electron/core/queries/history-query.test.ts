// The daily history through the query worker, on a real SQLite file the store wrote: the same
// days as the store's own reader (readHistory), with the latest intraday day appended as the
// provisional last point while its bhavcopy is not imported, and ranges that keep it right.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type Database from 'better-sqlite3';
import { computeBreadth, priceSymbol } from '../../../shared/breadth';
import type { Snapshot } from '../../../shared/domain';
import type { Bhavcopy } from '../../../shared/history/bhavcopy';
import { loadPandasFixture } from '../../../shared/history/fixtures/load';
import { withLiveDay, type HistoryDay } from '../../../shared/history/indicators';
import { HISTORY_SCHEMA, importDay, readHistory } from '../../processor/history/store';
import { openReadDatabase, openWriteDatabase } from '../../processor/store/database';
import { BreadthWriter } from '../../processor/store/writer';
import { tempDir } from '../../test-support/workbooks';
import { BreadthQueries } from './breadth-queries';
import { QueryClient } from './query-client';

const { bhavcopies } = loadPandasFixture();
const lastFinal = bhavcopies.at(-1)!.tradeDate;
const hashOf = (b: Bhavcopy) => createHash('sha256').update(JSON.stringify(b.rows)).digest('hex');

function openStore(file: string): Database.Database {
  const db = openWriteDatabase(file);
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'history_days'`).get()) db.exec(HISTORY_SCHEMA);
  return db;
}

/** A cycle's snapshot of `tradeDate`: advances, declines and volumes from a few priced symbols. */
function recordSnapshot(db: Database.Database, tradeDate: string, pollTime: string, moves: number[]): Snapshot {
  const symbols = moves.map((move, k) => priceSymbol({
    symbol: `S${k}`, ltp: 100 + move, refPrice: 100, volume: 1000 + k, sector: null, open: 100, high: 101, low: 99, time: '10:00:00',
  }));
  const snapshot: Snapshot = {
    tradeDate, pollTime, ...computeBreadth(symbols),
    coverage: { universe: moves.length, priced: moves.length, missing: 0, unknown: 0, rejected: 0, missingSymbols: [], unknownSymbols: [] },
  };
  new BreadthWriter(db).recordSnapshot(snapshot, symbols, {
    trigger: 'schedule', startedAt: pollTime, durationMs: 3, tradeDate, message: null,
    live: null, historical: null, rowsRead: moves.length, rowsValid: moves.length, rejected: [], contentHash: pollTime,
  });
  return snapshot;
}

/** The fixture's days imported by the store, then `liveDate`'s intraday snapshots (the last one counts). */
async function storeWithLiveDay(liveDate: string): Promise<{ file: string; live: Snapshot }> {
  const file = path.join(await tempDir(), 'breadth.sqlite');
  const db = openStore(file);
  for (const b of bhavcopies) importDay(db, b, { universe: { series: ['EQ'] }, source: 'folder', contentHash: hashOf(b) });
  recordSnapshot(db, liveDate, `${liveDate}T04:00:00.000Z`, [1, 1, -1, 0]);
  const live = recordSnapshot(db, liveDate, `${liveDate}T05:00:00.000Z`, [2, 3, -1, -2, -3, 0, 4]);
  db.close();
  return { file, live };
}

/** What the store's reader gives, with the live point as withLiveDay makes it. */
function expectedWithLive(file: string, live: Snapshot): HistoryDay[] {
  const db = openReadDatabase(file);
  try {
    const { tradeDate, advances, declines, unchanged, upVolume, downVolume } = live;
    return withLiveDay(readHistory(db), { tradeDate, advances, declines, unchanged, upVolume, downVolume });
  } finally {
    db.close();
  }
}

function client(file: string): QueryClient {
  const queries = new QueryClient(file);
  after(() => queries.close());
  return queries;
}

const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('history through the query worker', () => {
  it('is readHistory on the same database plus the latest intraday day as a provisional last point', async () => {
    const liveDate = dayAfter(lastFinal);
    const { file, live } = await storeWithLiveDay(liveDate);
    const history = await client(file).history();
    assert.deepEqual(history, expectedWithLive(file, live));
    assert.equal(history.length, bhavcopies.length + 1);
    const point = history.at(-1)!;
    assert.equal(point.tradeDate, liveDate);
    assert.equal(point.provisional, true);
    assert.deepEqual([point.advances, point.declines, point.unchanged], [3, 3, 1]); // the day's latest snapshot, not its first
    assert.equal(point.adLine, history.at(-2)!.adLine + 0); // net advances 0 added to the last final day's line
    assert.ok(history.slice(0, -1).every((d) => !d.provisional));
    // The synchronous reader (the bench's) gives the same.
    const sync = new BreadthQueries(file);
    assert.deepEqual(sync.history(), history);
    sync.close();
  });

  it('ranges: from cuts the front but keeps the values of the whole; a to before the live day leaves it out', async () => {
    const liveDate = dayAfter(lastFinal);
    const { file, live } = await storeWithLiveDay(liveDate);
    const queries = client(file);
    const whole = expectedWithLive(file, live);
    const from = bhavcopies.at(-5)!.tradeDate;
    assert.deepEqual(await queries.history({ from }), whole.filter((d) => d.tradeDate >= from));
    // A range that starts after every final day still continues the EMAs from the last of them.
    assert.deepEqual(await queries.history({ from: liveDate }), [whole.at(-1)]);
    const to = bhavcopies.at(-3)!.tradeDate;
    const db = openReadDatabase(file);
    assert.deepEqual(await queries.history({ to }), readHistory(db, { to }));
    assert.deepEqual(await queries.history({ to: liveDate }), whole);
    db.close();
  });

  it('leaves the intraday day out once its bhavcopy is imported', async () => {
    const { file } = await storeWithLiveDay(lastFinal);
    const db = openReadDatabase(file);
    const history = await client(file).history();
    assert.deepEqual(history, readHistory(db));
    assert.ok(history.every((d) => !d.provisional));
    db.close();
  });

  it('leaves out an intraday day older than the last final day, also in a range that ends on it', async () => {
    // A day between two imported sessions (a gap: a weekend or a day not published).
    const gap = bhavcopies.findIndex((b, i) => i > 0 && dayAfter(bhavcopies[i - 1]!.tradeDate) < b.tradeDate);
    const between = dayAfter(bhavcopies[gap - 1]!.tradeDate);
    const { file } = await storeWithLiveDay(between);
    const db = openReadDatabase(file);
    const queries = client(file);
    assert.deepEqual(await queries.history(), readHistory(db));
    assert.deepEqual(await queries.history({ to: between }), readHistory(db, { to: between }));
    db.close();
  });

  it('refuses nothing on a database without history: the live day alone, from zero', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    const db = openStore(file);
    recordSnapshot(db, '2026-11-20', '2026-11-20T05:00:00.000Z', [1, 2, -1]);
    db.close();
    const history = await client(file).history();
    assert.equal(history.length, 1);
    assert.deepEqual([history[0]!.tradeDate, history[0]!.adLine, history[0]!.provisional], ['2026-11-20', 1, true]);
  });
});
