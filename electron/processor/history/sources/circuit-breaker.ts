// The archive's circuit breaker: after 5 failed requests in a row it opens for 60 s, and while open
// every fetch fails at once without touching the network. When the time is up one request is let
// through as a trial; its success closes the breaker, its failure opens it for another 60 s.
// A 404 is an answer from a working server and counts as a success.
import { DateTime } from 'luxon';
import type { Clock } from '../../../core/clock/clock';

export interface BreakerOptions {
  /** Failures in a row that open it (default 5). */
  threshold?: number;
  /** How long it stays open (default 60 s). */
  openMs?: number;
}

export class CircuitBreaker {
  private readonly threshold: number;
  private readonly openMs: number;
  private failuresInRow = 0;
  private openUntilMs: number | null = null;
  private trialInFlight = false;
  private lastFailure = '';

  constructor(
    private readonly clock: Clock,
    options: BreakerOptions = {},
  ) {
    this.threshold = options.threshold ?? 5;
    this.openMs = options.openMs ?? 60_000;
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openUntilMs === null) return 'closed';
    return this.clock.now().getTime() < this.openUntilMs ? 'open' : 'half-open';
  }

  /**
   * null when a request may go now, else the one-line reason it may not (with when that ends, in
   * exchange time). Once open time is up, only one trial request is let through at a time.
   */
  refusal(what: string): string | null {
    if (this.openUntilMs === null) return null;
    const now = this.clock.now().getTime();
    if (now >= this.openUntilMs && !this.trialInFlight) {
      this.trialInFlight = true;
      return null;
    }
    // People read exchange time (IST), whatever zone the computer is in.
    const resumes = DateTime.fromMillis(Math.max(now, this.openUntilMs), { zone: 'Asia/Kolkata' }).toFormat('HH:mm:ss');
    return `${what} paused after ${this.failuresInRow} failed requests in a row (last: ${this.lastFailure}); it resumes at ${resumes} IST`;
  }

  success(): void {
    this.failuresInRow = 0;
    this.openUntilMs = null;
    this.trialInFlight = false;
  }

  failure(reason: string): void {
    this.failuresInRow++;
    this.lastFailure = reason;
    // A failed trial opens it again too: the count is not reset until a success.
    if (this.failuresInRow >= this.threshold) this.openUntilMs = this.clock.now().getTime() + this.openMs;
    this.trialInFlight = false;
  }

  /** A request that ended without an answer either way (the caller cancelled): frees the trial. */
  abandoned(): void {
    this.trialInFlight = false;
  }
}
