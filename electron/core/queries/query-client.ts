// The dashboard's queries as promises: the SQL runs in a worker thread, the answer is finished
// here (query-answers.ts). The same methods as BreadthQueries. A worker that dies fails the
// requests it held with one line and is started again by the next request.
import { Worker } from 'node:worker_threads';
import type { DaySummary, HistoryRange, Movers, StockRow } from '../../../shared/api';
import type { HistoryDay } from '../../../shared/history/indicators';
import type { RejectedRow, RunRecord, SeriesPoint, Snapshot } from '../../../shared/domain';
import { topMovers } from '../../../shared/breadth';
import { PendingRequests } from '../../../shared/pending-requests';
import { toDays, toHistory, toRejections, toRuns, toSeries, toSnapshot, toStocks } from './query-answers';
import type { QueryReply, QueryRequest, QueryWorkerData, RowAnswer, RowArgs, RowQuery } from './query-protocol';
import { queryWorkerEntry, type QueryWorkerEntry } from './query-worker-entry';

/** How long close() lets the query running now finish before the thread is stopped. */
const CLOSE_TIMEOUT_MS = 1_000;

export class QueryClient {
  private worker: Worker | null = null;
  private readonly pending = new PendingRequests();
  /** Replies not settled yet: one per turn of the event loop (see settleNext). */
  private readonly arrived: QueryReply[] = [];
  private closed = false;

  constructor(private readonly dbFile: string, private readonly entry: QueryWorkerEntry = queryWorkerEntry()) {
    this.worker = this.start(); // at once: its start-up overlaps the core's
  }

  latestSnapshot(tradeDate?: string): Promise<Snapshot | null> {
    return this.ask('latestSnapshot', tradeDate).then(toSnapshot);
  }

  series(tradeDate?: string): Promise<SeriesPoint[]> {
    return this.ask('series', tradeDate).then(toSeries);
  }

  latestStocks(tradeDate?: string): Promise<StockRow[]> {
    return this.ask('board', tradeDate).then(toStocks);
  }

  movers(tradeDate?: string, limit = 10): Promise<Movers> {
    return this.latestStocks(tradeDate).then((stocks) => topMovers(stocks, limit));
  }

  runs(limit?: number, beforeId?: number): Promise<RunRecord[]> {
    return this.ask('runs', limit, beforeId).then(toRuns);
  }

  runRejections(runId: number): Promise<RejectedRow[]> {
    return this.ask('runRejections', runId).then(toRejections);
  }

  days(): Promise<DaySummary[]> {
    return this.ask('days').then(toDays);
  }

  /** The daily history, the live day as its provisional last point (QueryRows.history). */
  history(range?: HistoryRange): Promise<HistoryDay[]> {
    return this.ask('history', range).then(toHistory);
  }

  /** Test hook: the thread serving queries now (null after it ended, until the next request). */
  get thread(): Worker | null {
    return this.worker;
  }

  /**
   * Answers what was asked before, closes the connection and ends the thread; a query still
   * running after CLOSE_TIMEOUT_MS is cut short. Later requests are refused.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref();
    worker.postMessage({ id: 0, query: 'close', args: [] } satisfies QueryRequest);
    const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private ask<Q extends RowQuery>(query: Q, ...args: RowArgs<Q>): Promise<RowAnswer<Q>> {
    if (this.closed) return Promise.reject(new Error('The database reader is closed'));
    const worker = (this.worker ??= this.start());
    worker.ref(); // a request in flight keeps the process alive, an idle reader does not
    return this.pending.open<RowAnswer<Q>>((id) => worker.postMessage({ id, query, args } satisfies QueryRequest));
  }

  private start(): Worker {
    const worker = new Worker(this.entry.file, {
      workerData: { dbFile: this.dbFile } satisfies QueryWorkerData,
      // A small young generation, like the processor's 4 MB semi-spaces: the worker keeps
      // nothing between queries, and left alone V8 grows it to 3 × 16 MB and keeps that.
      resourceLimits: { maxYoungGenerationSizeMb: 12 },
    });
    let failure: string | null = null;
    worker.on('message', (reply: QueryReply) => {
      this.arrived.push(reply);
      if (this.arrived.length === 1) setImmediate(this.settleNext);
    });
    worker.on('error', (error) => {
      failure = error.message;
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      while (this.arrived.length) this.settle(this.arrived.shift()!); // answered before it ended
      const why = failure ?? `exit code ${code}`;
      this.pending.rejectAll(new Error(this.closed ? 'The database reader is closed'
        : `The database reader stopped (${why}); the next request starts it again`));
    });
    worker.unref();
    return worker;
  }

  /**
   * Replies that arrive together (the worker answers a dashboard's calls back to back) are
   * settled, and so finished (the day's points built), one per turn of the event loop: each is
   * a short task of its own, with I/O and timers between them, not one long one.
   */
  private readonly settleNext = (): void => {
    const reply = this.arrived.shift();
    if (reply) this.settle(reply);
    if (this.arrived.length) setImmediate(this.settleNext);
  };

  private settle(reply: QueryReply): void {
    if ('error' in reply) this.pending.reject(reply.id, new Error(reply.error));
    else this.pending.resolve(reply.id, reply.value);
    if (this.pending.size === 0 && !this.closed) this.worker?.unref();
  }
}
