// The processor as an Electron utilityProcess, as a ProcessorHandle: its piped output as lines,
// and its end told with Electron's reason. Electron says why a child died only in the app-wide
// 'child-process-gone' event (no pid in it; matched by the service name), which may come before
// or after the process's own 'exit'; this waits a moment for both. Written against the parts of
// Electron's UtilityProcess and app it uses, so it runs and is tested under Node; the thin
// launcher in electron/main hands it the real ones.
import { systemClock, type Clock } from '../clock/clock';
import type { ProcessorMessage, ProcessorRequest } from '../../../shared/processor-protocol';
import { LineSplitter, type OutputLine, type OutputStream } from './output-tail';
import type { ProcessorHandle } from './processor-client';
import { isOutOfMemoryLine, utilityExitReason, type ProcessorExit, type ProcessorExitReason } from './processor-exit';

/** What this uses of Electron's UtilityProcess (utilityProcess.fork's result). */
export interface UtilityChild {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'error', listener: (type: 'FatalError', location: string, report: string) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Electron's child-process-gone details (see electron.d.ts, `Details`). */
export interface GoneDetails {
  type: string;
  reason: string;
  exitCode: number;
  /** Chromium's service name (for a utilityProcess: node.mojom.NodeService). */
  serviceName?: string;
  /** The name given to utilityProcess.fork as `serviceName`. */
  name?: string;
}

/** What this uses of Electron's app. */
export interface GoneSource {
  on(event: 'child-process-gone', listener: (event: unknown, details: GoneDetails) => void): unknown;
  off(event: 'child-process-gone', listener: (event: unknown, details: GoneDetails) => void): unknown;
}

export interface UtilityHandleOptions {
  /** The name it was forked with: how its child-process-gone is told from other processes'. */
  serviceName: string;
  /** How long after the first sign of its end to wait for the others (default 500 ms). */
  graceMs?: number;
  clock?: Clock;
  /** Whether a pid is still a running process (a gone event while ours runs is not ours). */
  isRunning?: (pid: number) => boolean;
  /** Ends a pid at once (default: SIGKILL). */
  killPid?: (pid: number) => void;
}

const REASONS: readonly ProcessorExitReason[] = ['clean-exit', 'abnormal-exit', 'killed', 'crashed', 'oom', 'launch-failed', 'integrity-failure', 'memory-eviction'];

/** Electron's reason as ours; one a later Electron adds reads as an abnormal exit. */
export function goneReason(details: GoneDetails): ProcessorExitReason {
  return (REASONS as readonly string[]).includes(details.reason) ? (details.reason as ProcessorExitReason) : 'abnormal-exit';
}

/** Whether a child-process-gone event is about a utility process forked as `serviceName`. */
export function isGoneOf(details: GoneDetails, serviceName: string): boolean {
  return details.type === 'Utility' && (details.name === serviceName || details.serviceName === serviceName);
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function utilityProcessorHandle(child: UtilityChild, app: GoneSource, options: UtilityHandleOptions): ProcessorHandle {
  const clock = options.clock ?? systemClock;
  const graceMs = options.graceMs ?? 500;
  const isRunning = options.isRunning ?? pidRuns;
  const outputListeners = new Set<(line: OutputLine) => void>();
  const exitListeners = new Set<(code: number | null, exit: ProcessorExit) => void>();
  let sawOutOfMemory = false;
  let exitCode: number | null = null;
  let gone: GoneDetails | null = null;
  let openStreams = 0;
  let graceTimer: unknown = null;
  let ended: ProcessorExit | null = null;

  const hear = (stream: OutputStream, text: string) => {
    if (isOutOfMemoryLine(text)) sawOutOfMemory = true;
    for (const listener of outputListeners) listener({ stream, text });
  };
  for (const [stream, readable] of [['stdout', child.stdout], ['stderr', child.stderr]] as const) {
    if (!readable) continue;
    openStreams++;
    const lines = new LineSplitter();
    // Always read, listeners or not: a full pipe would block the processor's next write.
    readable.on('data', (chunk: Buffer | string) => lines.push(chunk).forEach((text) => hear(stream, text)));
    readable.on('end', () => {
      lines.end().forEach((text) => hear(stream, text));
      openStreams--;
      settle();
    });
  }
  // V8's fatal errors (out of memory among them) come as an 'error' event before the exit.
  child.on('error', (_type, location) => hear('stderr', `V8 fatal error: ${location}`));

  const onGone = (_event: unknown, details: GoneDetails) => {
    if (ended || !isGoneOf(details, options.serviceName)) return;
    // No pid in the event: while ours still runs, it is about another (an earlier one's late report).
    if (exitCode === null && child.pid !== undefined && isRunning(child.pid)) return;
    gone = details;
    settle();
  };
  app.on('child-process-gone', onGone);
  child.on('exit', (code) => {
    exitCode = code;
    settle();
  });

  function settle(): void {
    if (ended || (exitCode === null && gone === null)) return;
    // All there: the exit, Electron's reason (none comes for a clean exit) and the output to its end.
    const complete = exitCode !== null && (gone !== null || exitCode === 0) && openStreams === 0;
    if (!complete) {
      graceTimer ??= clock.setTimeout(finish, graceMs);
      return;
    }
    finish();
  }

  function finish(): void {
    if (ended) return;
    clock.clearTimeout(graceTimer);
    app.off('child-process-gone', onGone);
    const code = exitCode ?? gone?.exitCode ?? null;
    const reason = utilityExitReason(gone ? goneReason(gone) : null, code ?? -1, sawOutOfMemory);
    ended = { code, signal: null, reason, ...(reason === 'launch-failed' && gone ? { detail: `error ${gone.exitCode}` } : {}) };
    const exit = ended;
    for (const listener of [...exitListeners]) listener(exit.code, exit);
  }

  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message: ProcessorRequest) => {
      if (ended || exitCode !== null) return;
      try {
        child.postMessage(message);
      } catch {
        // Died an instant ago: the exit follows, rejects the request and restarts it.
      }
    },
    onMessage: (listener) => {
      const forward = (message: unknown) => listener(message as ProcessorMessage);
      child.on('message', forward);
      return () => child.off('message', forward);
    },
    onExit: (listener) => {
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
    onOutput: (listener) => {
      outputListeners.add(listener);
      return () => outputListeners.delete(listener);
    },
    kill: () => {
      // utilityProcess.kill() sends SIGTERM, which a stuck or SIGSTOPped processor never acts
      // on; SIGKILL by pid ends it like the Node launcher's child.kill('SIGKILL').
      if (ended || exitCode !== null) return;
      if (child.pid !== undefined) {
        try {
          (options.killPid ?? ((pid) => process.kill(pid, 'SIGKILL')))(child.pid);
          return;
        } catch {
          // already gone, or not ours to signal: fall back to Electron's own kill
        }
      }
      child.kill();
    },
  };
}
