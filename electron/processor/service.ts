// The processor's request handling, apart from its transport so it can be driven in-process:
// one request at a time, in arrival order, so cycles never overlap on the write connection.
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock/clock';
import type {
  CycleReport, JobRequest, ProcessorEvent, ProcessorRequest, ProcessorRequestType, ProcessorResults, ProcessorSettings, RecordFailedRunRequest,
} from '../../shared/processor-protocol';
import { BreadthProcessor, type CycleResult } from './cycle';
import { JobRegistry } from './jobs/registry';
import { JobRunner, type JobRunnerOptions } from './jobs/runner';
import { openWriterStore, WRITER_BUSY_TIMEOUT_MS, type WriterStore } from './store/database';
import { CycleJournal, journalFileOf } from './store/journal';
import { SCHEMA_VERSION } from './store/migrations';
import { BreadthWriter } from './store/writer';
import { useProcessorSettings } from './current-settings';

/** Who holds the writer lock, as the second writer's refusal names it. */
function appName(): string {
  return process.versions.electron ? 'desktop app' : 'serve';
}

const REJECTED_SAMPLE = 20;

export function toReport(result: CycleResult): CycleReport {
  return {
    runId: result.runId,
    status: result.status,
    trigger: result.trigger,
    message: result.message,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    snapshot: result.snapshot,
    rejectedCount: result.rejected.length,
    rejectedSample: result.rejected.slice(0, REJECTED_SAMPLE),
    ticksStored: result.ticksStored,
    journal: result.journal,
  };
}

export interface ProcessorServiceOptions {
  /** The job kinds this processor runs (jobs/kinds.ts in the real one). */
  jobKinds?: JobRegistry;
  /** For the job queue's times and retry timers. */
  clock?: Clock;
  /** The job queue's tuning: tests fix the jitter and shorten the backoff. */
  jobs?: Partial<Pick<JobRunnerOptions, 'random' | 'backoff' | 'progressIntervalMs' | 'maxCrashes' | 'onChunk'>>;
  /** How long each request waited for the queue, in ms: the live cycle's wait behind job chunks (jobs/measure-wait.ts). */
  onQueueWait?: (type: ProcessorRequestType, waitedMs: number) => void;
}

export class ProcessorService {
  private store: WriterStore | null = null;
  private journal: CycleJournal | null = null;
  private processor: BreadthProcessor | null = null;
  private jobs: JobRunner | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly emit: (event: ProcessorEvent) => void,
    private readonly options: ProcessorServiceOptions = {},
  ) {}

  /** Runs requests strictly one after another. */
  handle(request: ProcessorRequest): Promise<unknown> {
    const queuedAt = performance.now();
    return this.exclusive(() => {
      this.options.onQueueWait?.(request.type, performance.now() - queuedAt);
      return this.dispatch(request);
    });
  }

  /**
   * Runs `fn` in the same queue as requests, after what is queued before it: how job chunks
   * share the write connection with cycles (a cycle arriving waits for the chunk in hand only).
   */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const next = this.queue.then(() => fn());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async dispatch(request: ProcessorRequest): Promise<unknown> {
    switch (request.type) {
      case 'configure':
        return this.configure(request.settings);
      case 'runCycle': {
        if (!this.processor) throw new Error('The processor is not configured yet');
        return toReport(await this.processor.runCycle(request.trigger));
      }
      case 'stats': {
        const usage = process.resourceUsage();
        const memory = process.memoryUsage();
        return {
          pid: process.pid,
          rssBytes: memory.rss,
          maxRssBytes: usage.maxRSS * 1024,
          heapUsedBytes: memory.heapUsed,
          heapTotalBytes: memory.heapTotal,
          externalBytes: memory.external,
          cpuUserMicros: usage.userCPUTime,
          cpuSystemMicros: usage.systemCPUTime,
          execArgv: process.execArgv,
        };
      }
      case 'shutdown':
        this.close();
        return { ok: true };
      case 'recordFailedRun': // supervision (H3a): a cycle lost with its processor, see the protocol
        return this.recordFailedRun(request);
      case 'startJob':
        await this.options.jobKinds?.ensure(request.kind);
        return this.jobRequest(request);
      case 'listJobs':
      case 'getJob':
      case 'cancelJob':
      case 'retryJob':
      case 'dismissJob':
      case 'jobStats':
        return this.jobRequest(request);
      default:
        throw new Error(`Unknown request type "${(request as { type: unknown }).type}"`);
    }
  }

  /**
   * Takes the writer lock, opens the database (a damaged or foreign one is moved aside and
   * reported in `recovered`), and replays what the journal kept from a previous run. Fails with
   * one line when another LiveBreadth writes the database or the file cannot be opened.
   */
  private configure(settings: ProcessorSettings): ProcessorResults['configure'] {
    this.close();
    const store = openWriterStore(settings.dbPath, { app: appName(), busyTimeoutMs: WRITER_BUSY_TIMEOUT_MS });
    if (store.recovered) {
      this.emit({ type: 'log', level: 'warn', message: `The database could not be used (${store.recovered.reason}); it was moved to ${store.recovered.movedTo} and a new one started` });
    }
    let journal: CycleJournal;
    try {
      journal = CycleJournal.open(journalFileOf(settings.dbPath));
    } catch (error) {
      store.close();
      throw new Error(`Cannot open the journal beside the database: ${(error as Error).message}`);
    }
    this.store = store;
    this.journal = journal;
    this.processor = new BreadthProcessor(store.db, {
      dataDir: settings.dataDir,
      fileNames: { live: settings.liveFileName, historical: settings.historicalFileName },
      exchangeZone: settings.exchangeZone,
      retryDelaysMs: settings.retryDelaysMs,
    }, journal);
    // After a crash or a stop with writes still waiting: store them now, if the database lets us.
    this.processor.drainJournal();
    useProcessorSettings(settings);
    this.openJobs(store.db);
    return { schemaVersion: SCHEMA_VERSION, recovered: store.recovered, journal: journal.state };
  }

  // ── supervision (H3a): the run-log row of a cycle lost with a killed processor ──────────
  private recordFailedRun(request: RecordFailedRunRequest): ProcessorResults['recordFailedRun'] {
    if (!this.store) throw new Error('The processor is not configured yet');
    const { trigger, startedAt, tradeDate, durationMs, message } = request;
    const runId = new BreadthWriter(this.store.db).recordRun({
      trigger, startedAt, durationMs, tradeDate, message,
      live: null, historical: null, rowsRead: 0, rowsValid: 0, rejected: [], contentHash: null,
    }, 'failed');
    return { runId };
  }

  // ── the job queue ───────────────────────────────────────────────────────────────────────
  /** A job found running resumes now, in the queue after this configure. */
  private openJobs(db: Database.Database): void {
    this.jobs = new JobRunner({
      db,
      kinds: this.options.jobKinds ?? new JobRegistry(),
      exclusive: (fn) => this.exclusive(fn),
      onProgress: (job) => this.emit({ type: 'jobProgress', job }),
      onLog: (level, message) => this.emit({ type: 'log', level, message }),
      clock: this.options.clock,
      ...this.options.jobs,
    });
    this.jobs.open();
  }

  private jobRequest(request: JobRequest): unknown {
    const jobs = this.jobs;
    if (!jobs) throw new Error('The processor is not configured yet');
    switch (request.type) {
      case 'startJob':
        return jobs.start({ kind: request.kind, params: request.params, maxAttempts: request.maxAttempts });
      case 'listJobs':
        return jobs.list();
      case 'getJob':
        return jobs.detail(request.jobId);
      case 'cancelJob':
        return jobs.cancel(request.jobId);
      case 'retryJob':
        return jobs.retry(request.jobId);
      case 'dismissJob':
        return jobs.dismiss(request.jobId);
      case 'jobStats':
        return jobs.stats();
    }
  }

  /** Checkpoints the WAL, closes the database and releases the writer lock. */
  close(): void {
    // Inside the queue, so no job chunk is applying: the job in hand is left to resume.
    this.jobs?.stop();
    this.jobs = null;
    this.processor = null;
    this.journal?.close();
    this.journal = null;
    this.store?.close();
    this.store = null;
  }
}
