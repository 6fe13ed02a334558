// clock/: time for the core. Everything in core that reads the time or sets a timer takes a
// Clock, so the scheduler, the feed monitor, the watcher and the supervisor can run on
// simulated time (tests; the bench's off-market weekend) as well as on the system's.
// May import nothing of ours.

export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
