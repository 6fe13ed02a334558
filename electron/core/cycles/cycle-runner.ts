// cycles/: when and how cycles run. The scheduler says when an automatic cycle is due; the
// runner runs cycles one at a time, at most one automatic cycle waiting behind the running one,
// pauses automatic cycles through the breaker after repeated failures, and turns a cycle the
// processor did not complete into a failed report. May import shared/, clock/ and the
// processor room's errors; it runs cycles through the function it is given.
import type { BreakerState } from '../../../shared/api';
import type { RunTrigger } from '../../../shared/domain';
import type { CycleReport } from '../../../shared/processor-protocol';
import type { Clock } from '../clock/clock';
import { CycleLostError } from '../processor/supervision';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerOptions } from './breaker';
import type { CycleTrigger } from './scheduler';

/**
 * The report of a cycle the processor did not complete. Lost with its processor (it died, or
 * was killed as stuck): nothing was stored, the supervisor has the restarted processor write
 * the run-log row. Otherwise the processor answered with an error (the database is locked…) or
 * could not start: "Cycle failed: <reason>".
 */
export function failedCycleReport(trigger: RunTrigger, error: unknown, now: Date): CycleReport {
  const lost = error instanceof CycleLostError ? error : null;
  return {
    runId: 0, status: 'failed', trigger,
    message: lost ? lost.message : `Cycle failed: ${(error as Error).message ?? String(error)}`,
    startedAt: lost?.startedAt ?? now.toISOString(), durationMs: lost?.durationMs ?? 0,
    snapshot: null, rejectedCount: 0, rejectedSample: [], ticksStored: 0,
  };
}

/** The breaker as the status shows it; `retryAt` in epoch ms while it is open. */
export interface BreakerReading {
  state: BreakerState;
  consecutiveFailures: number;
  retryAt: number | null;
}

export interface CycleRunnerOptions {
  clock: Clock;
  breaker?: BreakerOptions;
  /** Runs one cycle in the processor; a rejection becomes a failed report. */
  run: (trigger: RunTrigger) => Promise<CycleReport>;
  /** Every cycle that ran, in order, failed or not. */
  onFinished: (report: CycleReport) => void;
  /** This failure paused automatic cycles: one line for the user. Called before onFinished. */
  onPaused: (message: string) => void;
}

export class CycleRunner {
  private readonly breaker: CircuitBreaker;
  /** Cycles run one at a time, in the order asked. */
  private chain: Promise<unknown> = Promise.resolve();
  private queuedAutomatic: Promise<CycleReport | null> | null = null;
  private closed = false;
  private last: CycleReport | null = null;

  constructor(private readonly options: CycleRunnerOptions) {
    this.breaker = new CircuitBreaker(options.breaker ?? DEFAULT_BREAKER);
  }

  get lastRun(): CycleReport | null {
    return this.last;
  }

  breakerAt(now: Date): BreakerReading {
    const ms = now.getTime();
    return { state: this.breaker.state(ms), consecutiveFailures: this.breaker.consecutiveFailures, retryAt: this.breaker.retryAt(ms) };
  }

  /**
   * A cycle the schedule or a save asks for. It waits behind the running one; if one is already
   * waiting, that one stands for both (it reads the newest file anyway). Null when it did not
   * run: the breaker is pausing automatic cycles, or the core is closing.
   */
  requestAutomatic(trigger: CycleTrigger): Promise<CycleReport | null> {
    if (this.queuedAutomatic) return this.queuedAutomatic;
    const queued = this.enqueue(() => {
      this.queuedAutomatic = null;
      if (this.closed || !this.breaker.allows(this.options.clock.now().getTime())) return Promise.resolve(null);
      return this.execute(trigger);
    });
    this.queuedAutomatic = queued;
    return queued;
  }

  /** "Process now": behind the running cycle, at any hour; the breaker does not apply. */
  runNow(): Promise<CycleReport> {
    return this.enqueue(() => this.execute('manual'));
  }

  /** No automatic cycle starts from now on; those waiting end without running. */
  close(): void {
    this.closed = true;
  }

  /** Resolves when every cycle asked for so far has ended. */
  async idle(): Promise<void> {
    await this.chain;
  }

  private enqueue<T>(step: () => Promise<T>): Promise<T> {
    const run = this.chain.then(step);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async execute(trigger: RunTrigger): Promise<CycleReport> {
    let report: CycleReport;
    try {
      report = await this.options.run(trigger);
    } catch (error) {
      report = failedCycleReport(trigger, error, this.options.clock.now());
    }
    if (report.status !== 'failed') {
      this.breaker.recordSuccess();
    } else if (this.breaker.recordFailure(this.options.clock.now().getTime())) {
      this.options.onPaused(`${this.breaker.consecutiveFailures} cycles failed in a row; automatic cycles pause for a minute. Last: ${report.message}`);
    }
    this.last = report;
    this.options.onFinished(report);
    return report;
  }
}
