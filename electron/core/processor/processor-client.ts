// Talking to the processor process: request/reply with ids over whichever channel launched it.
import type {
  ProcessorEvent,
  ProcessorMessage,
  ProcessorRequest,
  ProcessorResults,
} from '../../../shared/processor-protocol';
import { PendingRequests } from '../../../shared/pending-requests';

/**
 * A launched processor, whatever launched it: Electron's utilityProcess in the app, a Node
 * child process under the headless host and in tests. Both fit this shape.
 */
export interface ProcessorHandle {
  readonly pid: number | undefined;
  postMessage(message: ProcessorRequest): void;
  /** Returns a function that removes the listener. */
  onMessage(listener: (message: ProcessorMessage) => void): () => void;
  /** `code` is null when a signal ended the process. Returns a function that removes the listener. */
  onExit(listener: (code: number | null) => void): () => void;
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
  private exited = false;
  private exitCode: number | null = null;
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
    // Added first, so it runs before every listener onExit adds (an emitter calls its listeners
    // in the order they were added): they see the requests rejected and the exit described.
    const offExit = handle.onExit((code) => {
      this.exited = true;
      this.exitCode = code;
      const error = new ProcessorExitedError(`The processor exited (${this.exitDescription})`);
      failReady(error);
      this.pending.rejectAll(error);
      // The process is gone: nothing more to hear from it, so nothing stays attached to it.
      offMessage();
      offExit();
    });
  }

  get pid(): number | undefined {
    return this.handle.pid;
  }

  get isAlive(): boolean {
    return !this.exited;
  }

  /** How the process ended, for a message: "exit code 1", "killed by a signal". */
  get exitDescription(): string {
    if (!this.exited) return 'running';
    return this.exitCode === null ? 'killed by a signal' : `exit code ${this.exitCode}`;
  }

  /**
   * Called once the process has exited, after pending requests were rejected (at once when it
   * already has). The listener is the handle's own, so a launcher can see what is attached;
   * call the returned function when done waiting.
   */
  onExit(listener: (code: number | null) => void): () => void {
    if (this.exited) {
      queueMicrotask(() => listener(this.exitCode));
      return () => undefined;
    }
    return this.handle.onExit(() => listener(this.exitCode));
  }

  onEvent(listener: (event: ProcessorEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  request<T extends RequestBody>(body: T): Promise<ProcessorResults[T['type']]> {
    if (this.exited) return Promise.reject(new ProcessorExitedError('The processor is not running'));
    return this.pending.open((id) => this.handle.postMessage({ ...body, id } as ProcessorRequest));
  }

  kill(): void {
    this.handle.kill();
  }
}
