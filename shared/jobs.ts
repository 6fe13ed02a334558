// Background jobs as the processor keeps them (electron/processor/jobs) and as the API and the
// dashboard show them. Types only: shared/ is imported by both sides.

/**
 * queued → running → completed | cancelled; a whole-job failure → failed (a retry is scheduled
 * at nextAttemptAt) → running again, or dead once maxAttempts are spent. See docs/jobs.md.
 */
export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'dead';

export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'dead'];

export interface JobProgress {
  /** Items finished well. */
  done: number;
  /** Items that failed (their reasons: JobItemFailure); the job goes on without them. */
  failed: number;
  /** Items the job planned; 0 until it has planned them. */
  total: number;
  /** (done + failed) / total × 100, one decimal; 100 for a completed job with nothing to do. */
  percent: number;
  /** The item being worked on, null between items and when the job is not running. */
  currentItem: string | null;
  /** Over the job's recent items; null until there are two to measure, and when not running. */
  itemsPerSecond: number | null;
  /** Time left at itemsPerSecond; null when that is. */
  etaSeconds: number | null;
}

export interface JobRecord {
  id: number;
  kind: string;
  /** The parameters as given when the job was started (JSON). */
  params: unknown;
  state: JobState;
  progress: JobProgress;
  /** Attempts started, including the running one; reset to 0 by a retry by hand. */
  attempts: number;
  maxAttempts: number;
  /** When a failed job runs again (ISO UTC); null unless the state is failed. */
  nextAttemptAt: string | null;
  /** One line: why the last attempt failed as a whole. */
  lastError: string | null;
  /** ISO UTC; startedAt is the first attempt's start, finishedAt set in completed, cancelled and dead. */
  createdAt: string;
  startedAt: string | null;
  updatedAt: string;
  finishedAt: string | null;
  /** What the job's kind reports when it completes (e.g. days imported, skipped, not published). */
  result: unknown | null;
}

export interface JobItemFailure {
  item: string;
  /** One line. */
  reason: string;
  /** ISO UTC. */
  at: string;
}

export interface QueueStats {
  byState: Record<JobState, number>;
  running: JobRecord | null;
  /** Items finished (done or failed) per second over the last minute, all jobs together. */
  throughput: number;
  /** The dead-letter list: jobs that spent their attempts, newest first. */
  dead: JobRecord[];
}

/** What a job's progress event carries: the whole record, so a watcher needs no second call. */
export type JobProgressEvent = JobRecord;

/** How to start a job: its kind, its parameters (the kind validates them) and how many attempts it gets. */
export interface StartJobInput {
  kind: string;
  params: unknown;
  /** Default 3. */
  maxAttempts?: number;
}

/** A job with the items that failed, for the Jobs panel's detail. */
export interface JobDetail {
  job: JobRecord;
  /** In the order they failed, at most the first 500. */
  failures: JobItemFailure[];
}
