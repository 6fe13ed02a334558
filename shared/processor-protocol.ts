// The processor protocol: typed requests with ids from main to the processor process, replies
// and events back. The same messages travel over Electron's utilityProcess port and over a
// Node child process's IPC channel.
import type { RejectedRow, RunStatus, RunTrigger, Snapshot } from './domain';

export interface ProcessorSettings {
  dataDir: string;
  liveFileName: string;
  historicalFileName: string;
  dbPath: string;
  exchangeZone: string;
  /** Waits before re-reading a file that looked mid-save (locked, missing, truncated). */
  retryDelaysMs: number[];
}

export type ProcessorRequest =
  | { id: number; type: 'configure'; settings: ProcessorSettings }
  | { id: number; type: 'runCycle'; trigger: RunTrigger }
  | { id: number; type: 'stats' }
  | { id: number; type: 'shutdown' };

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
}

export type ProcessorReply =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

export type ProcessorEvent =
  | { type: 'ready'; pid: number }
  | { type: 'cycle'; report: CycleReport }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export type ProcessorMessage = ProcessorReply | ProcessorEvent;
