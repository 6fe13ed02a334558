// A job's pace and how often it is told: the rate over its recent items, and a throttle that
// lets progress out at most every intervalMs (the latest wins) but a state change at once.
import type { Clock } from '../../core/clock/clock';
import type { JobRecord } from '../../../shared/jobs';

/** Items per second over the last `size` items within `windowMs`: recent pace, not the whole run's average. */
export class RateWindow {
  private readonly times: number[] = [];

  constructor(private readonly size = 50, private readonly windowMs = 30_000) {}

  add(atMs: number): void {
    this.times.push(atMs);
    if (this.times.length > this.size) this.times.shift();
  }

  clear(): void {
    this.times.length = 0;
  }

  /** null until two items lie inside the window at different times. */
  perSecond(nowMs: number): number | null {
    const recent = this.times.filter((t) => nowMs - t <= this.windowMs);
    if (recent.length < 2) return null;
    const span = recent[recent.length - 1]! - recent[0]!;
    return span > 0 ? ((recent.length - 1) * 1000) / span : null;
  }
}

/** Seconds left at `perSecond`, whole; null when there is no pace to go by. */
export function etaSeconds(remaining: number, perSecond: number | null): number | null {
  if (perSecond === null || perSecond <= 0) return null;
  return Math.ceil(remaining / perSecond);
}

export const DEFAULT_PROGRESS_INTERVAL_MS = 250;

export class ProgressThrottle {
  private lastAt = Number.NEGATIVE_INFINITY;
  private pending: JobRecord | null = null;
  private timer: unknown = null;

  constructor(
    private readonly clock: Clock,
    private readonly emit: (job: JobRecord) => void,
    private readonly intervalMs = DEFAULT_PROGRESS_INTERVAL_MS,
  ) {}

  /** A state change: out now, and whatever progress was waiting is older, so it is dropped. */
  now(job: JobRecord): void {
    this.drop();
    this.send(job);
  }

  /** Progress: out now if the last event is old enough, else the latest waits for the next slot. */
  progress(job: JobRecord): void {
    const since = this.clock.now().getTime() - this.lastAt;
    if (since >= this.intervalMs && this.timer === null) {
      this.send(job);
      return;
    }
    this.pending = job;
    if (this.timer === null) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        const job = this.pending;
        this.pending = null;
        if (job) this.send(job);
      }, this.intervalMs - since);
    }
  }

  /** Forgets what waits (the processor is stopping). */
  drop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private send(job: JobRecord): void {
    this.lastAt = this.clock.now().getTime();
    this.emit(job);
  }
}
