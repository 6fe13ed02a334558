// The dashboard's queries through the worker thread, against a real SQLite file: the same
// answers as the synchronous class, errors as the same one line, a worker that dies for real,
// and the main thread free while SQLite works.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { computeBreadth, priceSymbol } from '../../../shared/breadth';
import type { PricedSymbol, Snapshot } from '../../../shared/domain';
import { openWriteDatabase } from '../../processor/store/database';
import { BreadthWriter } from '../../processor/store/writer';
import { tempDir } from '../../test-support/workbooks';
import { BreadthQueries } from './breadth-queries';
import { QueryClient } from './query-client';

function quotes(step: number, count: number): PricedSymbol[] {
  return Array.from({ length: count }, (_, k) => priceSymbol({
    symbol: `S${k}`, ltp: 100 + ((k * 7 + step * 3) % 11) - 5, refPrice: 100, volume: k % 3 ? 1000 + k * step : null,
    sector: k % 2 ? 'Bank' : null, open: 99, high: 106, low: 94, time: `10:0${step}:00`,
  }));
}

/** Two days of cycles written by the store's writer: snapshots, the board, runs with rejected rows, a failed run. */
async function writtenDays(): Promise<string> {
  const file = path.join(await tempDir(), 'breadth.sqlite');
  const db = openWriteDatabase(file);
  const writer = new BreadthWriter(db);
  for (const [tradeDate, steps] of [['2026-11-19', 2], ['2026-11-20', 5]] as const) {
    for (let step = 0; step < steps; step++) {
      const symbols = quotes(step, 40);
      const pollTime = `${tradeDate}T04:0${step}:00.000Z`;
      const snapshot: Snapshot = {
        tradeDate, pollTime, ...computeBreadth(symbols),
        coverage: { universe: 42, priced: 40, missing: 1, unknown: 1, rejected: 1, missingSymbols: ['GONE'], unknownSymbols: ['NEW'] },
      };
      const live = { path: '/data/Live.xlsx', modifiedAt: pollTime, size: 4096 + step };
      writer.recordSnapshot(snapshot, symbols, {
        trigger: step ? 'watcher' : 'schedule', startedAt: pollTime, durationMs: 4 + step, tradeDate, message: null,
        live, historical: null, rowsRead: 42, rowsValid: 40,
        rejected: [{ file: 'live', row: 7 + step, symbol: 'BAD', reason: 'no price' }], contentHash: pollTime,
      });
    }
  }
  writer.recordRun({
    trigger: 'manual', startedAt: '2026-11-20T05:00:00.000Z', durationMs: 2, tradeDate: '2026-11-20', message: 'Live.xlsx is locked',
    live: null, historical: null, rowsRead: 0, rowsValid: 0, rejected: [], contentHash: null,
  }, 'failed');
  db.close();
  return file;
}

/** A big day straight in SQL: `points` snapshots a tenth of a second apart from 09:15 IST. */
function bigDay(file: string, points: number): void {
  const db = openWriteDatabase(file);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${points - 1})
    INSERT INTO snapshots (trade_date, poll_time, advances, declines, unchanged, total, adv_pct, decl_pct, unch_pct, ad_diff,
      ad_ratio, up_volume, down_volume, volume_ratio, sentiment, universe, priced, missing, unknown, rejected, missing_symbols, unknown_symbols)
    SELECT '2026-11-20', strftime('%Y-%m-%dT%H:%M:%fZ', 1795146300 + i / 10.0, 'unixepoch'), 100 + i % 50, 80, 20, 200 + i % 50,
      0, 0, 0, 0, NULL, NULL, NULL, NULL, 'neutral', 250, 250, 0, 0, 0, '[]', '[]' FROM n`);
  db.close();
}

describe('the queries through the worker thread', () => {
  it('answer exactly what the synchronous queries answer, for every method', async () => {
    const file = await writtenDays();
    const sync = new BreadthQueries(file);
    const client = new QueryClient(file);
    try {
      for (const date of [undefined, '2026-11-19', '2026-11-20', '2026-11-18']) {
        assert.deepEqual(await client.latestSnapshot(date), sync.latestSnapshot(date));
        assert.deepEqual(await client.series(date), sync.series(date));
        assert.deepEqual(await client.latestStocks(date), sync.latestStocks(date));
        assert.deepEqual(await client.movers(date, 3), sync.movers(date, 3));
      }
      assert.equal((await client.series()).length, 5, 'the latest day');
      assert.equal((await client.latestStocks()).length, 40);
      assert.deepEqual(await client.runs(), sync.runs());
      assert.deepEqual(await client.runs(3, 6), sync.runs(3, 6));
      assert.deepEqual((await client.runs(3, 6)).map((r) => r.id), [5, 4, 3]);
      assert.deepEqual(await client.runRejections(2), [{ file: 'live', row: 8, symbol: 'BAD', reason: 'no price' }]);
      assert.deepEqual(await client.runRejections(8), [], 'the failed run rejected nothing');
      assert.deepEqual(await client.runRejections(999), []);
      const days = await client.days();
      assert.deepEqual(days, sync.days());
      assert.deepEqual(days.map((d) => [d.tradeDate, d.snapshots]), [['2026-11-20', 5], ['2026-11-19', 2]]);
    } finally {
      sync.close();
      await client.close();
    }
  });

  it("rejects with the worker's own error message, one line, as the synchronous class throws it", async () => {
    const missing = path.join(await tempDir(), 'no-such-folder', 'breadth.sqlite');
    const thrown = (() => {
      try {
        new BreadthQueries(missing);
      } catch (error) {
        return (error as Error).message;
      }
      return null;
    })();
    assert.ok(thrown);
    const client = new QueryClient(missing);
    try {
      await assert.rejects(client.series(), (error: Error) => error.message === thrown);
      await assert.rejects(client.days(), (error: Error) => error.message === thrown && !error.message.includes('\n'));
    } finally {
      await client.close();
    }
  });

  it('a worker terminated for real fails the query it held with one line, and the next query starts a new one', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    bigDay(file, 100_000); // a series long enough to be cut short
    const client = new QueryClient(file);
    try {
      assert.deepEqual(await client.days(), []);
      const first = client.thread!;
      const held = client.series();
      await first.terminate();
      await assert.rejects(held, (error: Error) => {
        assert.equal(error.message, 'The database reader stopped (exit code 1); the next request starts it again');
        return true;
      });
      assert.equal(client.thread, null);
      assert.equal((await client.latestSnapshot())?.pollTime, '2026-11-20T06:31:39.900Z', 'answered by a new worker');
      assert.notEqual(client.thread!.threadId, first.threadId);
    } finally {
      await client.close();
    }
  });

  it('close ends the thread; a request after it is refused in one line', async () => {
    const file = await writtenDays();
    const client = new QueryClient(file);
    const answered = client.days(); // asked before close: still answered
    const thread = client.thread!;
    const ended = new Promise<number>((resolve) => thread.once('exit', resolve));
    await client.close();
    assert.equal((await answered).length, 2);
    assert.equal(await ended, 0, 'the thread ended by itself once its connection was closed');
    await assert.rejects(client.days(), /^Error: The database reader is closed$/);
  });
});

describe('the main thread while the worker queries', () => {
  it('keeps firing a 2 ms timer on time while SQLite builds a 100,000-snapshot day', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    bigDay(file, 100_000);
    const client = new QueryClient(file);
    try {
      await client.days(); // the worker is up
      const gaps: number[] = [];
      let last = performance.now();
      const probe = setInterval(() => {
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }, 2);
      // Stopped the moment the answer arrives: finishing it here (parsing, the points) is the
      // main thread's share, measured by the bench; this test is about SQLite's.
      const points = await client.series().finally(() => clearInterval(probe));
      assert.equal(points.length, 100_000);
      // Run on this thread, the query would let no tick through until it returned.
      assert.ok(gaps.length >= 10, `the timer fired ${gaps.length} times while the query ran`);
      assert.ok(Math.max(...gaps) < 100, `the longest gap between ticks was ${Math.round(Math.max(...gaps))} ms`);
    } finally {
      await client.close();
    }
  });
});
