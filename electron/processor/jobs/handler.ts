// What a job kind implements. The runner (runner.ts) calls plan once per attempt, then for each
// item not yet done prepare (outside the processor's queue) and apply (inside it, one item at a
// time, in a transaction with the item's done mark), then finish.
import type Database from 'better-sqlite3';

export interface JobContext {
  readonly jobId: number;
  /** Aborted when the job is cancelled or the processor stops: stop waiting, throw. */
  readonly signal: AbortSignal;
  readonly params: unknown;
  /** The writer connection. Write only in apply and finish; read anywhere. */
  readonly db: Database.Database;
}

export interface JobHandler<P = unknown> {
  readonly kind: string;
  /** Validates params (zod) → one-line error for a bad request. */
  parse(params: unknown): P;
  /** The job's items in order (e.g. trading days). Called at start and on resume; done items are skipped. */
  plan(params: P, ctx: JobContext): Promise<string[]>;
  /** Slow, asynchronous, OUTSIDE the write queue (network, disk reads): may take seconds; never blocks a cycle. */
  prepare(item: string, params: P, ctx: JobContext): Promise<unknown>;
  /** Short, synchronous work INSIDE the processor's serial queue (parse, write rows in one transaction): a live cycle waits for at most this. Throw to record the item as failed with the message. */
  apply(item: string, prepared: unknown, params: P, ctx: JobContext): void;
  /** After the last item (inside the queue): derived figures, the result summary. */
  finish(params: P, ctx: JobContext): unknown;
}

/**
 * Thrown from plan, prepare, apply or finish when the job as a whole cannot go on (a source's
 * circuit is open, the destination is unusable, every item fails for one reason): the attempt
 * ends, and the job retries with backoff or, its attempts spent, goes dead. Any other error
 * from prepare or apply fails just that item; from plan or finish, the attempt.
 */
export class JobFatalError extends Error {
  override readonly name = 'JobFatalError';
}

export function isJobFatal(error: unknown): boolean {
  return error instanceof JobFatalError || (error as { name?: unknown } | null)?.name === 'JobFatalError';
}
