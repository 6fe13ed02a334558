// jobs/: the processor's persistent job queue. One job runs at a time, oldest first; its items
// are prepared outside the processor's serial queue and applied inside it one item (one chunk)
// at a time, so a live cycle waits for at most one chunk. State lives in SQLite (schema.ts), so a
// job survives a crash and resumes where it stopped. Used by service.ts; see docs/jobs.md.
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../core/clock/clock';
import type { JobDetail, JobRecord, QueueStats, StartJobInput } from '../../../shared/jobs';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
import { isJobFatal, type JobContext, type JobHandler } from './handler';
import { JobStore } from './job-store';
import { etaSeconds, ProgressThrottle, RateWindow } from './progress';
import type { JobRegistry } from './registry';

/** Runs `fn` in the processor's serial queue, after whatever is queued before it. */
export type Exclusive = <T>(fn: () => T) => Promise<T>;

export interface JobRunnerOptions {
  /** The writer connection, with the job tables. */
  db: Database.Database;
  kinds: JobRegistry;
  exclusive: Exclusive;
  /** Every state change at once; progress at most every progressIntervalMs. */
  onProgress: (job: JobRecord) => void;
  onLog?: (level: 'warn' | 'error', message: string) => void;
  clock?: Clock;
  /** For the backoff's jitter; [0, 1). */
  random?: () => number;
  backoff?: BackoffPolicy;
  progressIntervalMs?: number;
  /** Processor starts that find the job still running with no item finished since the last, before the attempt counts as failed. */
  maxCrashes?: number;
  /** How long each chunk held the queue, in ms (its apply, the item's mark and the commit): for the measurement. */
  onChunk?: (ms: number) => void;
}

export const DEFAULT_MAX_ATTEMPTS = 3;
const MAX_ATTEMPTS_LIMIT = 20;
const DEFAULT_MAX_CRASHES = 3;
const FAILURES_SHOWN = 500;

/** The attempt in hand: what cancel and stop reach. */
interface Attempt {
  readonly id: number;
  readonly controller: AbortController;
  cancelled: boolean;
  currentItem: string | null;
}

class AttemptGone extends Error {}

type ItemState = 'done' | 'failed';

/** What became of each planned item in this attempt, with running counts (a job may have many items). */
class ItemStates {
  done = 0;
  failed = 0;
  private readonly states = new Map<string, ItemState>();

  get(item: string): ItemState | undefined {
    return this.states.get(item);
  }

  /** Sets (or, with undefined, forgets) an item's state; returns what it was. */
  set(item: string, state: ItemState | undefined): ItemState | undefined {
    const before = this.states.get(item);
    if (before) this[before]--;
    if (state) {
      this[state]++;
      this.states.set(item, state);
    } else {
      this.states.delete(item);
    }
    return before;
  }

  counts(): { done: number; failed: number } {
    return { done: this.done, failed: this.failed };
  }
}

/** One line from any error; zod's issues as "field: message". */
export function describeError(error: unknown): string {
  const issues = (error as { issues?: Array<{ path?: PropertyKey[]; message?: string }> } | null)?.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    return issues.map((issue) => `${issue.path?.length ? `${issue.path.map(String).join('.')}: ` : ''}${issue.message ?? 'invalid'}`).join('; ');
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim() || 'unknown error';
}

/** Settles with `promise`, or rejects at once when `signal` aborts: a handler that ignores the signal cannot hold a cancel. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new AttemptGone());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AttemptGone());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export class JobRunner {
  private readonly store: JobStore;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly throttle: ProgressThrottle;
  private readonly rate = new RateWindow();
  private current: Attempt | null = null;
  private stopped = false;
  private driving = false;
  private kickWanted = false;
  private wakeTimer: unknown = null;

  constructor(private readonly options: JobRunnerOptions) {
    this.store = new JobStore(options.db);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.throttle = new ProgressThrottle(this.clock, options.onProgress, options.progressIntervalMs);
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  // ── requests (each runs inside the processor's queue) ───────────────────────────────────

  /**
   * At processor start: a job found running without a clean stop was cut off by a crash; it
   * resumes, unless the processor has now gone down maxCrashes times with it and no item
   * finished in between (the job itself is the likely cause), which fails the attempt.
   */
  open(): void {
    for (const job of this.store.inState('running')) {
      const book = this.store.bookkeeping(job.id)!;
      if (book.paused) {
        this.store.update(job.id, { paused: false }, this.nowIso());
        continue;
      }
      const crashes = book.crashes + 1;
      if (crashes >= (this.options.maxCrashes ?? DEFAULT_MAX_CRASHES)) {
        this.failAttempt(job.id, `The processor stopped ${crashes} times during this job without finishing an item`);
      } else {
        this.store.update(job.id, { crashes }, this.nowIso());
      }
    }
    this.kick();
  }

  start(input: StartJobInput): JobRecord {
    const handler = this.options.kinds.get(input.kind);
    if (!handler) {
      const known = this.options.kinds.kinds();
      throw new Error(`Unknown job kind "${input.kind}"${known.length ? ` (this processor runs ${known.join(', ')})` : ''}`);
    }
    const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
      throw new Error(`maxAttempts must be a whole number from 1 to ${MAX_ATTEMPTS_LIMIT}`);
    }
    try {
      handler.parse(input.params);
    } catch (error) {
      throw new Error(`Bad parameters for a ${input.kind} job: ${describeError(error)}`);
    }
    const job = this.store.insert(input.kind, input.params, maxAttempts, this.nowIso());
    this.throttle.now(job);
    this.kick();
    return job;
  }

  list(): JobRecord[] {
    return this.store.list().map((job) => this.decorate(job));
  }

  get(id: number): JobRecord | null {
    const job = this.store.get(id);
    return job && this.decorate(job);
  }

  detail(id: number): JobDetail {
    return { job: this.require(id), failures: this.store.failures(id, FAILURES_SHOWN) };
  }

  /** Stops a queued, failed (waiting to retry) or running job; items done stay done. */
  cancel(id: number): JobRecord {
    const job = this.require(id);
    if (job.state === 'cancelled') return job;
    if (job.state !== 'queued' && job.state !== 'running' && job.state !== 'failed') {
      throw new Error(`Job ${id} is ${job.state}; only a queued, running or failed job can be cancelled`);
    }
    // Written here, inside the queue: no chunk of this job can be applying now, and every later
    // one checks `cancelled` before it touches the database.
    if (this.current?.id === id) {
      this.current.cancelled = true;
      this.current.controller.abort();
    }
    const cancelled = this.store.update(id, {
      state: 'cancelled', finishedAt: this.nowIso(), nextAttemptAt: null, itemsPerSecond: null, etaSeconds: null, paused: false,
    }, this.nowIso());
    this.throttle.now(cancelled);
    this.kick();
    return cancelled;
  }

  /** Dead, failed, cancelled (or completed with failed items) → queued, attempts from 0; done items stay done. */
  retry(id: number): JobRecord {
    const job = this.require(id);
    const retryable = job.state === 'dead' || job.state === 'failed' || job.state === 'cancelled' || (job.state === 'completed' && job.progress.failed > 0);
    if (!retryable) {
      throw new Error(`Job ${id} is ${job.state}${job.state === 'completed' ? ' with nothing failed' : ''}; only a dead, failed or cancelled job can be retried`);
    }
    const queued = this.store.update(id, {
      state: 'queued', attempts: 0, nextAttemptAt: null, lastError: null, finishedAt: null, result: null,
      itemsPerSecond: null, etaSeconds: null, crashes: 0, paused: false,
    }, this.nowIso());
    this.throttle.now(queued);
    this.kick();
    return queued;
  }

  /** Removes a finished job (completed, cancelled, dead) and its items from the list. */
  dismiss(id: number): { id: number } {
    const job = this.require(id);
    if (job.state !== 'completed' && job.state !== 'cancelled' && job.state !== 'dead') {
      throw new Error(`Job ${id} is ${job.state}; cancel it before dismissing it`);
    }
    this.store.remove(id);
    return { id };
  }

  stats(): QueueStats {
    const since = new Date(this.clock.now().getTime() - 60_000).toISOString();
    const running = this.store.inState('running')[0] ?? null;
    return {
      byState: this.store.countsByState(),
      running: running && this.decorate(running),
      throughput: Math.round((this.store.itemsSince(since) / 60) * 100) / 100,
      dead: this.store.inState('dead'),
    };
  }

  /**
   * The processor is stopping (inside the queue, so no chunk is applying): the job in hand is
   * left running and marked paused, so the next start resumes it without counting a crash.
   */
  stop(): void {
    this.stopped = true;
    if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    this.throttle.drop();
    this.current?.controller.abort();
    // Also a job claimed whose attempt has not begun yet: one at most.
    for (const job of this.store.inState('running')) {
      this.store.update(job.id, { paused: true, itemsPerSecond: null, etaSeconds: null }, this.nowIso());
    }
  }

  // ── the drive loop ──────────────────────────────────────────────────────────────────────

  private require(id: number): JobRecord {
    const job = this.get(id);
    if (!job) throw new Error(`There is no job ${id}`);
    return job;
  }

  /** The item in hand comes from memory: the table holds what is stored, not what is under way. */
  private decorate(job: JobRecord): JobRecord {
    const attempt = this.current;
    if (!attempt || attempt.id !== job.id || job.state !== 'running' || attempt.currentItem === null) return job;
    return { ...job, progress: { ...job.progress, currentItem: attempt.currentItem } };
  }

  private kick(): void {
    if (this.stopped) return;
    this.kickWanted = true;
    if (this.driving) return;
    this.driving = true;
    void this.drive()
      .catch((error: unknown) => {
        if (!this.stopped) this.options.onLog?.('error', `The job queue stopped on an error: ${describeError(error)}`);
      })
      .finally(() => {
        this.driving = false;
        // A start or retry that came while the last look found nothing.
        if (this.kickWanted) this.kick();
      });
  }

  private async drive(): Promise<void> {
    while (this.kickWanted && !this.stopped) {
      this.kickWanted = false;
      const job = await this.options.exclusive(() => this.claim());
      if (!job) return;
      await this.runAttempt(job);
      this.kickWanted = true; // on to the next job
    }
  }

  /** Inside the queue: the next job due, marked running; or null, with a wake-up set for the soonest retry. */
  private claim(): JobRecord | null {
    if (this.stopped) return null;
    if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    const job = this.store.nextDue(this.nowIso());
    if (!job) {
      const soonest = this.store.soonestRetry();
      if (soonest) {
        const delay = Math.max(0, Date.parse(soonest) - this.clock.now().getTime());
        this.wakeTimer = this.clock.setTimeout(() => {
          this.wakeTimer = null;
          this.kick();
        }, delay);
      }
      return null;
    }
    const resuming = job.state === 'running';
    const running = this.store.update(job.id, {
      state: 'running',
      attempts: resuming ? job.attempts : job.attempts + 1,
      startedAt: job.startedAt ?? this.nowIso(),
      nextAttemptAt: null,
      itemsPerSecond: null,
      etaSeconds: null,
      paused: false,
    }, this.nowIso());
    this.throttle.now(running);
    return running;
  }

  private async runAttempt(job: JobRecord): Promise<void> {
    const attempt: Attempt = { id: job.id, controller: new AbortController(), cancelled: false, currentItem: null };
    this.current = attempt;
    this.rate.clear();
    const live = () => !this.stopped && !attempt.cancelled;
    try {
      await this.options.kinds.ensure(job.kind);
      const handler = this.options.kinds.get(job.kind);
      if (!handler) {
        // A job written by another build of the app: no attempt can succeed here.
        await this.options.exclusive(() => live() && this.failAttempt(job.id, `This processor has no job kind "${job.kind}"`, { retry: false }));
        return;
      }
      let params: unknown;
      try {
        params = handler.parse(job.params);
      } catch (error) {
        await this.options.exclusive(() => live() && this.failAttempt(job.id, `Bad parameters for a ${job.kind} job: ${describeError(error)}`, { retry: false }));
        return;
      }
      const ctx: JobContext = { jobId: job.id, signal: attempt.controller.signal, params, db: this.options.db };
      const planned = [...new Set(await abortable(handler.plan(params, ctx), ctx.signal))];
      const outcome = await this.options.exclusive(() => (live() ? this.beginItems(job.id, planned) : null));
      if (!outcome) return;
      const { todo, states } = outcome;
      for (const item of todo) {
        // A turn of the event loop between chunks: a request that came in over IPC (a cycle) or
        // a timer gets in before the next chunk, even when prepare has nothing to wait for.
        await nextTurn();
        if (!live()) return;
        attempt.currentItem = item;
        let prepared: unknown;
        try {
          prepared = await abortable(handler.prepare(item, params, ctx), ctx.signal);
        } catch (error) {
          if (!live() || error instanceof AttemptGone || isJobFatal(error)) throw error;
          await this.options.exclusive(() => live() && this.recordFailure(job.id, item, describeError(error), states, planned.length));
          continue;
        }
        const fatal = await this.options.exclusive(() => {
          if (!live()) return null;
          const startedAt = performance.now();
          const outcome = this.applyItem(handler, item, prepared, params, ctx, states, planned.length);
          this.options.onChunk?.(performance.now() - startedAt);
          return outcome;
        });
        if (fatal) throw fatal;
      }
      attempt.currentItem = null;
      await this.options.exclusive(() => live() && this.complete(job.id, handler, params, ctx, states, planned.length));
    } catch (error) {
      if (!live()) return; // cancelled or stopping: the state is already written
      await this.options.exclusive(() => live() && this.failAttempt(job.id, describeError(error)));
    } finally {
      if (this.current === attempt) this.current = null;
    }
  }

  /** Inside the queue: the plan recorded, and the items still to do (done ones skipped). */
  private beginItems(id: number, planned: string[]): { todo: string[]; states: ItemStates } {
    const stored = this.store.itemStates(id);
    const states = new ItemStates();
    for (const item of planned) states.set(item, stored.get(item));
    const record = this.store.update(id, { total: planned.length, ...states.counts() }, this.nowIso());
    this.throttle.progress(this.decorate(record));
    return { todo: planned.filter((item) => states.get(item) !== 'done'), states };
  }

  /** The pace and the job's counts after an item, for the same transaction as the item. */
  private progressPatch(states: ItemStates, total: number) {
    const nowMs = this.clock.now().getTime();
    this.rate.add(nowMs);
    const counts = states.counts();
    const perSecond = this.rate.perSecond(nowMs);
    return {
      ...counts,
      itemsPerSecond: perSecond === null ? null : Math.round(perSecond * 100) / 100,
      etaSeconds: etaSeconds(total - counts.done - counts.failed, perSecond),
      crashes: 0,
    };
  }

  /**
   * Inside the queue, the one chunk: the handler's writes and the item's done mark commit
   * together, so a crash leaves an item either wholly applied and marked or not at all. An
   * error fails the item (its writes rolled back); a JobFatalError is returned to end the attempt.
   */
  private applyItem(
    handler: JobHandler, item: string, prepared: unknown, params: unknown, ctx: JobContext,
    states: ItemStates, total: number,
  ): Error | null {
    const before = states.get(item);
    try {
      this.options.db.transaction(() => {
        handler.apply(item, prepared, params, ctx);
        const now = this.nowIso();
        this.store.markItem(ctx.jobId, item, 'done', null, now);
        states.set(item, 'done');
        const record = this.store.update(ctx.jobId, this.progressPatch(states, total), now);
        this.throttle.progress(this.decorate(record));
      })();
      return null;
    } catch (error) {
      states.set(item, before);
      if (isJobFatal(error)) return error as Error;
      this.recordFailure(ctx.jobId, item, describeError(error), states, total);
      return null;
    }
  }

  private recordFailure(id: number, item: string, reason: string, states: ItemStates, total: number): void {
    this.options.db.transaction(() => {
      const now = this.nowIso();
      this.store.markItem(id, item, 'failed', reason, now);
      states.set(item, 'failed');
      const record = this.store.update(id, this.progressPatch(states, total), now);
      this.throttle.progress(this.decorate(record));
    })();
  }

  /** Inside the queue: finish and the completed state commit together. */
  private complete(id: number, handler: JobHandler, params: unknown, ctx: JobContext, states: ItemStates, total: number): void {
    const completed = this.options.db.transaction(() => {
      const result = handler.finish(params, ctx);
      const now = this.nowIso();
      return this.store.update(id, {
        state: 'completed', ...states.counts(), total, result: result ?? null, finishedAt: now,
        itemsPerSecond: null, etaSeconds: null, crashes: 0,
      }, now);
    })();
    this.throttle.now(completed);
  }

  /** Inside the queue: the attempt failed as a whole; retry later with backoff, or dead. */
  private failAttempt(id: number, message: string, options: { retry: boolean } = { retry: true }): true {
    const job = this.store.get(id)!;
    const now = this.clock.now();
    const patch = { lastError: message, itemsPerSecond: null, etaSeconds: null, crashes: 0, paused: false };
    let next: JobRecord;
    if (!options.retry || job.attempts >= job.maxAttempts) {
      next = this.store.update(id, { ...patch, state: 'dead', nextAttemptAt: null, finishedAt: now.toISOString() }, now.toISOString());
    } else {
      const delay = retryDelayMs(job.attempts, this.options.backoff ?? DEFAULT_BACKOFF, this.random);
      next = this.store.update(id, { ...patch, state: 'failed', nextAttemptAt: new Date(now.getTime() + delay).toISOString() }, now.toISOString());
    }
    this.throttle.now(next);
    return true;
  }
}
