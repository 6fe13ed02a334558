// How the desktop app ends, whatever asks: Quit ('before-quit'), the system shutting down or
// rebooting (powerMonitor 'shutdown', Linux and macOS) or the Windows session ending (a window's
// 'session-end': Electron emits no before-quit then). The first trigger runs one bounded shutdown;
// the others join it. Electron objects come in as parameters, so this is tested under Node.
import type { Event, WindowSessionEndEvent } from 'electron';

/**
 * The longest the app takes to end. The core's own stop is bounded at ~3 s (the running cycle
 * finishes or its processor is killed); 5 s is also what systemd-logind grants a delay lock by
 * default (InhibitDelayMaxSec) and about what Windows waits before it ends a process itself.
 */
export const QUIT_BOUND_MS = 5_000;

export interface ShutdownSteps {
  /** Let the running cycle finish, close the database, stop the processor. */
  shutdownCore(): Promise<void>;
  /** Past the bound: kill the processor now. */
  abandonCore(): void;
  /** Native parts to remove before exiting (the tray icon: Windows leaves a ghost one). */
  release(): void;
  /** app.exit: ends at once, without emitting before-quit again. */
  exit(code: number): void;
  boundMs?: number;
}

export interface AppShutdown {
  /** Starts the shutdown, or returns the one already running. */
  run(): Promise<void>;
  readonly started: boolean;
}

export function boundedShutdown(steps: ShutdownSteps): AppShutdown {
  const boundMs = steps.boundMs ?? QUIT_BOUND_MS;
  let running: Promise<void> | null = null;
  const shutDown = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), boundMs)));
    // A core that fails to stop still lets the app exit, as one that stops.
    const stopped = Promise.resolve().then(() => steps.shutdownCore()).then(() => 'stopped' as const, () => 'stopped' as const);
    const outcome = await Promise.race([stopped, late]);
    clearTimeout(timer);
    try {
      if (outcome === 'late') steps.abandonCore();
      steps.release();
    } finally {
      steps.exit(outcome === 'late' ? 1 : 0);
    }
  };
  return {
    run: () => (running ??= shutDown()),
    get started() {
      return running !== null;
    },
  };
}

/** Electron's app and powerMonitor, as far as quitting uses them. */
export interface QuitTriggers {
  app: { on(event: 'before-quit', listener: (event: Event) => void): unknown };
  // Electron passes the event (ShouldShutdown emits one) though its typings declare no argument.
  powerMonitor: { on(event: 'shutdown', listener: (event?: Event) => void): unknown };
}

/** Quit and the system shutting down (Linux, macOS) run `shutdown`. */
export function quitOnAppOrSystemEnd(triggers: QuitTriggers, shutdown: AppShutdown): void {
  triggers.app.on('before-quit', (event) => {
    // Always: a second Quit while the core stops must not cut the stop short (it is bounded).
    event.preventDefault();
    void shutdown.run();
  });
  triggers.powerMonitor.on('shutdown', (event) => {
    // Delays the system's shutdown (a logind delay lock on Linux) until we exit.
    event?.preventDefault();
    void shutdown.run();
  });
}

/** Windows ending the session (shutdown, restart, log-off): each window we create hears it. */
export function quitOnSessionEnd(
  window: { on(event: 'session-end', listener: (event: WindowSessionEndEvent) => void): unknown },
  shutdown: AppShutdown,
): void {
  window.on('session-end', () => void shutdown.run());
}
