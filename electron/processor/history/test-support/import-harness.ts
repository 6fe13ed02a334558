// Test support: a real ProcessorService (its queue, a real SQLite file it migrates itself) with
// the history-import kind on a given calendar and data folder, driven through its requests as
// main drives it; and the figures computed directly from a generated archive's bhavcopies.
import path from 'node:path';
import Database from 'better-sqlite3';
import type { JobDetail, JobRecord } from '../../../../shared/jobs';
import { computeHistory, countedStocks, dayBreadth, type HistoryDay, type HistoryUniverse } from '../../../../shared/history/indicators';
import { NSE_PROFILE, type ExchangeProfile } from '../../../../shared/market-calendar';
import type { ProcessorEvent, ProcessorRequest, ProcessorResults } from '../../../../shared/processor-protocol';
import { tempDir } from '../../../test-support/workbooks';
import { JobRegistry } from '../../jobs/registry';
import { waitFor, type RequestBody } from '../../jobs/test-support/harness';
import { ProcessorService, type ProcessorServiceOptions } from '../../service';
import { historyImportJob, type HistoryImportJobOptions } from '../import-job';
import type { HistoryImportInput } from '../import-params';
import type { GeneratedArchive } from '../sources/testing/generated-archive';

export { waitFor };

export interface ImportHarness {
  service: ProcessorService;
  events: ProcessorEvent[];
  dir: string;
  dbPath: string;
  request<T extends RequestBody>(body: T): Promise<ProcessorResults[T['type']]>;
  start(params: HistoryImportInput, maxAttempts?: number): Promise<JobRecord>;
  /** Waits for one of the states (pushed events, never polled) and returns the job with its failures. */
  until(id: number, states: JobRecord['state'][], timeoutMs?: number): Promise<JobDetail>;
  jobEvents(id: number): JobRecord[];
  /** A read-only look at the database, as main's queries have. */
  read<T>(fn: (db: Database.Database) => T): T;
  close(): Promise<void>;
}

export interface ImportHarnessOptions {
  dir?: string;
  exchange?: ExchangeProfile;
  dataDir?: string;
  job?: Omit<HistoryImportJobOptions, 'environment'>;
  service?: ProcessorServiceOptions;
}

export async function importHarness(options: ImportHarnessOptions = {}): Promise<ImportHarness> {
  const dir = options.dir ?? (await tempDir('livebreadth-import-'));
  const dbPath = path.join(dir, 'breadth.sqlite');
  const events: ProcessorEvent[] = [];
  const environment = () => ({ exchange: options.exchange ?? NSE_PROFILE, dataDir: options.dataDir ?? dir, historicalFileName: 'Historical' });
  const service = new ProcessorService((event) => events.push(event), {
    jobKinds: new JobRegistry([historyImportJob({ environment, ...options.job })]),
    ...options.service,
  });
  let nextId = 1;
  const request = <T extends RequestBody>(body: T) =>
    service.handle({ ...body, id: nextId++ } as ProcessorRequest) as Promise<ProcessorResults[T['type']]>;
  await request({
    type: 'configure',
    settings: { dataDir: options.dataDir ?? dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath, exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] },
  });
  const jobEvents = (id: number) => events.flatMap((event) => (event.type === 'jobProgress' && event.job.id === id ? [event.job] : []));
  return {
    service,
    events,
    dir,
    dbPath,
    request,
    start: (params, maxAttempts) => request({ type: 'startJob', kind: 'history-import', params, maxAttempts }),
    until: async (id, states, timeoutMs = 60_000) => {
      await waitFor(() => jobEvents(id).some((job) => states.includes(job.state)), `job ${id} to be ${states.join(' or ')}`, timeoutMs);
      return request({ type: 'getJob', jobId: id });
    },
    jobEvents,
    read: (fn) => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return fn(db);
      } finally {
        db.close();
      }
    },
    close: async () => {
      await request({ type: 'shutdown' });
    },
  };
}

/** The figures of the archive's sessions in [from, to], computed directly from its generated rows. */
export function expectedHistory(archive: GeneratedArchive, from: string, to: string, universe: HistoryUniverse = { series: ['EQ'] }): HistoryDay[] {
  return computeHistory(archive.publishedBetween(from, to).map((tradeDate) => {
    const rows = archive.rowsOn(tradeDate);
    return { tradeDate, breadth: dayBreadth(rows, universe), stocks: countedStocks(rows, universe).map(({ symbol, close }) => ({ symbol, close })) };
  }));
}

export const count = (db: Database.Database, table: string): number => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
