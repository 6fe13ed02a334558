// The query worker's messages: a request names one of QueryRows' queries (or close) and
// carries an id; the reply carries the same id and the answer, or the error's message.
import type { QueryRows } from './query-rows';

export type RowQuery = 'latestSnapshot' | 'series' | 'board' | 'runs' | 'runRejections' | 'days' | 'history';
export type RowArgs<Q extends RowQuery> = Parameters<QueryRows[Q]>;
export type RowAnswer<Q extends RowQuery> = ReturnType<QueryRows[Q]>;

export interface QueryRequest {
  id: number;
  query: RowQuery | 'close';
  args: unknown[];
}

export type QueryReply = { id: number; value: unknown } | { id: number; error: string };

export interface QueryWorkerData {
  dbFile: string;
}
