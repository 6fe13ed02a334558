// The API contract: every call the renderer makes and every event pushed to it. The Electron
// preload and the browser's WebSocket client both implement LiveBreadthApi; main and the
// headless server validate every input with these schemas before it reaches the core.
import { z } from 'zod';
import type { Coverage, PricedSymbol, RejectedRow, RunRecord, SeriesPoint, Snapshot } from './domain';
import type { HistoryDay } from './history/indicators';
import type { JobDetail, JobRecord, QueueStats, StartJobInput } from './jobs';
import type { MarketPhase } from './market-calendar';
import type { CycleReport, JournalState } from './processor-protocol';
import { settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch } from './settings';

export type ProcessorHealth = 'starting' | 'up' | 'restarting' | 'stopped';
export type BreakerState = 'closed' | 'open' | 'half-open';
/**
 * Why a processor ended: Electron's child-process-gone reasons, which the Node launcher maps
 * its exit onto (a signal, an exit code, V8's out-of-memory line, a spawn error).
 */
export type ProcessorExitReason =
  | 'clean-exit' | 'abnormal-exit' | 'killed' | 'crashed' | 'oom' | 'launch-failed' | 'integrity-failure' | 'memory-eviction';

export interface AppStatus {
  /** Auto-processing on: cycles on schedule and on file changes during the session. */
  running: boolean;
  intervalSeconds: number;
  dataDir: string;
  market: {
    phase: MarketPhase;
    exchange: string;
    zone: string;
    tradeDate: string;
    sessionLabel: string | null;
    nextOpen: string | null;
    nextClose: string | null;
  };
  lastRun: CycleReport | null;
  feed: {
    /** When Live last changed on disk (ISO UTC), as the watcher saw it. */
    lastChangeAt: string | null;
    ageSeconds: number | null;
    /** Older than the stale threshold while the market is open. */
    stale: boolean;
  };
  processor: {
    health: ProcessorHealth;
    restarts: number;
    lastCrashAt: string | null;
    /** One line: what happened and what follows, e.g. "The processor stopped unexpectedly: it ran out of memory (oom); restarting in 0.2 s". */
    lastCrash: string | null;
    /** Why the last processor ended, in Electron's words (child-process-gone) for both launchers. Absent before the first crash. */
    lastCrashReason?: ProcessorExitReason | null;
    /** Its last lines of output (stdout and stderr, at most 20 lines / 4 KB), kept with the crash. */
    lastCrashOutput?: string[];
    /** Where the processor's output is logged (rotated by size), when it is. */
    logFile?: string | null;
  };
  breaker: { state: BreakerState; consecutiveFailures: number; retryAt: string | null };
  /** The reason to show in the status bar, when something needs the trader's attention. */
  error: string | null;
  /** Cycles kept in the processor's journal because the database could not take them (locked, disk full, read-only). */
  journal: JournalState;
}

/** A row of the stock table: the symbol's latest quote of the day. */
export type StockRow = PricedSymbol;

export interface DaySummary {
  tradeDate: string;
  snapshots: number;
  firstPoll: string;
  lastPoll: string;
  advances: { open: number; high: number; low: number; last: number };
  declines: { open: number; high: number; low: number; last: number };
  adDiff: { open: number; high: number; low: number; last: number };
  adRatio: { open: number | null; high: number | null; low: number | null; last: number | null };
}

export interface Movers {
  gainers: StockRow[];
  losers: StockRow[];
}

export interface LiveBreadthApi {
  getStatus(): Promise<AppStatus>;
  start(): Promise<AppStatus>;
  stop(): Promise<AppStatus>;
  setInterval(seconds: number): Promise<AppStatus>;
  /** Runs a cycle now, at any hour. */
  processNow(): Promise<CycleReport>;
  getLatestSnapshot(tradeDate?: string): Promise<Snapshot | null>;
  /** A day's series in time order (default: the latest day with data): breadth figures only. */
  getSeries(tradeDate?: string): Promise<SeriesPoint[]>;
  getLatestStocks(tradeDate?: string): Promise<StockRow[]>;
  getMovers(tradeDate?: string, limit?: number): Promise<Movers>;
  getRuns(limit?: number, beforeId?: number): Promise<RunRecord[]>;
  getRunRejections(runId: number): Promise<RejectedRow[]>;
  getDays(): Promise<DaySummary[]>;
  getSettings(): Promise<Settings>;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  /**
   * Opens the system's folder picker (desktop app); null when cancelled or where there is no
   * picker (a browser), so the dashboard shows a path field instead.
   */
  chooseDataFolder(): Promise<string | null>;
  /** Adds the holidays in a CSV or JSON file (NSE's download, or a list of dates) to the exchange profile. */
  importHolidays(fileName: string, content: string): Promise<Settings>;

  // Background jobs (docs/jobs.md): run by the processor, one at a time, behind live cycles.
  // Progress is pushed as 'jobProgress' events; nothing needs polling.
  /** Queues a job; the kind checks its parameters (a bad one is refused in one line, nothing queued). */
  startJob(input: StartJobInput): Promise<JobRecord>;
  /** Every job, newest first. */
  listJobs(): Promise<JobRecord[]>;
  /** A job with its failed items and their reasons. */
  getJob(id: number): Promise<JobDetail>;
  /** Stops a queued, running or failed job before its next chunk; what was done stays. */
  cancelJob(id: number): Promise<JobRecord>;
  /** Runs a dead, failed, cancelled (or completed with failed items) job again; done items stay done. */
  retryJob(id: number): Promise<JobRecord>;
  /** Removes a completed, cancelled or dead job; a 'jobRemoved' event follows. */
  dismissJob(id: number): Promise<{ id: number }>;
  /** Counts by state, the running job, throughput and the dead-letter list. */
  getJobStats(): Promise<QueueStats>;
  /**
   * The daily breadth history in date order (docs/history-indicators.md), within the range when
   * given. The latest intraday day, while its bhavcopy is not imported yet, is its last point,
   * marked provisional.
   */
  getHistory(range?: HistoryRange): Promise<HistoryDay[]>;
}

/** Trade dates, both ends included; either may be left out. */
export interface HistoryRange {
  from?: string;
  to?: string;
}

export type ApiMethod = keyof LiveBreadthApi;

const tradeDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a trade date like 2026-11-20');
const optionalDate = z.tuple([tradeDate.optional()]);
const jobId = z.number().int().min(1);

/** The parameters stay unknown here: the job's kind validates them in the processor. */
export const startJobInputSchema = z.strictObject({
  kind: z.string().min(1, 'must name a job kind').max(64),
  params: z.unknown(),
  maxAttempts: z.number().int().min(1).max(20).optional(),
});

const historyRangeSchema = z
  .strictObject({ from: tradeDate.optional(), to: tradeDate.optional() })
  .refine((r) => r.from === undefined || r.to === undefined || r.from <= r.to, { message: 'from must not be after to', path: ['to'] });

/** Argument schemas for every method, as tuples. */
export const apiArgs: { [M in ApiMethod]: z.ZodType<Parameters<LiveBreadthApi[M]>> } = {
  getStatus: z.tuple([]),
  start: z.tuple([]),
  stop: z.tuple([]),
  setInterval: z.tuple([settingsSchema.shape.intervalSeconds]),
  processNow: z.tuple([]),
  getLatestSnapshot: optionalDate as z.ZodType<[string?]>,
  getSeries: optionalDate as z.ZodType<[string?]>,
  getLatestStocks: optionalDate as z.ZodType<[string?]>,
  getMovers: z.tuple([tradeDate.optional(), z.number().int().min(1).max(100).optional()]) as z.ZodType<[string?, number?]>,
  getRuns: z.tuple([z.number().int().min(1).max(1000).optional(), z.number().int().min(1).optional()]) as z.ZodType<[number?, number?]>,
  getRunRejections: z.tuple([z.number().int().min(1)]),
  getDays: z.tuple([]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([settingsPatchSchema]) as unknown as z.ZodType<[SettingsPatch]>,
  chooseDataFolder: z.tuple([]),
  importHolidays: z.tuple([z.string().min(1).max(260), z.string().max(1_000_000, 'must be under 1 MB')]),
  startJob: z.tuple([startJobInputSchema]) as z.ZodType<[StartJobInput]>,
  listJobs: z.tuple([]),
  getJob: z.tuple([jobId]),
  cancelJob: z.tuple([jobId]),
  retryJob: z.tuple([jobId]),
  dismissJob: z.tuple([jobId]),
  getJobStats: z.tuple([]),
  getHistory: z.tuple([historyRangeSchema.optional()]) as z.ZodType<[HistoryRange?]>,
};

export const API_METHODS = Object.keys(apiArgs) as ApiMethod[];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiArgs, name);
}

/** What is pushed to every dashboard. */
export interface ApiEvents {
  snapshot: Snapshot;
  status: AppStatus;
  runFinished: CycleReport;
  feedStale: { lastChangeAt: string | null; ageSeconds: number | null };
  error: { message: string };
  /** A job changed state (at once) or made progress (at most about four a second): the whole record. */
  jobProgress: JobRecord;
  /** A job was dismissed: gone from the list. */
  jobRemoved: { id: number };
}
export type ApiEventName = keyof ApiEvents;
export const API_EVENTS: ApiEventName[] = ['snapshot', 'status', 'runFinished', 'feedStale', 'error', 'jobProgress', 'jobRemoved'];

/** A refused call: bad input or a state that does not allow it. Carries a message for the UI. */
export interface ApiErrorShape {
  code: 'bad-input' | 'unknown-method' | 'forbidden' | 'failed';
  message: string;
}

/** A refused call as an Error: thrown at the boundary, and rebuilt from the wire by clients. */
export class ApiError extends Error implements ApiErrorShape {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorShape['code'],
    message: string,
  ) {
    super(message);
  }
  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message };
  }
}

export type { Coverage };
