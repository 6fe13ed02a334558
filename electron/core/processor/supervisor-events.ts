// What the supervisor tells its owner (health, crashes, logs, job progress) and the health
// figures the status bar reads.
import type { ProcessorExitReason, ProcessorHealth } from '../../../shared/api';
import type { JobRecord } from '../../../shared/jobs';
import type { JobRequest } from '../../../shared/processor-protocol';

export interface SupervisorEvents {
  health: [ProcessorHealthInfo];
  crash: [{ message: string; restartInMs: number }];
  log: [{ level: 'info' | 'warn' | 'error'; message: string }];
  /** A job changed state or made progress (the processor throttles these to about four a second). */
  jobProgress: [JobRecord];
}

/** A job request as sent, without its id. */
export type JobRequestBody = JobRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface ProcessorHealthInfo {
  health: ProcessorHealth;
  restarts: number;
  lastCrashAt: string | null;
  lastCrash: string | null;
  /** Why the processor that crashed last ended ('oom', 'crashed', 'killed', …). */
  lastCrashReason: ProcessorExitReason | null;
  /** Its last lines of output. */
  lastCrashOutput: string[];
  /** Where the processors' output is logged, when it is. */
  logFile: string | null;
}

/** A job request the processor did not answer in time: busy or stuck, not a refusal. */
export class JobRequestTimeoutError extends Error {
  override readonly name = 'JobRequestTimeoutError';
}
