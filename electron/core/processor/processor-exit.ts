// Why a processor ended, told the same way whichever launcher ran it: Electron reports a reason
// (child-process-gone), a Node child process only an exit code or a signal and its stderr.
import type { ProcessorExitReason } from '../../../shared/api';

export type { ProcessorExitReason };

export interface ProcessorExit {
  /** The exit code; null when a signal ended it or it never started. */
  code: number | null;
  /** The signal that ended it (Node launcher, POSIX), e.g. 'SIGKILL'. */
  signal: string | null;
  reason: ProcessorExitReason;
  /** A launch failure's own words, e.g. "spawn /usr/bin/node ENOENT". */
  detail?: string;
}

/** Signals a process sends itself, or the kernel sends it, when it breaks. */
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP', 'SIGSYS']);

/** Node's abort() on Windows exits 134 (128 + SIGABRT), as a shell reports an abort on POSIX. */
const ABORT_EXIT_CODE = 134;

/** V8 running out of heap: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory" and kin. */
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Allocation failed - process out of memory|Fatal process out of memory|Ineffective mark-compacts near heap limit/i;

export function isOutOfMemoryLine(line: string): boolean {
  return OUT_OF_MEMORY.test(line);
}

export interface NodeExitFacts {
  code: number | null;
  signal: string | null;
  /** The child process could not be spawned (its 'error' event before it had a pid). */
  spawnError?: Error | null;
  /** V8's out-of-memory line was seen on its output. */
  sawOutOfMemory?: boolean;
}

/** A Node child process's end in Electron's vocabulary. */
export function nodeExitReason({ code, signal, spawnError, sawOutOfMemory }: NodeExitFacts): ProcessorExitReason {
  if (spawnError) return 'launch-failed';
  // V8 aborts the process on an out-of-memory; the line on stderr is what tells it from another abort.
  if (sawOutOfMemory && code !== 0) return 'oom';
  if (signal !== null) return CRASH_SIGNALS.has(signal) ? 'crashed' : 'killed';
  if (code === ABORT_EXIT_CODE) return 'crashed';
  return code === 0 ? 'clean-exit' : 'abnormal-exit';
}

/**
 * Electron's reason, corrected by what only the output or V8 tells: a utility process that ran
 * out of heap is reported as 'crashed' by Chromium, but V8's fatal error names the heap.
 */
export function utilityExitReason(gone: ProcessorExitReason | null, code: number, sawOutOfMemory: boolean): ProcessorExitReason {
  if (sawOutOfMemory && gone !== 'killed' && gone !== 'launch-failed' && gone !== 'integrity-failure') return 'oom';
  if (gone) return gone;
  return code === 0 ? 'clean-exit' : 'abnormal-exit';
}

/** What happened, for a sentence about the processor: "ran out of memory (oom)", "was killed by SIGKILL (killed)". */
export function describeExit(exit: ProcessorExit): string {
  const by = exit.signal ? ` by ${exit.signal}` : '';
  switch (exit.reason) {
    case 'oom':
      return 'ran out of memory (oom)';
    case 'crashed':
      return `crashed${exit.signal ? ` with ${exit.signal}` : exit.code ? ` with code ${exit.code}` : ''} (crashed)`;
    case 'killed':
      return `was killed${by} (killed)`;
    case 'launch-failed':
      return `could not be launched${exit.detail ? `: ${exit.detail}` : ''} (launch-failed)`;
    case 'abnormal-exit':
      return `exited with code ${exit.code ?? '?'} (abnormal-exit)`;
    case 'integrity-failure':
      return 'failed a code integrity check (integrity-failure)';
    case 'memory-eviction':
      return 'was ended by the system to free memory (memory-eviction)';
    case 'clean-exit':
      return `exited${exit.code ? ` with code ${exit.code}` : ''} (clean-exit)`;
  }
}
