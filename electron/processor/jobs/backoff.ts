// How long a job that failed as a whole waits before its next attempt: exponential, capped,
// with "equal jitter" (half the delay fixed, half random), so jobs that failed together on one
// outage do not all come back at the same instant, yet none comes back at once.
// (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015.)

export interface BackoffPolicy {
  /** The wait after the first failed attempt, before jitter. */
  baseMs: number;
  /** No wait is longer than this, before jitter. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 15 * 60_000 };

/** The wait after failed attempt `attempt` (1-based); `random` in [0, 1). */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
