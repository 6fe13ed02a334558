// What supervising a processor needs besides the supervisor itself: its options and their
// defaults, its errors, waits bounded on the injected clock, and one-line reasons in seconds.
import type { ProcessorSettings } from '../../../shared/processor-protocol';
import type { Settings } from '../../../shared/settings';
import type { Clock } from '../clock/clock';
import type { ProcessorClient, ProcessorLauncher } from './processor-client';

export interface SupervisorOptions {
  launch: ProcessorLauncher;
  settings: () => ProcessorSettings;
  /** Deadlines, the restart backoff and crash times run on it (default: the system's). */
  clock?: Clock;
  /** Waits before restart attempts 1, 2, 3…; the last repeats. */
  backoffMs?: readonly number[];
  /** How long a graceful stop (the running cycle finishing, the database closing) may take before the processor is killed. */
  shutdownTimeoutMs?: number;
  /**
   * A cycle taking longer is taken as stuck (a hostile workbook pinning the CPU, a frozen
   * process): the processor is killed and restarted.
   */
  cycleTimeoutMs?: number;
  /** The same for a start (launch, migrations, journal replay) or a reconfigure. */
  startTimeoutMs?: number;
}

/** What the processor is told of the settings. `retryDelaysMs`: re-reads of a file that looked mid-save. */
export function processorSettingsOf(s: Settings, dbPath: string, retryDelaysMs: number[] = [50, 100, 200, 400]): ProcessorSettings {
  return {
    dataDir: s.dataDir,
    liveFileName: s.liveFileName,
    historicalFileName: s.historicalFileName,
    dbPath,
    exchangeZone: s.exchange.zone,
    exchange: s.exchange,
    retryDelaysMs,
  };
}

export const DEFAULT_BACKOFF_MS = [200, 1_000, 5_000, 15_000, 30_000];
export const DEFAULT_CYCLE_TIMEOUT_MS = 20_000;
export const DEFAULT_START_TIMEOUT_MS = 30_000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 3_000;

/** The processor could not be started or configured; the message is one line for the user. */
export class ProcessorStartError extends Error {
  override readonly name = 'ProcessorStartError';
}

/** The cycle was lost with its processor (it died, or was killed as stuck): nothing was stored. */
export class CycleLostError extends Error {
  override readonly name = 'CycleLostError';
  constructor(message: string, readonly startedAt: string, readonly durationMs: number) {
    super(message);
  }
}

/** A bounded wait ran out. */
export class DeadlineError extends Error {}

/** `promise`, or a DeadlineError once `ms` have passed on `clock`. */
export function within<T>(promise: Promise<T>, ms: number, clock: Clock): Promise<T> {
  let timer: unknown = null;
  const deadline = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new DeadlineError()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clock.clearTimeout(timer));
}

/** The process's exit as a promise, and the means to stop listening for it. */
export function exitOf(client: ProcessorClient): { exited: Promise<void>; stopWaiting: () => void } {
  let stopWaiting: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => {
    stopWaiting = client.onExit(() => resolve());
  });
  return { exited, stopWaiting };
}

/** 20000 → "20", 1500 → "1.5". */
export function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** The longest piece of the processor's output quoted in a one-line message. */
const QUOTE_CHARS = 160;

/**
 * One line for a processor that died on its own: what happened, when the next one starts, and
 * the line of its output that says why, when there is one ("FATAL ERROR: …", "Error: …"). The
 * last lines themselves are kept beside it (healthInfo.lastCrashOutput), not in it.
 */
export function crashMessage(client: Pick<ProcessorClient, 'exitDescription' | 'telltale'>, restartIn: string): string {
  const said = client.telltale;
  const quote = said === null ? '' : `; last output: ${said.length > QUOTE_CHARS ? `${said.slice(0, QUOTE_CHARS - 1)}…` : said}`;
  return `The processor stopped unexpectedly: it ${client.exitDescription}; restarting in ${restartIn} s${quote}`;
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!.trim() || 'unknown error';
}
