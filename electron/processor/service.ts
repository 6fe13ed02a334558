// The processor's request handling, apart from its transport so it can be driven in-process:
// one request at a time, in arrival order, so cycles never overlap on the write connection.
import type Database from 'better-sqlite3';
import type { CycleReport, ProcessorEvent, ProcessorRequest, ProcessorSettings } from '../../shared/processor-protocol';
import { BreadthProcessor, type CycleResult } from './cycle';
import { openWriteDatabase } from './store/database';
import { SCHEMA_VERSION } from './store/migrations';

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
  };
}

export class ProcessorService {
  private db: Database.Database | null = null;
  private processor: BreadthProcessor | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly emit: (event: ProcessorEvent) => void) {}

  /** Runs requests strictly one after another. */
  handle(request: ProcessorRequest): Promise<unknown> {
    const next = this.queue.then(() => this.dispatch(request));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async dispatch(request: ProcessorRequest): Promise<unknown> {
    switch (request.type) {
      case 'configure':
        return this.configure(request.settings);
      case 'runCycle': {
        if (!this.processor) throw new Error('The processor is not configured yet');
        const report = toReport(await this.processor.runCycle(request.trigger));
        this.emit({ type: 'cycle', report });
        return report;
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
      default:
        throw new Error(`Unknown request type "${(request as { type: unknown }).type}"`);
    }
  }

  private configure(settings: ProcessorSettings): { schemaVersion: number } {
    this.close();
    this.db = openWriteDatabase(settings.dbPath);
    this.processor = new BreadthProcessor(this.db, {
      dataDir: settings.dataDir,
      fileNames: { live: settings.liveFileName, historical: settings.historicalFileName },
      exchangeZone: settings.exchangeZone,
      retryDelaysMs: settings.retryDelaysMs,
    });
    return { schemaVersion: SCHEMA_VERSION };
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.processor = null;
  }
}
