// Talking to the processor process: request/reply with ids over whichever channel launched it.
import type {
  ProcessorEvent,
  ProcessorMessage,
  ProcessorRequest,
  ProcessorResults,
} from '../../../shared/processor-protocol';
import { PendingRequests } from '../../../shared/pending-requests';
import { OutputTail, type OutputLine } from './output-tail';
import { describeExit, nodeExitReason, type ProcessorExit } from './processor-exit';

/**
 * A launched processor, whatever launched it: Electron's utilityProcess in the app, a Node
 * child process under the headless host and in tests. Both fit this shape.
 */
export interface ProcessorHandle {
  readonly pid: number | undefined;
  postMessage(message: ProcessorRequest): void;
  /** Returns a function that removes the listener. */
  onMessage(listener: (message: ProcessorMessage) => void): () => void;
  /**
   * Once the process is gone and its output read to the end. `code` is null when a signal ended
   * it; `exit` says why (both launchers give it; a stand-in in a test may not). Returns a function
   * that removes the listener.
   */
  onExit(listener: (code: number | null, exit?: ProcessorExit) => void): () => void;
  /** Its stdout and stderr, line by line as written. Absent on a stand-in with no output. */
  onOutput?(listener: (line: OutputLine) => void): () => void;
  /** Where its output is logged, when it is (see processor-log.ts). */
  readonly logFile?: string | null;
  /** Ends the process at once (SIGKILL): also one that is stuck or stopped. */
  kill(): void;
}

export type ProcessorLauncher = () => ProcessorHandle;

type RequestBody = ProcessorRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class ProcessorExitedError extends Error {
  override readonly name = 'ProcessorExitedError';
}

export class ProcessorClient {
  private readonly pending = new PendingRequests();
  private readonly eventListeners = new Set<(event: ProcessorEvent) => void>();
  private readonly tail = new OutputTail();
  private ended: ProcessorExit | null = null;
  readonly ready: Promise<void>;

  constructor(private readonly handle: ProcessorHandle) {
    let markReady!: () => void;
    let failReady!: (e: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    this.ready.catch(() => undefined);
    const offMessage = handle.onMessage((message) => {
      if (message.type === 'reply') {
        if (message.ok) this.pending.resolve(message.id, message.result);
        else this.pending.reject(message.id, new Error(message.error));
        return;
      }
      if (message.type === 'ready') markReady();
      for (const listener of this.eventListeners) listener(message);
    });
    const offOutput = handle.onOutput?.((line) => this.tail.push(line));
    // Added first, so it runs before every listener onExit adds (an emitter calls its listeners
    // in the order they were added): they see the requests rejected and the exit described.
    const offExit = handle.onExit((code, exit) => {
      this.ended = exit ?? { code, signal: null, reason: code === null ? 'killed' : nodeExitReason({ code, signal: null, sawOutOfMemory: this.tail.sawOutOfMemory }) };
      const error = new ProcessorExitedError(`The processor ${this.exitDescription}`);
      failReady(error);
      this.pending.rejectAll(error);
      // The process is gone: nothing more to hear from it, so nothing stays attached to it.
      offMessage();
      offOutput?.();
      offExit();
    });
  }

  get pid(): number | undefined {
    return this.handle.pid;
  }

  get isAlive(): boolean {
    return this.ended === null;
  }

  /** How the process ended, or null while it runs. */
  get exit(): ProcessorExit | null {
    return this.ended;
  }

  /** How the process ended, for a sentence about it: "was killed by SIGKILL (killed)", "ran out of memory (oom)". */
  get exitDescription(): string {
    return this.ended ? describeExit(this.ended) : 'is running';
  }

  /** Its last lines of output (at most 20 lines / 4 KB). */
  get outputTail(): string[] {
    return this.tail.lines();
  }

  /** The last line of its output that says why it failed ("FATAL ERROR: …", "Error: …"), or null. */
  get telltale(): string | null {
    return this.tail.telltale;
  }

  get logFile(): string | null {
    return this.handle.logFile ?? null;
  }

  /**
   * Called once the process has exited, after pending requests were rejected (at once when it
   * already has). The listener is the handle's own, so a launcher can see what is attached;
   * call the returned function when done waiting.
   */
  onExit(listener: (code: number | null, exit: ProcessorExit) => void): () => void {
    if (this.ended) {
      const ended = this.ended;
      queueMicrotask(() => listener(ended.code, ended));
      return () => undefined;
    }
    return this.handle.onExit(() => listener(this.ended!.code, this.ended!));
  }

  onEvent(listener: (event: ProcessorEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  request<T extends RequestBody>(body: T): Promise<ProcessorResults[T['type']]> {
    if (this.ended) return Promise.reject(new ProcessorExitedError('The processor is not running'));
    return this.pending.open((id) => this.handle.postMessage({ ...body, id } as ProcessorRequest));
  }

  kill(): void {
    this.handle.kill();
  }
}
