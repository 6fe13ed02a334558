// The query worker's entry: a thread with the read-only connection, answering one request at
// a time. Built beside main's entry (electron.vite.config.ts); from source it is started by
// query-worker-tsx.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import type { QueryReply, QueryRequest, QueryWorkerData, RowQuery } from './query-protocol';
import { QueryRows } from './query-rows';
import type { HistoryRange } from '../../processor/history/store/read';

if (!parentPort) throw new Error('query-worker.ts runs as a worker thread (QueryClient starts it)');
const port = parentPort;
const reply = (message: QueryReply) => port.postMessage(message);

// A database that cannot be opened answers every request with the reason, as a constructor
// throwing on the main thread did; the worker stays, so nothing restarts in a loop.
let rows: QueryRows | null = null;
let openError: string | null = null;
try {
  rows = new QueryRows((workerData as QueryWorkerData).dbFile);
} catch (error) {
  openError = (error as Error).message;
}

const run: { [Q in RowQuery]: (db: QueryRows, args: unknown[]) => unknown } = {
  latestSnapshot: (db, [date]) => db.latestSnapshot(date as string | undefined),
  series: (db, [date]) => db.series(date as string | undefined),
  board: (db, [date]) => db.board(date as string | undefined),
  runs: (db, [limit, beforeId]) => db.runs(limit as number | undefined, beforeId as number | undefined),
  runRejections: (db, [runId]) => db.runRejections(runId as number),
  days: (db) => db.days(),
  history: (db, [range]) => db.history(range as HistoryRange | undefined),
};

port.on('message', ({ id, query, args }: QueryRequest) => {
  if (query === 'close') {
    // Closed before the processor checkpoints: its last connection then removes the -wal file.
    rows?.close();
    rows = null;
    reply({ id, value: null });
    port.close(); // nothing left: the thread ends
    return;
  }
  try {
    if (!rows) throw new Error(openError ?? 'The database reader is closed');
    reply({ id, value: run[query](rows, args) });
  } catch (error) {
    reply({ id, error: (error as Error).message });
  }
});
