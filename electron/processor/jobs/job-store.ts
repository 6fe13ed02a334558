// The job tables (schema.ts) read and written: rows in, JobRecords out. No decisions here; the
// runner decides, this stores. Synchronous, on the writer connection.
import type Database from 'better-sqlite3';
import { JOB_STATES, type JobItemFailure, type JobRecord, type JobState } from '../../../shared/jobs';

interface JobRow {
  id: number;
  kind: string;
  params: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  total: number;
  done: number;
  failed: number;
  items_per_second: number | null;
  eta_seconds: number | null;
  crashes: number;
  paused: number;
  created_at: string;
  started_at: string | null;
  updated_at: string;
  finished_at: string | null;
  result: string | null;
}

/** Fields the runner changes; whatever is absent stays. */
export interface JobPatch {
  state?: JobState;
  attempts?: number;
  nextAttemptAt?: string | null;
  lastError?: string | null;
  total?: number;
  done?: number;
  failed?: number;
  itemsPerSecond?: number | null;
  etaSeconds?: number | null;
  crashes?: number;
  paused?: boolean;
  startedAt?: string | null;
  finishedAt?: string | null;
  result?: unknown;
}

const COLUMNS: Record<keyof JobPatch, string> = {
  state: 'state', attempts: 'attempts', nextAttemptAt: 'next_attempt_at', lastError: 'last_error',
  total: 'total', done: 'done', failed: 'failed', itemsPerSecond: 'items_per_second',
  etaSeconds: 'eta_seconds', crashes: 'crashes', paused: 'paused', startedAt: 'started_at', finishedAt: 'finished_at', result: 'result',
};

/** Internal figures the record does not show. */
export interface JobBookkeeping {
  crashes: number;
  paused: boolean;
}

function percentOf(row: Pick<JobRow, 'state' | 'total' | 'done' | 'failed'>): number {
  if (row.total === 0) return row.state === 'completed' ? 100 : 0;
  return Math.round(((row.done + row.failed) / row.total) * 1000) / 10;
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    params: JSON.parse(row.params) as unknown,
    state: row.state,
    progress: {
      done: row.done,
      failed: row.failed,
      total: row.total,
      percent: percentOf(row),
      currentItem: null, // the runner knows it, not the table: JobRunner.decorate
      itemsPerSecond: row.items_per_second,
      etaSeconds: row.eta_seconds,
    },
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  };
}

export class JobStore {
  private readonly statements;
  private readonly updates = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.statements = {
      insert: db.prepare(`INSERT INTO jobs (kind, params, state, max_attempts, created_at, updated_at)
        VALUES (?, ?, 'queued', ?, ?, ?)`),
      get: db.prepare('SELECT * FROM jobs WHERE id = ?'),
      list: db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?'),
      inState: db.prepare('SELECT * FROM jobs WHERE state = ? ORDER BY id DESC'),
      // Leftovers first (a job the processor was running when it stopped), then FIFO.
      nextDue: db.prepare(`SELECT * FROM jobs
        WHERE state IN ('running', 'queued') OR (state = 'failed' AND next_attempt_at <= ?)
        ORDER BY state = 'running' DESC, id LIMIT 1`),
      soonestRetry: db.prepare(`SELECT MIN(next_attempt_at) AS at FROM jobs WHERE state = 'failed'`),
      counts: db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state'),
      remove: db.prepare('DELETE FROM jobs WHERE id = ?'),
      markItem: db.prepare(`INSERT INTO job_items (job_id, item_key, state, reason, at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (job_id, item_key) DO UPDATE SET state = excluded.state, reason = excluded.reason, at = excluded.at`),
      itemStates: db.prepare('SELECT item_key, state FROM job_items WHERE job_id = ?'),
      failures: db.prepare(`SELECT item_key AS item, reason, at FROM job_items WHERE job_id = ? AND state = 'failed' ORDER BY at, item_key LIMIT ?`),
      itemsSince: db.prepare('SELECT COUNT(*) FROM job_items WHERE at >= ?').pluck(),
    };
  }

  insert(kind: string, params: unknown, maxAttempts: number, now: string): JobRecord {
    const id = Number(this.statements.insert.run(kind, JSON.stringify(params ?? null), maxAttempts, now, now).lastInsertRowid);
    return this.get(id)!;
  }

  get(id: number): JobRecord | null {
    const row = this.statements.get.get(id) as JobRow | undefined;
    return row ? toRecord(row) : null;
  }

  bookkeeping(id: number): JobBookkeeping | null {
    const row = this.statements.get.get(id) as JobRow | undefined;
    return row ? { crashes: row.crashes, paused: row.paused === 1 } : null;
  }

  list(limit = 500): JobRecord[] {
    return (this.statements.list.all(limit) as JobRow[]).map(toRecord);
  }

  inState(state: JobState): JobRecord[] {
    return (this.statements.inState.all(state) as JobRow[]).map(toRecord);
  }

  /** The job to run next at `now`: one left running, else the oldest queued or due for retry. */
  nextDue(now: string): JobRecord | null {
    const row = this.statements.nextDue.get(now) as JobRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** When the soonest failed job is due again, if any. */
  soonestRetry(): string | null {
    return (this.statements.soonestRetry.get() as { at: string | null }).at;
  }

  update(id: number, patch: JobPatch, now: string): JobRecord {
    const sets: string[] = ['updated_at = @updatedAt'];
    const values: Record<string, unknown> = { id, updatedAt: now };
    for (const [key, value] of Object.entries(patch) as Array<[keyof JobPatch, unknown]>) {
      if (value === undefined) continue;
      sets.push(`${COLUMNS[key]} = @${key}`);
      values[key] = key === 'result' ? (value === null ? null : JSON.stringify(value)) : key === 'paused' ? (value ? 1 : 0) : value;
    }
    const sql = `UPDATE jobs SET ${sets.join(', ')} WHERE id = @id`;
    let statement = this.updates.get(sql);
    if (!statement) this.updates.set(sql, (statement = this.db.prepare(sql))); // a handful of shapes
    statement.run(values);
    return this.get(id)!;
  }

  remove(id: number): void {
    this.statements.remove.run(id);
  }

  countsByState(): Record<JobState, number> {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    for (const { state, n } of this.statements.counts.all() as Array<{ state: JobState; n: number }>) counts[state] = n;
    return counts;
  }

  markItem(jobId: number, item: string, state: 'done' | 'failed', reason: string | null, now: string): void {
    this.statements.markItem.run(jobId, item, state, reason, now);
  }

  /** What became of each item tried so far. */
  itemStates(jobId: number): Map<string, 'done' | 'failed'> {
    const rows = this.statements.itemStates.all(jobId) as Array<{ item_key: string; state: 'done' | 'failed' }>;
    return new Map(rows.map((row) => [row.item_key, row.state]));
  }

  failures(jobId: number, limit: number): JobItemFailure[] {
    return this.statements.failures.all(jobId, limit) as JobItemFailure[];
  }

  /** Items finished (done or failed) at or after `since`, all jobs together. */
  itemsSince(since: string): number {
    return this.statements.itemsSince.get(since) as number;
  }
}
