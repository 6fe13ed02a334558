// How long to wait before retrying a request: what the server's Retry-After asks for when it sends
// one (seconds, or an HTTP date), else exponential backoff with jitter, so that many clients
// retrying after the same outage do not come back in step.

export interface BackoffOptions {
  /** The first retry's wait before jitter (default 1 s); doubled for each further retry. */
  baseMs?: number;
  /** The longest wait before jitter (default 30 s). */
  capMs?: number;
}

/**
 * The wait before retry number `retry` (1 for the first): min(cap, base × 2^(retry−1)), of which
 * a random half is kept ("equal jitter": never less than half the step, never more than it).
 */
export function backoffMs(retry: number, random: () => number, options: BackoffOptions = {}): number {
  const step = Math.min(options.capMs ?? 30_000, (options.baseMs ?? 1000) * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null if absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/[a-z]/i.test(value)) return null; // Date.parse would read bare numbers like "1.5" as a year
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
