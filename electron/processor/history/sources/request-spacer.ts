// The archive's rate limit: requests start at least 1/rate seconds apart, in the order asked,
// on the injected clock. A library was considered (docs/history-sources.md, "Rate limit"):
// bottleneck and p-throttle read Date.now() and set their own timers, so tests and the bench
// could not drive them with simulated time; this is the few lines they would have replaced.
import type { Clock } from '../../../core/clock/clock';
import { throwIfAborted } from './source';

export class RequestSpacer {
  private readonly intervalMs: number;
  /** When the next request may start, in wall-clock ms; -Infinity before the first. */
  private nextStartMs = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    requestsPerSecond: number,
    private readonly clock: Clock,
  ) {
    if (!(requestsPerSecond > 0)) throw new Error(`The rate limit must be above 0 requests per second (got ${requestsPerSecond})`);
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Resolves when this request may start; rejects with the signal's reason if cancelled first. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.wait(signal));
    this.queue = turn.catch(() => undefined); // a cancelled turn does not hold up the next
    return turn;
  }

  private wait(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    const now = this.clock.now().getTime();
    // Clamped: a wall clock set back (or jumping) never makes a request wait more than one interval.
    const delay = Math.min(Math.max(0, this.nextStartMs - now), this.intervalMs);
    if (delay === 0) {
      this.nextStartMs = now + this.intervalMs;
      return Promise.resolve();
    }
    return sleep(this.clock, delay, signal).then(() => {
      this.nextStartMs = this.clock.now().getTime() + this.intervalMs;
    });
  }
}

/** A wait on the injected clock that a signal can cut short (rejecting with its reason). */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal!.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
