// Supervises the processor process: starts it, configures it, restarts it with backoff when it
// dies unexpectedly, and on quit lets it finish the running cycle and flush before it exits.
import { EventEmitter } from 'node:events';
import type { ProcessorHealth } from '../../shared/api';
import type { CycleReport, ProcessorSettings } from '../../shared/processor-protocol';
import type { RunTrigger } from '../../shared/domain';
import { ProcessorClient, ProcessorExitedError, type ProcessorLauncher } from './processor-client';

export interface SupervisorOptions {
  launch: ProcessorLauncher;
  settings: () => ProcessorSettings;
  /** Waits before restart attempts 1, 2, 3…; the last repeats. */
  backoffMs?: readonly number[];
  /** How long a shutdown may take before the process is killed. */
  shutdownTimeoutMs?: number;
}

export interface SupervisorEvents {
  health: [ProcessorHealthInfo];
  crash: [{ message: string; restartInMs: number }];
  log: [{ level: 'info' | 'warn' | 'error'; message: string }];
}

export interface ProcessorHealthInfo {
  health: ProcessorHealth;
  restarts: number;
  lastCrashAt: string | null;
  lastCrash: string | null;
}

export const DEFAULT_BACKOFF_MS = [200, 1_000, 5_000, 15_000, 30_000];

export class ProcessorSupervisor extends EventEmitter<SupervisorEvents> {
  private client: ProcessorClient | null = null;
  private starting: Promise<ProcessorClient> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private crashesInARow = 0;
  private stopping = false;
  private info: ProcessorHealthInfo = { health: 'stopped', restarts: 0, lastCrashAt: null, lastCrash: null };

  constructor(private readonly options: SupervisorOptions) {
    super();
  }

  get healthInfo(): ProcessorHealthInfo {
    return { ...this.info };
  }

  get pid(): number | undefined {
    return this.client?.pid;
  }

  private setHealth(patch: Partial<ProcessorHealthInfo>): void {
    this.info = { ...this.info, ...patch };
    this.emit('health', this.healthInfo);
  }

  start(): Promise<ProcessorClient> {
    this.stopping = false;
    if (this.client?.isAlive) return Promise.resolve(this.client);
    this.starting ??= this.launch().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async launch(): Promise<ProcessorClient> {
    this.setHealth({ health: this.info.restarts > 0 ? 'restarting' : 'starting' });
    const client = new ProcessorClient(this.options.launch());
    client.onEvent((event) => {
      if (event.type === 'log') this.emit('log', { level: event.level, message: event.message });
    });
    client.onExit((code) => this.onExit(client, code));
    await client.ready;
    await client.request({ type: 'configure', settings: this.options.settings() });
    this.client = client;
    this.setHealth({ health: 'up' });
    return client;
  }

  private onExit(client: ProcessorClient, code: number | null): void {
    if (this.client === client) this.client = null;
    if (this.stopping) {
      this.setHealth({ health: 'stopped' });
      return;
    }
    const backoff = this.options.backoffMs ?? DEFAULT_BACKOFF_MS;
    const wait = backoff[Math.min(this.crashesInARow, backoff.length - 1)]!;
    this.crashesInARow++;
    const message = `The processor stopped unexpectedly (exit ${code ?? 'by signal'}); restarting in ${Math.round(wait / 100) / 10} s`;
    this.setHealth({ health: 'restarting', restarts: this.info.restarts + 1, lastCrashAt: new Date().toISOString(), lastCrash: message });
    this.emit('crash', { message, restartInMs: wait });
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start().catch((error: Error) => this.emit('log', { level: 'error', message: `Restart failed: ${error.message}` }));
    }, wait);
  }

  /** Runs a cycle in the processor, starting it first if it is down. */
  async runCycle(trigger: RunTrigger): Promise<CycleReport> {
    const client = await this.start();
    const report = await client.request({ type: 'runCycle', trigger });
    this.crashesInARow = 0; // a completed cycle means the restart worked
    return report;
  }

  /** New settings (folder, names, zone): the processor reopens with them. */
  async reconfigure(): Promise<void> {
    if (!this.client?.isAlive) return;
    await this.client.request({ type: 'configure', settings: this.options.settings() });
  }

  /** Graceful stop: queued behind the running cycle, so it finishes and flushes first. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    await this.starting?.catch(() => undefined);
    const client = this.client;
    if (!client?.isAlive) {
      this.setHealth({ health: 'stopped' });
      return;
    }
    const exited = new Promise<void>((resolve) => client.onExit(() => resolve()));
    const timeout = setTimeout(() => client.kill(), this.options.shutdownTimeoutMs ?? 10_000);
    try {
      await client.request({ type: 'shutdown' });
    } catch (error) {
      if (!(error instanceof ProcessorExitedError)) throw error;
    }
    await exited;
    clearTimeout(timeout);
    this.setHealth({ health: 'stopped' });
  }

  /** For tests and diagnostics: end the process abruptly, as a crash would. */
  killForTest(): void {
    this.client?.kill();
  }
}
