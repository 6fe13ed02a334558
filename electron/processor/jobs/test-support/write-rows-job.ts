// A small real job kind for the queue's tests and its wait measurement: item i writes
// rowsPerItem rows into job_test_rows. Its apply is idempotent (rows keyed by job, item and
// row, replaced on a second apply); job_test_applies logs every apply that committed, so a
// test sees whether the runner ever applied an item twice.
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import type Database from 'better-sqlite3';
import { JobFatalError, type JobHandler } from '../handler';

export const WRITE_ROWS_KIND = 'write-rows';

const paramsSchema = z.strictObject({
  items: z.number().int().min(0).max(100_000),
  rowsPerItem: z.number().int().min(1).max(1_000).default(3),
  /** Asynchronous wait per item outside the queue: a download. */
  prepareMs: z.number().min(0).max(60_000).default(0),
  /** Synchronous work per item inside the queue: parsing and writing a day. */
  applyMs: z.number().min(0).max(10_000).default(0),
  /** Items whose apply throws: recorded as failed, their rows rolled back. */
  failItems: z.array(z.string()).default([]),
  /** A prepare that does not listen to the signal, as a careless handler's might. */
  ignoreSignal: z.boolean().default(false),
  /** The first `times` attempts throw JobFatalError from `at`. */
  fatal: z.strictObject({ at: z.enum(['plan', 'item', 'finish']), times: z.number().int().min(0).default(1_000_000) }).optional(),
});

export type WriteRowsParams = z.infer<typeof paramsSchema>;

export function itemKey(i: number): string {
  return `item-${String(i).padStart(5, '0')}`;
}

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* the CPU work a real apply does */
  }
}

function ensureTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS job_test_rows (
      job_id INTEGER NOT NULL, item TEXT NOT NULL, k INTEGER NOT NULL, value TEXT NOT NULL,
      PRIMARY KEY (job_id, item, k)
    );
    CREATE TABLE IF NOT EXISTS job_test_applies (job_id INTEGER NOT NULL, item TEXT NOT NULL, pid INTEGER NOT NULL)`);
}

/** Each call is a fresh kind with its own count of failed attempts (the `fatal` option). */
export function writeRowsJob(): JobHandler<WriteRowsParams> {
  const fatalSoFar = new Map<number, number>();
  const maybeFatal = (jobId: number, at: 'plan' | 'item' | 'finish', params: WriteRowsParams): void => {
    if (params.fatal?.at !== at) return;
    const count = fatalSoFar.get(jobId) ?? 0;
    if (count >= params.fatal.times) return;
    fatalSoFar.set(jobId, count + 1);
    throw new JobFatalError(`The test source is down (${at}, failure ${count + 1})`);
  };
  return {
    kind: WRITE_ROWS_KIND,
    parse: (params) => paramsSchema.parse(params),
    async plan(params, ctx) {
      maybeFatal(ctx.jobId, 'plan', params);
      return Array.from({ length: params.items }, (_, i) => itemKey(i));
    },
    async prepare(item, params, ctx) {
      if (params.prepareMs > 0) await delay(params.prepareMs, undefined, params.ignoreSignal ? {} : { signal: ctx.signal });
      if (item === itemKey(Math.floor(params.items / 2))) maybeFatal(ctx.jobId, 'item', params);
      return Array.from({ length: params.rowsPerItem }, (_, k) => `${item}/${k}`);
    },
    apply(item, prepared, params, ctx) {
      ensureTables(ctx.db);
      busyWait(params.applyMs);
      const insert = ctx.db.prepare('INSERT OR REPLACE INTO job_test_rows (job_id, item, k, value) VALUES (?, ?, ?, ?)');
      (prepared as string[]).forEach((value, k) => insert.run(ctx.jobId, item, k, value));
      ctx.db.prepare('INSERT INTO job_test_applies (job_id, item, pid) VALUES (?, ?, ?)').run(ctx.jobId, item, process.pid);
      if (params.failItems.includes(item)) throw new Error(`${item} is broken in the test source`);
    },
    finish(params, ctx) {
      maybeFatal(ctx.jobId, 'finish', params);
      ensureTables(ctx.db);
      const rows = ctx.db.prepare('SELECT COUNT(*) FROM job_test_rows WHERE job_id = ?').pluck().get(ctx.jobId) as number;
      return { rows };
    },
  };
}
