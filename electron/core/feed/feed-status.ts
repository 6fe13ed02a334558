// How fresh the feed is, from when Live last changed: a pure function, shared by the stale
// timer and the status so both always agree.
import type { AppStatus } from '../../../shared/api';

export interface FeedInputs {
  now: Date;
  /** When Live last changed on disk; null if it has not been seen. */
  lastChange: Date | null;
  staleAfterSeconds: number;
  /** Whether the session is open now: a closed market's feed is never stale. */
  open: boolean;
}

export function feedStatus({ now, lastChange, staleAfterSeconds, open }: FeedInputs): AppStatus['feed'] {
  const ageMs = lastChange ? Math.max(0, now.getTime() - lastChange.getTime()) : null;
  return {
    lastChangeAt: lastChange?.toISOString() ?? null,
    ageSeconds: ageMs === null ? null : Math.round(ageMs / 1000),
    // Compared unrounded: the stale timer fires at the threshold, and must find it reached.
    stale: open && (ageMs === null || ageMs >= staleAfterSeconds * 1000),
  };
}
