// queries/: the dashboard's reads of the database. The SQL (query-rows.ts) runs in a worker
// thread (query-worker.ts) behind QueryClient, so a query never blocks Electron's main process
// or the headless host's event loop; its answers are finished on the calling thread
// (query-answers.ts). May import shared/ and the processor's store (read-only).
// Here: the same queries synchronously, on the calling thread, for the bench's query timings
// and the tests of the SQL itself.
import type { DaySummary, HistoryRange, Movers, StockRow } from '../../../shared/api';
import type { HistoryDay } from '../../../shared/history/indicators';
import type { RejectedRow, RunRecord, SeriesPoint, Snapshot } from '../../../shared/domain';
import { topMovers } from '../../../shared/breadth';
import { toDays, toHistory, toRejections, toRuns, toSeries, toSnapshot, toStocks } from './query-answers';
import { QueryRows } from './query-rows';

export class BreadthQueries {
  private readonly rows: QueryRows;

  constructor(dbFile: string) {
    this.rows = new QueryRows(dbFile);
  }

  latestSnapshot(tradeDate?: string): Snapshot | null {
    return toSnapshot(this.rows.latestSnapshot(tradeDate));
  }

  series(tradeDate?: string): SeriesPoint[] {
    return toSeries(this.rows.series(tradeDate));
  }

  /** The day's stock table: each symbol's latest quote, by symbol. */
  latestStocks(tradeDate?: string): StockRow[] {
    return toStocks(this.rows.board(tradeDate));
  }

  movers(tradeDate?: string, limit = 10): Movers {
    return topMovers(this.latestStocks(tradeDate), limit);
  }

  runs(limit?: number, beforeId?: number): RunRecord[] {
    return toRuns(this.rows.runs(limit, beforeId));
  }

  runRejections(runId: number): RejectedRow[] {
    return toRejections(this.rows.runRejections(runId));
  }

  days(): DaySummary[] {
    return toDays(this.rows.days());
  }

  history(range?: HistoryRange): HistoryDay[] {
    return toHistory(this.rows.history(range));
  }

  close(): void {
    this.rows.close();
  }
}
