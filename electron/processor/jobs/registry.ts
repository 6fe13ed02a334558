// The job kinds a processor can run, by name.
import type { JobHandler } from './handler';

export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();
  /** Kinds loaded on first use: their code (zod schemas, sources, luxon) stays out of a processor that only runs cycles. */
  private readonly loaders = new Map<string, () => Promise<JobHandler>>();

  constructor(handlers: Iterable<JobHandler> = []) {
    for (const handler of handlers) this.register(handler);
  }

  register(handler: JobHandler): this {
    if (this.handlers.has(handler.kind) || this.loaders.has(handler.kind)) throw new Error(`Job kind "${handler.kind}" is registered twice`);
    this.handlers.set(handler.kind, handler);
    return this;
  }

  registerLazy(kind: string, load: () => Promise<JobHandler>): this {
    if (this.handlers.has(kind) || this.loaders.has(kind)) throw new Error(`Job kind "${kind}" is registered twice`);
    this.loaders.set(kind, load);
    return this;
  }

  /** Loads a lazy kind's handler, so that get() finds it; nothing for an unknown or loaded kind. */
  async ensure(kind: string): Promise<void> {
    const load = this.loaders.get(kind);
    if (!load || this.handlers.has(kind)) return;
    const handler = await load();
    if (handler.kind !== kind) throw new Error(`Job kind "${kind}" loaded a handler for "${handler.kind}"`);
    this.handlers.set(kind, handler);
  }

  /** Whether a lazy kind's code has been loaded yet (for tests and diagnostics). */
  isLoaded(kind: string): boolean {
    return this.handlers.has(kind);
  }

  get(kind: string): JobHandler | undefined {
    return this.handlers.get(kind);
  }

  kinds(): string[] {
    return [...new Set([...this.handlers.keys(), ...this.loaders.keys()])].sort();
  }
}
