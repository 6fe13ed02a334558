// The processor protocol: typed requests with ids from main to the processor process, replies
// and events back. The same messages travel over Electron's utilityProcess port and over a
// Node child process's IPC channel.
import type { ExchangeProfile } from './calendar/profile';
import type { RejectedRow, RunStatus, RunTrigger, Snapshot } from './domain';
import type { JobDetail, JobProgressEvent, JobRecord, QueueStats, StartJobInput } from './jobs';

export interface ProcessorSettings {
  dataDir: string;
  liveFileName: string;
  historicalFileName: string;
  dbPath: string;
  exchangeZone: string;
  /** The exchange calendar, so a history import never asks for a weekend or a holiday. */
  exchange?: ExchangeProfile;
  /** Waits before re-reading a file that looked mid-save (locked, missing, truncated). */
  retryDelaysMs: number[];
}

export type ProcessorRequest =
  | { id: number; type: 'configure'; settings: ProcessorSettings }
  | { id: number; type: 'runCycle'; trigger: RunTrigger }
  | { id: number; type: 'stats' }
  | { id: number; type: 'shutdown' }
  | RecordFailedRunRequest
  | JobRequest;

/**
 * The job queue (electron/processor/jobs, docs/jobs.md). Each answers at once: starting a job
 * queues it, cancelling one stops it before its next chunk. Progress comes as 'jobProgress' events.
 */
export type JobRequest =
  | ({ id: number; type: 'startJob' } & StartJobInput)
  | { id: number; type: 'listJobs' }
  | { id: number; type: 'getJob'; jobId: number }
  | { id: number; type: 'cancelJob'; jobId: number }
  | { id: number; type: 'retryJob'; jobId: number }
  | { id: number; type: 'dismissJob'; jobId: number }
  | { id: number; type: 'jobStats' };

/**
 * Supervision (core/processor/supervisor.ts): a cycle whose processor died or was killed mid-cycle (a
 * crash, a stall past the cycle deadline) left no row in the run log, because the process that
 * would have written it is gone. Once a new processor is configured, the supervisor sends one
 * of these per lost cycle; the processor stores a run with status 'failed', no snapshot, the
 * given trigger, start time, trade date and message, and replies with the new run's id. Best effort: an error reply is logged, not retried.
 */
export interface RecordFailedRunRequest {
  id: number;
  type: 'recordFailedRun';
  trigger: RunTrigger;
  /** When the lost cycle was sent, ISO UTC. */
  startedAt: string;
  /** The exchange-local date of startedAt. */
  tradeDate: string;
  /** How long the supervisor waited before it knew the cycle was lost. */
  durationMs: number;
  /** One line for the run log, e.g. "Cycle interrupted: the processor stopped (exit code 1)". */
  message: string;
}

export type ProcessorRequestType = ProcessorRequest['type'];

/** What a cycle reports back: enough for the status bar, the run log and the dashboard. */
export interface CycleReport {
  runId: number;
  status: RunStatus;
  trigger: RunTrigger;
  message: string | null;
  startedAt: string;
  durationMs: number;
  snapshot: Snapshot | null;
  rejectedCount: number;
  /** The first rejected rows, for a quick look; the run log keeps more. */
  rejectedSample: RejectedRow[];
  ticksStored: number;
  /** Writes waiting for the database (it was locked, full or read-only); absent from reports made outside the processor. */
  journal?: JournalState;
}

/** The processor's journal of writes the database could not take yet. */
export interface JournalState {
  pending: number;
  /** The bound is reached: cycles fail until the database takes the waiting writes. */
  full: boolean;
}

/** A database file that could not be used at start, moved aside for a fresh one. */
export interface StoreRecovery {
  movedTo: string;
  reason: string;
}

/** The processor's own resource figures, for the benchmark and diagnostics. */
export interface ProcessorStats {
  pid: number;
  rssBytes: number;
  /** Peak resident set size since the process started. */
  maxRssBytes: number;
  heapUsedBytes: number;
  /** What V8 has reserved for its heap, used or not: the part of RSS the JS side controls. */
  heapTotalBytes: number;
  /** Memory outside the V8 heap held by JS objects (Buffers, ArrayBuffers). */
  externalBytes: number;
  cpuUserMicros: number;
  cpuSystemMicros: number;
  /** The Node and V8 options the process was started with (its launcher's PROCESSOR_V8_FLAGS). */
  execArgv: string[];
}

export interface ProcessorResults {
  configure: { schemaVersion: number; recovered?: StoreRecovery | null; journal?: JournalState };
  runCycle: CycleReport;
  stats: ProcessorStats;
  shutdown: { ok: true };
  recordFailedRun: { runId: number };
  startJob: JobRecord;
  /** Newest first. */
  listJobs: JobRecord[];
  getJob: JobDetail;
  cancelJob: JobRecord;
  retryJob: JobRecord;
  dismissJob: { id: number };
  jobStats: QueueStats;
}

export type ProcessorReply =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

export type ProcessorEvent =
  | { type: 'ready'; pid: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** A job changed state (sent at once) or made progress (at most about four a second). */
  | { type: 'jobProgress'; job: JobProgressEvent };

export type ProcessorMessage = ProcessorReply | ProcessorEvent;
