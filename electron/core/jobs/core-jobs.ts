// jobs/ (in core): the background jobs as the API offers them. The queue itself lives in the
// processor (electron/processor/jobs, docs/jobs.md); this room forwards the API's job calls to it
// through the supervisor and re-emits its progress events for the dashboards. May import
// shared/ and core/processor/.
import { ApiError } from '../../../shared/api';
import type { JobDetail, JobRecord, QueueStats, StartJobInput } from '../../../shared/jobs';
import type { Settings } from '../../../shared/settings';
import type { Clock } from '../clock/clock';
import { ProcessorExitedError } from '../processor/processor-client';
import { ProcessorStartError } from '../processor/supervision';
import { JobRequestTimeoutError, type JobRequestBody, type ProcessorSupervisor } from '../processor/supervisor';
import { AfterCloseImport } from './after-close-import';

/** Where the job events go: the core's emitter, as API events. */
export interface JobEventSink {
  jobProgress(job: JobRecord): void;
  jobRemoved(removed: { id: number }): void;
  /** A job the app starts by itself could not start (one line). */
  problem(message: string): void;
}

export interface CoreJobsOptions {
  clock: Clock;
  settings: () => Pick<Settings, 'exchange' | 'history'>;
}

/**
 * The processor answered and said no (an unknown kind, bad parameters, no such job, a state that
 * does not allow it): the caller's request, in one line. Anything else (no processor, no answer
 * in time) is the app's trouble: 'failed'.
 */
function asApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof ProcessorExitedError || error instanceof ProcessorStartError || error instanceof JobRequestTimeoutError) {
    return new ApiError('failed', error.message);
  }
  return new ApiError('bad-input', (error as Error).message);
}

export class CoreJobs {
  /** The day's own import after the close, when the settings ask for it. */
  private readonly afterClose: AfterCloseImport;

  constructor(
    private readonly supervisor: Pick<ProcessorSupervisor, 'jobRequest' | 'on'>,
    private readonly sink: JobEventSink,
    options: CoreJobsOptions,
  ) {
    // Already at most ~4 a second per job (the processor throttles): passed on as they come.
    supervisor.on('jobProgress', (job) => sink.jobProgress(job));
    this.afterClose = new AfterCloseImport({ ...options, jobs: this, onProblem: (message) => sink.problem(message) });
  }

  /** Starts (and stops) planning the jobs the app queues by itself; re-plans after a sleep or clock jump. */
  startPlanning(): void {
    this.afterClose.start();
  }

  stopPlanning(): void {
    this.afterClose.stop();
  }

  replan(): void {
    this.afterClose.replan();
  }

  private async ask<T extends JobRequestBody>(body: T) {
    try {
      return await this.supervisor.jobRequest(body);
    } catch (error) {
      throw asApiError(error);
    }
  }

  start(input: StartJobInput): Promise<JobRecord> {
    return this.ask({ type: 'startJob', kind: input.kind, params: input.params, maxAttempts: input.maxAttempts });
  }

  list(): Promise<JobRecord[]> {
    return this.ask({ type: 'listJobs' });
  }

  detail(id: number): Promise<JobDetail> {
    return this.ask({ type: 'getJob', jobId: id });
  }

  cancel(id: number): Promise<JobRecord> {
    return this.ask({ type: 'cancelJob', jobId: id });
  }

  retry(id: number): Promise<JobRecord> {
    return this.ask({ type: 'retryJob', jobId: id });
  }

  /** The processor sends no event for a dismissed job: the dashboards hear it from here. */
  async dismiss(id: number): Promise<{ id: number }> {
    const removed = await this.ask({ type: 'dismissJob', jobId: id });
    this.sink.jobRemoved(removed);
    return removed;
  }

  stats(): Promise<QueueStats> {
    return this.ask({ type: 'jobStats' });
  }
}
