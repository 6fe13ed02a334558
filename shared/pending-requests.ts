// Request/reply over a message channel: each request gets an id, its reply settles the promise
// waiting for it, and a lost channel rejects all that still wait. The processor client and the
// WebSocket client both talk this way.

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class PendingRequests {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();

  /** A new id and the promise its reply settles; `send` posts the request carrying that id. */
  open<T>(send: (id: number) => void): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        send(id);
      } catch (error) {
        this.waiting.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  resolve(id: number | null, value: unknown): void {
    this.take(id)?.resolve(value);
  }

  reject(id: number | null, error: Error): void {
    this.take(id)?.reject(error);
  }

  /** The channel is gone: every request still waiting fails with this error. */
  rejectAll(error: Error): void {
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiter of waiters) waiter.reject(error);
  }

  get size(): number {
    return this.waiting.size;
  }

  /** A reply to an unknown id (late, or already failed) is ignored. */
  private take(id: number | null): Waiter | undefined {
    if (id === null) return undefined;
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    return waiter;
  }
}
