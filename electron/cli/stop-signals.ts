// Stopping `serve` and `demo`: SIGINT (Ctrl+C) or SIGTERM (a service manager, the system shutting
// down), heard from start-up until the stop is complete. The first signal asks for a graceful
// stop; a second one, or a stop still under way FORCED_EXIT_MS after the first, kills the
// processor and exits at once in one line: a stop never hangs, not even during start-up.

/** A graceful stop takes about 3 s at most (the core's bound); past this the process ends anyway. */
export const FORCED_EXIT_MS = 10_000;

export const FORCED_EXIT_LINE = 'breadth: stopped at once; the running cycle was abandoned';
export const FORCED_EXIT_DURING_START_LINE = 'breadth: stopped at once during start-up';

export interface StopSignals {
  /** Resolves on the first SIGINT or SIGTERM. */
  readonly requested: Promise<NodeJS.Signals>;
  /** A signal has come (during start-up, say). */
  readonly isRequested: boolean;
  /** What a forced exit ends first (the core's processor); set as soon as the core exists. */
  onForce(abandon: () => void): void;
  /** Start-up is over: a forced exit from now on abandons the running cycle. */
  started(): void;
  /** The stop is complete: stop listening and disarm the watchdog. */
  dispose(): void;
}

/** Listens from this call on: call it before anything starts. */
export function listenForStop(): StopSignals {
  let signalled: NodeJS.Signals | null = null;
  let resolveRequested!: (signal: NodeJS.Signals) => void;
  const requested = new Promise<NodeJS.Signals>((resolve) => (resolveRequested = resolve));
  let abandon: () => void = () => undefined;
  let starting = true;
  let watchdog: NodeJS.Timeout | null = null;

  const force = () => {
    try {
      abandon(); // SIGKILL: a frozen processor must not outlive us, nor hold the database
    } finally {
      process.stderr.write(`${starting ? FORCED_EXIT_DURING_START_LINE : FORCED_EXIT_LINE}\n`);
      process.exit(1);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return force();
    signalled = signal;
    watchdog = setTimeout(force, FORCED_EXIT_MS);
    watchdog.unref(); // a stop that completes exits at once, without waiting for it
    resolveRequested(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  return {
    requested,
    get isRequested() {
      return signalled !== null;
    },
    onForce: (fn) => {
      abandon = fn;
    },
    started: () => {
      starting = false;
    },
    dispose: () => {
      if (watchdog) clearTimeout(watchdog);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
