// The circuit breaker: after repeated failed cycles, automatic cycles pause for a while and then
// try once (half-open); a success closes it. Manual "process now" always runs.
import type { BreakerState } from '../../../shared/api';

export interface BreakerOptions {
  failureThreshold: number;
  pauseMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 5, pauseMs: 60_000 };

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(private readonly options: BreakerOptions = DEFAULT_BREAKER) {}

  state(nowMs: number): BreakerState {
    if (this.openedAt === null) return 'closed';
    return nowMs - this.openedAt >= this.options.pauseMs ? 'half-open' : 'open';
  }

  /** May an automatic cycle run now? In half-open, exactly one trial at a time. */
  allows(nowMs: number): boolean {
    const state = this.state(nowMs);
    if (state === 'closed') return true;
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  /** Returns true when this failure opened (or re-opened) the breaker. */
  recordFailure(nowMs: number): boolean {
    this.failures++;
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    if (wasTrial || (this.openedAt === null && this.failures >= this.options.failureThreshold)) {
      this.openedAt = nowMs; // a failed trial waits a full pause again
      return true;
    }
    return false;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  retryAt(nowMs: number): number | null {
    return this.state(nowMs) === 'open' ? this.openedAt! + this.options.pauseMs : null;
  }
}
