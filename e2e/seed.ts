// Seeding a database before the host starts, with the app's own writer: a past day, or a
// whole simulated session from the demo feed, at simulated times.
import path from 'node:path';
import { DateTime } from 'luxon';
import { DemoFeed } from '../electron/cli/demo/feed';
import { BreadthProcessor } from '../electron/processor/cycle';
import { openWriteDatabase } from '../electron/processor/store/database';
import { BreadthWriter } from '../electron/processor/store/writer';
import { DemoMarket } from '../electron/cli/demo/market';
import { computeBreadth, priceSymbol } from '../shared/breadth';

const ZONE = 'Asia/Kolkata';

export function exchangeTime(date: string, time: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
}

/**
 * A session from the demo feed through the real reader and processor: Live.xlsx rewritten
 * and a cycle run every `everySeconds` of simulated time from 09:15 to 15:30 (and the close).
 */
export async function seedSessionFromDemoFeed(opts: { dbPath: string; dataDir: string; tradeDate: string; everySeconds: number; symbols?: number; seed?: number }): Promise<number> {
  const feed = new DemoFeed({ dataDir: opts.dataDir, symbols: opts.symbols ?? 204, seed: opts.seed });
  await feed.writeHistorical();
  const db = openWriteDatabase(opts.dbPath);
  const processor = new BreadthProcessor(db, { dataDir: opts.dataDir });
  const open = exchangeTime(opts.tradeDate, '09:15:00').getTime();
  const close = exchangeTime(opts.tradeDate, '15:30:00').getTime();
  let cycles = 0;
  try {
    for (let t = open; t <= close; t += opts.everySeconds * 1000) {
      await feed.writeLive(new Date(t));
      const result = await processor.runCycle('schedule', new Date(t));
      if (result.status === 'ok') cycles++;
    }
  } finally {
    db.close();
  }
  return cycles;
}

/**
 * A full day at a 1-second interval (22,501 snapshots), written straight through the store's
 * writer from the demo market: the volume a 1-second day really stores, without 22,501 saves.
 */
export function seedSecondByDay(opts: { dbPath: string; tradeDate: string; symbols?: number; endingAt?: Date }): number {
  const market = new DemoMarket(opts.symbols ?? 204, 7);
  const db = openWriteDatabase(opts.dbPath);
  const writer = new BreadthWriter(db);
  // A session's worth of seconds, 09:15 to 15:30, or the same length ending at `endingAt` so
  // that the next live snapshot extends the series, as it does during a session.
  const length = 22_500_000;
  const close = opts.endingAt ? opts.endingAt.getTime() : exchangeTime(opts.tradeDate, '15:30:00').getTime();
  const open = close - length;
  let n = 0;
  try {
    for (let t = open; t <= close; t += 1000) {
      market.step();
      const symbols = market.stocks.map((s) => priceSymbol({ symbol: s.symbol, ltp: s.ltp, refPrice: s.prevClose, volume: s.volume, sector: s.sector }));
      const pollTime = new Date(t).toISOString();
      writer.recordSnapshot(
        {
          tradeDate: opts.tradeDate,
          pollTime,
          ...computeBreadth(symbols),
          coverage: { universe: symbols.length, priced: symbols.length, missing: 0, unknown: 0, rejected: 0, missingSymbols: [], unknownSymbols: [] },
        },
        symbols,
        { trigger: 'schedule', startedAt: pollTime, durationMs: 5, tradeDate: opts.tradeDate, message: null, live: null, historical: null, rowsRead: symbols.length, rowsValid: symbols.length, rejected: [], contentHash: String(n) },
      );
      n++;
    }
  } finally {
    db.close();
  }
  return n;
}

export const dataFile = (dataDir: string, name: string) => path.join(dataDir, name);
