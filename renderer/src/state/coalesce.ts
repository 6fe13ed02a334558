// Re-reads asked for by pushed events, coalesced: at most one in flight, at most one more queued
// behind it, and no more often than every `minGapMs` (a job's progress arrives up to four times a
// second; the list it changes need not be read that often). Not a poll: nothing runs unless asked.

export interface Coalesced {
  /** Asks for a run: now when allowed, else once after the one in flight and the gap. */
  request(): void;
  /** Forgets a queued run and stops the timer (unmount). */
  cancel(): void;
}

export function coalesce(run: () => Promise<unknown>, minGapMs: number, clock: { now(): number; setTimeout(fn: () => void, ms: number): unknown; clearTimeout(t: unknown): void } = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
}): Coalesced {
  let running = false;
  let queued = false;
  let lastStart = -Infinity;
  let timer: unknown = null;
  let cancelled = false;

  const start = () => {
    timer = null;
    if (cancelled) return;
    queued = false;
    running = true;
    lastStart = clock.now();
    void run().catch(() => undefined).finally(() => {
      running = false;
      if (queued) schedule();
    });
  };

  const schedule = () => {
    if (running || timer !== null || cancelled) return;
    const wait = lastStart + minGapMs - clock.now();
    if (wait <= 0) start();
    else timer = clock.setTimeout(start, wait);
  };

  return {
    request() {
      queued = true;
      schedule();
    },
    cancel() {
      cancelled = true;
      queued = false;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}
