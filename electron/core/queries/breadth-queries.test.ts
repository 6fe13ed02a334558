// The dashboard's read-only queries against a real SQLite file written by the store's writer.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { computeBreadth, priceSymbol } from '../../../shared/breadth';
import type { PricedSymbol, SeriesPoint, Snapshot } from '../../../shared/domain';
import { openWriteDatabase } from '../../processor/store/database';
import { BreadthWriter } from '../../processor/store/writer';
import { tempDir } from '../../test-support/workbooks';
import { BreadthQueries } from './breadth-queries';

const TRADE_DATE = '2026-11-20';

/** A cycle's symbols: `adv` up, `dec` down, `unch` flat, with volume only when asked. */
function cycleSymbols(adv: number, dec: number, unch: number, withVolume: boolean, step: number): PricedSymbol[] {
  const volume = withVolume ? 1000 + step * 7 : null;
  return [
    ...Array.from({ length: adv }, (_, k) => priceSymbol({ symbol: `U${k}`, ltp: 101 + step, refPrice: 100, volume: volume && volume + k })),
    ...Array.from({ length: dec }, (_, k) => priceSymbol({ symbol: `D${k}`, ltp: 99 - step / 10, refPrice: 100, volume: volume && volume * 3 })),
    ...Array.from({ length: unch }, (_, k) => priceSymbol({ symbol: `F${k}`, ltp: 100, refPrice: 100, volume })),
  ];
}

function record(writer: BreadthWriter, symbols: PricedSymbol[], pollTime: string, tradeDate = TRADE_DATE): Snapshot {
  const snapshot: Snapshot = {
    tradeDate,
    pollTime,
    ...computeBreadth(symbols),
    coverage: { universe: symbols.length, priced: symbols.length, missing: 0, unknown: 0, rejected: 0, missingSymbols: [], unknownSymbols: [] },
  };
  writer.recordSnapshot(snapshot, symbols, {
    trigger: 'schedule', startedAt: pollTime, durationMs: 3, tradeDate, message: null, live: null, historical: null,
    rowsRead: symbols.length, rowsValid: symbols.length, rejected: [], contentHash: pollTime,
  });
  return snapshot;
}

function asPoint(s: Snapshot): SeriesPoint {
  return {
    tradeDate: s.tradeDate, pollTime: s.pollTime, advances: s.advances, declines: s.declines, unchanged: s.unchanged,
    advPct: s.advPct, declPct: s.declPct, unchPct: s.unchPct, adDiff: s.adDiff, adRatio: s.adRatio, volumeRatio: s.volumeRatio,
  };
}

describe('the day series query', () => {
  it('returns every snapshot of the day in time order with the figures each snapshot showed', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    const db = openWriteDatabase(file);
    const writer = new BreadthWriter(db);
    // Awkward counts on purpose: thirds and sevenths exercise the rounding, zero declines a null
    // A/D ratio, no volume a null volume ratio. Written out of time order, as a re-run may.
    const shapes: Array<[number, number, number, boolean]> = [
      [7, 3, 1, true], [1, 6, 0, true], [5, 0, 2, true], [0, 0, 3, false], [2, 2, 2, true], [13, 7, 3, false], [1, 2, 4, true],
    ];
    const order = [3, 0, 6, 1, 5, 2, 4];
    const written = new Map<number, Snapshot>();
    for (const i of order) {
      const [adv, dec, unch, withVolume] = shapes[i]!;
      written.set(i, record(writer, cycleSymbols(adv, dec, unch, withVolume, i), `2026-11-20T04:00:0${i}.000Z`));
    }
    record(writer, cycleSymbols(9, 1, 0, true, 0), '2026-11-19T04:00:00.000Z', '2026-11-19'); // another day stays out
    db.close();

    const queries = new BreadthQueries(file);
    try {
      const expected = shapes.map((_, i) => asPoint(written.get(i)!));
      assert.deepEqual(queries.series(TRADE_DATE), expected);
      assert.deepEqual(queries.series(), expected, 'no date means the latest day');
      assert.equal(queries.series('2026-11-19').length, 1);
      assert.deepEqual(queries.series('2026-11-18'), [], 'a day without snapshots is empty, not an error');
    } finally {
      queries.close();
    }
  });

  it('is empty on a database with no snapshots at all', async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    openWriteDatabase(file).close();
    const queries = new BreadthQueries(file);
    try {
      assert.deepEqual(queries.series(), []);
    } finally {
      queries.close();
    }
  });
});

describe('the movers query', () => {
  it("gives the day's biggest gainers and losers by change, best first, within the limit", async () => {
    const file = path.join(await tempDir(), 'breadth.sqlite');
    const db = openWriteDatabase(file);
    const writer = new BreadthWriter(db);
    const changes = [3.5, -1.25, 0, 7, -4, 0.5, -0.75, 2];
    const symbols = (shift: number) => changes.map((c, i) => priceSymbol({ symbol: `S${i}`, ltp: 100 + c + shift, refPrice: 100 }));
    record(writer, symbols(-10), '2026-11-20T04:00:00.000Z'); // an earlier cycle: superseded below
    record(writer, symbols(0), '2026-11-20T04:00:01.000Z');
    db.close();
    const queries = new BreadthQueries(file);
    try {
      const movers = queries.movers(TRADE_DATE, 3);
      assert.deepEqual(movers.gainers.map((m) => [m.symbol, m.changePct]), [['S3', 7], ['S0', 3.5], ['S7', 2]]);
      assert.deepEqual(movers.losers.map((m) => [m.symbol, m.changePct]), [['S4', -4], ['S1', -1.25], ['S6', -0.75]]);
    } finally {
      queries.close();
    }
  });
});
