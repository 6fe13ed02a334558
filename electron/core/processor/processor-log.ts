// The processor's output, kept in <userData>/logs/processor.log: every line it writes to stdout
// or stderr, stamped with the UTC time and its pid, plus a line when it starts and ends. Written
// by the parent from the piped output through a stream (never a synchronous write in a cycle's
// way), rotated by size by rotating-file-stream: processor.log, processor.log.1 … .N.
import path from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { systemClock, type Clock } from '../clock/clock';
import type { OutputStream } from './output-tail';
import type { ProcessorHandle, ProcessorLauncher } from './processor-client';
import { describeExit } from './processor-exit';

export const PROCESSOR_LOG_FILE = 'processor.log';

export interface ProcessorLogOptions {
  /** The folder for the log files (created when missing). */
  dir: string;
  /** A file is rotated once it passes this size (default 5 MB). */
  maxBytes?: number;
  /** Rotated files kept besides the current one (default 5). */
  keep?: number;
  /** Stamps each line (default: the system's). */
  clock?: Clock;
  /** The log cannot be written (disk full, no permission): called once, then lines are dropped. */
  onProblem?: (message: string) => void;
}

/** Lines waiting for the disk past this are dropped (and counted): memory stays bounded. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export class ProcessorLog {
  readonly file: string;
  private readonly stream: RotatingFileStream;
  private readonly clock: Clock;
  private broken = false;
  private dropped = 0;

  constructor(private readonly options: ProcessorLogOptions) {
    this.file = path.join(options.dir, PROCESSOR_LOG_FILE);
    this.clock = options.clock ?? systemClock;
    this.stream = createStream(PROCESSOR_LOG_FILE, {
      path: options.dir,
      size: `${Math.max(1, Math.round((options.maxBytes ?? 5 * 1024 * 1024) / 1024))}K`,
      rotate: options.keep ?? 5,
    });
    this.stream.on('error', (error) => {
      if (this.broken) return;
      this.broken = true;
      options.onProblem?.(`The processor's log ${this.file} cannot be written: ${error.message.split('\n', 1)[0]}`);
    });
  }

  /** One line, stamped "2026-01-23T04:00:00.000Z [pid 1234] stderr: …". */
  write(pid: number | undefined, source: OutputStream | 'parent', text: string): void {
    if (this.broken) return;
    if (this.stream.writableLength > MAX_BUFFERED_BYTES) {
      this.dropped++;
      return;
    }
    const at = this.clock.now().toISOString();
    if (this.dropped > 0) {
      this.stream.write(`${at} [parent] ${this.dropped} lines dropped: the disk was slower than the processor's output\n`);
      this.dropped = 0;
    }
    this.stream.write(`${at} [pid ${pid ?? '?'}] ${source}: ${text}\n`);
  }

  /** Flushes what is buffered and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.writableEnded) return resolve();
      this.stream.end(() => resolve());
    });
  }
}

/**
 * A launcher whose processors' output goes to `log`, with a line when each starts and how it
 * ended; the handles say where the log is (for the status and the notification).
 */
export function withOutputLog(launch: ProcessorLauncher, log: ProcessorLog): ProcessorLauncher {
  return () => {
    const handle = launch();
    log.write(handle.pid, 'parent', 'processor launched');
    const offOutput = handle.onOutput?.((line) => log.write(handle.pid, line.stream, line.text));
    const offExit = handle.onExit((code, exit) => {
      log.write(handle.pid, 'parent', `processor ${exit ? describeExit(exit) : `exited (code ${code})`}`);
      offOutput?.();
      offExit();
    });
    const logged: ProcessorHandle = {
      get pid() {
        return handle.pid;
      },
      postMessage: (message) => handle.postMessage(message),
      onMessage: (listener) => handle.onMessage(listener),
      onExit: (listener) => handle.onExit(listener),
      onOutput: handle.onOutput && ((listener) => handle.onOutput!(listener)),
      logFile: log.file,
      kill: () => handle.kill(),
    };
    return logged;
  };
}
