// The dashboard's two heaviest queries on their read-only connection: a full 1-second day's
// series, and the latest stock table of the largest universe; on the calling thread, then
// asked of the query worker as the app does (the round trip: the message hop and the answer
// finished on this thread).
import { computeBreadth, priceSymbol } from '../../../shared/breadth';
import { BreadthQueries } from '../../core/queries/breadth-queries';
import { QueryClient } from '../../core/queries/query-client';
import type { QueryWorkerEntry } from '../../core/queries/query-worker-entry';
import { openWriteDatabase } from '../../processor/store/database';
import { BreadthWriter } from '../../processor/store/writer';
import { DemoMarket } from '../demo/market';
import { median, round1, timeIt } from './stats';

export interface QueryFigures {
  seriesSnapshots: number;
  seriesMs: number;
  tableRows: number;
  tableMs: number;
  /** The same two through the query worker, from asking to the finished answer. */
  workerSeriesMs: number;
  workerTableMs: number;
}

/**
 * A day of snapshots one second apart, written by the store's writer (breadth rows only). By
 * default a fixed day from its 09:15 IST open; `day` names another trade date and first poll.
 */
export function seedSeries(dbPath: string, points: number, day = { tradeDate: '2026-11-20', firstPoll: Date.parse('2026-11-20T03:45:00Z') }): string {
  const { tradeDate, firstPoll: open } = day;
  const market = new DemoMarket(50, 11);
  const db = openWriteDatabase(dbPath);
  const writer = new BreadthWriter(db);
  try {
    for (let i = 0; i < points; i++) {
      market.step();
      const figures = computeBreadth(market.stocks.map((s) => priceSymbol({ symbol: s.symbol, ltp: s.ltp, refPrice: s.prevClose })));
      const pollTime = new Date(open + i * 1000).toISOString();
      writer.recordSnapshot(
        { tradeDate, pollTime, ...figures, coverage: { universe: 50, priced: 50, missing: 0, unknown: 0, rejected: 0, missingSymbols: [], unknownSymbols: [] } },
        [],
        { trigger: 'schedule', startedAt: pollTime, durationMs: 1, tradeDate, message: null, live: null, historical: null, rowsRead: 50, rowsValid: 50, rejected: [], contentHash: String(i) },
      );
    }
  } finally {
    db.close();
  }
  return tradeDate;
}

/** Sequential round trips through the worker, after a warm-up, in ms. */
async function timeAsked(ask: () => Promise<unknown>, runs: number, warmUp = 3): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await ask();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await ask();
    times.push(performance.now() - t);
  }
  return times;
}

/** The two queries on a seeded day (`seriesDb`, `tradeDate`) and the largest universe's stock table. */
export async function benchQueries(seriesDb: string, tradeDate: string, tableDbPath: string, worker: QueryWorkerEntry): Promise<QueryFigures> {
  const series = new BreadthQueries(seriesDb);
  const table = new BreadthQueries(tableDbPath);
  let seriesSnapshots = 0;
  let tableRows = 0;
  let seriesTimes: number[];
  let tableTimes: number[];
  try {
    seriesTimes = timeIt(() => {
      seriesSnapshots = series.series(tradeDate).length;
    }, 15);
    tableTimes = timeIt(() => {
      tableRows = table.latestStocks().length;
    }, 30);
  } finally {
    series.close();
    table.close();
  }
  const seriesClient = new QueryClient(seriesDb, worker);
  const tableClient = new QueryClient(tableDbPath, worker);
  try {
    const workerSeries = await timeAsked(() => seriesClient.series(tradeDate), 15);
    const workerTable = await timeAsked(() => tableClient.latestStocks(), 30);
    return {
      seriesSnapshots, seriesMs: round1(median(seriesTimes)), tableRows, tableMs: round1(median(tableTimes)),
      workerSeriesMs: round1(median(workerSeries)), workerTableMs: round1(median(workerTable)),
    };
  } finally {
    await seriesClient.close();
    await tableClient.close();
  }
}
