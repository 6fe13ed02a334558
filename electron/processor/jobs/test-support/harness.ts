// Test support: a real ProcessorService (its real queue, a real SQLite file, migrated by the
// processor itself as in the app) with the write-rows kind, driven through its requests as main drives it.
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { JobRecord } from '../../../../shared/jobs';
import type { ProcessorEvent, ProcessorRequest, ProcessorResults } from '../../../../shared/processor-protocol';
import { tempDir } from '../../../test-support/workbooks';
import { ProcessorService, type ProcessorServiceOptions } from '../../service';
import { JobRegistry } from '../registry';
import { writeRowsJob } from './write-rows-job';

export type RequestBody = ProcessorRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await delay(2);
  }
}

export interface JobsHarness {
  service: ProcessorService;
  events: ProcessorEvent[];
  dbPath: string;
  dir: string;
  request<T extends RequestBody>(body: T): Promise<ProcessorResults[T['type']]>;
  /** The job's pushed records, in order. */
  jobEvents(id: number): JobRecord[];
  /** A read-only look at the database, as main's queries have. */
  query<T>(sql: string, ...params: unknown[]): T[];
  close(): Promise<void>;
}

export async function jobsHarness(options: ProcessorServiceOptions = {}, existing?: { dir: string }): Promise<JobsHarness> {
  const dir = existing?.dir ?? (await tempDir('livebreadth-jobs-'));
  const dbPath = path.join(dir, 'db.sqlite');
  const events: ProcessorEvent[] = [];
  const service = new ProcessorService((event) => events.push(event), { jobKinds: new JobRegistry([writeRowsJob()]), ...options });
  let nextId = 1;
  const request = <T extends RequestBody>(body: T) =>
    service.handle({ ...body, id: nextId++ } as ProcessorRequest) as Promise<ProcessorResults[T['type']]>;
  await request({
    type: 'configure',
    settings: { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath, exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] },
  });
  return {
    service,
    events,
    dbPath,
    dir,
    request,
    jobEvents: (id) => events.flatMap((event) => (event.type === 'jobProgress' && event.job.id === id ? [event.job] : [])),
    query: <T>(sql: string, ...params: unknown[]) => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    close: async () => {
      await request({ type: 'shutdown' });
    },
  };
}
