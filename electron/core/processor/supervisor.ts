// Supervises the processor process: starts it, configures it, restarts it with backoff when it
// dies or is stuck, and on quit lets it finish the running cycle and flush — within a bound,
// after which it is killed. At most one processor is alive at a time.
// processor/ (in core): launching the processor process, talking to it and supervising it. May
// import shared/ and clock/; the processor's own code (electron/processor) only by path.
import { EventEmitter } from 'node:events';
import type { RunTrigger } from '../../../shared/domain';
import type { CycleReport, ProcessorResults } from '../../../shared/processor-protocol';
import { systemClock, type Clock } from '../clock/clock';
import { LostCycles } from './lost-cycles';
import { ProcessorClient, ProcessorExitedError } from './processor-client';
import {
  CycleLostError, DEFAULT_BACKOFF_MS, DEFAULT_CYCLE_TIMEOUT_MS, DEFAULT_SHUTDOWN_TIMEOUT_MS, DEFAULT_START_TIMEOUT_MS, DeadlineError,
  ProcessorStartError, crashMessage, exitOf, firstLine, seconds, within, type SupervisorOptions,
} from './supervision';
import { JobRequestTimeoutError, type JobRequestBody, type ProcessorHealthInfo, type SupervisorEvents } from './supervisor-events';

export { JobRequestTimeoutError, type JobRequestBody, type ProcessorHealthInfo, type SupervisorEvents };

/** How long a SIGKILLed processor may take to be gone before we stop waiting for it. */
const KILL_WAIT_MS = 5_000;

export class ProcessorSupervisor extends EventEmitter<SupervisorEvents> {
  /** The configured, live processor. */
  private client: ProcessorClient | null = null;
  /** A processor being launched and configured. */
  private launching: ProcessorClient | null = null;
  private starting: Promise<ProcessorClient> | null = null;
  private restartTimer: unknown = null;
  private crashesInARow = 0;
  private stopping = false;
  /** Processors killed on purpose, with what their exit means (given the wait before the restart). */
  private readonly killedBecause = new Map<ProcessorClient, (restartIn: string) => string>();
  private readonly lostCycles = new LostCycles();
  private info: ProcessorHealthInfo = { health: 'stopped', restarts: 0, lastCrashAt: null, lastCrash: null, lastCrashReason: null, lastCrashOutput: [], logFile: null };
  private readonly clock: Clock;

  constructor(private readonly options: SupervisorOptions) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  get healthInfo(): ProcessorHealthInfo {
    return { ...this.info };
  }

  get pid(): number | undefined {
    return this.client?.pid;
  }

  private get cycleTimeoutMs(): number {
    return this.options.cycleTimeoutMs ?? DEFAULT_CYCLE_TIMEOUT_MS;
  }

  private get startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  }

  private setHealth(patch: Partial<ProcessorHealthInfo>): void {
    this.info = { ...this.info, ...patch };
    this.emit('health', this.healthInfo);
  }

  /** Starts the processor (again, after a stop). Rejects with ProcessorStartError, one line. */
  start(): Promise<ProcessorClient> {
    this.stopping = false;
    return this.ensureStarted();
  }

  private ensureStarted(): Promise<ProcessorClient> {
    if (this.stopping) return Promise.reject(new ProcessorStartError('LiveBreadth is shutting down'));
    if (this.client?.isAlive) return Promise.resolve(this.client);
    if (this.starting) return this.starting;
    // A restart is planned: launching one now would defeat the backoff (a lasting database
    // error would spawn a processor per cycle).
    if (this.restartTimer !== null) return Promise.reject(new ProcessorStartError(this.info.lastCrash ?? 'The processor is restarting'));
    this.starting = this.launch().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async launch(): Promise<ProcessorClient> {
    this.setHealth({ health: this.info.restarts > 0 ? 'restarting' : 'starting' });
    const client = new ProcessorClient(this.options.launch());
    this.launching = client;
    if (client.logFile !== this.info.logFile) this.info = { ...this.info, logFile: client.logFile };
    client.onEvent((event) => {
      if (event.type === 'log') this.emit('log', { level: event.level, message: event.message });
      else if (event.type === 'jobProgress') this.emit('jobProgress', event.job);
    });
    const offExit = client.onExit(() => {
      offExit();
      this.onExit(client);
    });
    try {
      const configured = (async () => {
        await client.ready;
        await client.request({ type: 'configure', settings: this.options.settings() });
      })();
      await within(configured, this.startTimeoutMs, this.clock);
    } catch (error) {
      const reason = error instanceof DeadlineError ? `it did not answer within ${seconds(this.startTimeoutMs)} s` : firstLine(error);
      const message = `The processor could not start: ${reason}`;
      // Refused (the database cannot be opened, a migration failed) or stuck: it is of no use
      // alive, and the restart after the backoff reads the settings again.
      await this.kill(client, (restartIn) => `${message}; next try in ${restartIn} s`);
      throw new ProcessorStartError(message);
    } finally {
      if (this.launching === client) this.launching = null;
    }
    this.client = client;
    this.setHealth({ health: 'up' });
    this.lostCycles.writeWith(client, (message) => this.emit('log', { level: 'warn', message }));
    return client;
  }

  /**
   * Kills a processor on purpose and waits for its exit, so a restart never overlaps it. The
   * wait is bounded: a process in uninterruptible I/O (a network drive gone) dies only when the
   * I/O returns, and each cycle deadline kills it again, so the wait's listener is removed after.
   */
  private async kill(client: ProcessorClient, meaning: (restartIn: string) => string): Promise<void> {
    if (!client.isAlive) return;
    const { exited, stopWaiting } = exitOf(client);
    this.killedBecause.set(client, meaning);
    client.kill();
    await within(exited, KILL_WAIT_MS, this.clock).catch(() => undefined); // SIGKILL: the exit comes at once
    stopWaiting();
  }

  private onExit(client: ProcessorClient): void {
    if (this.client === client) this.client = null;
    const meaning = this.killedBecause.get(client);
    this.killedBecause.delete(client);
    if (this.stopping) {
      if (!this.client?.isAlive && !this.launching?.isAlive) this.setHealth({ health: 'stopped' });
      return;
    }
    if (this.restartTimer !== null) return; // one restart planned already
    const backoff = this.options.backoffMs ?? DEFAULT_BACKOFF_MS;
    const wait = backoff[Math.min(this.crashesInARow, backoff.length - 1)]!;
    this.crashesInARow++;
    const restartIn = seconds(wait);
    const message = meaning?.(restartIn) ?? crashMessage(client, restartIn);
    this.setHealth({
      health: 'restarting', restarts: this.info.restarts + 1, lastCrashAt: this.clock.now().toISOString(), lastCrash: message,
      lastCrashReason: client.exit?.reason ?? null, lastCrashOutput: client.outputTail,
    });
    this.emit('crash', { message, restartInMs: wait });
    this.restartTimer = this.clock.setTimeout(() => {
      this.restartTimer = null;
      // A failure is reported by launch (health, crash event) and plans the next try itself.
      this.ensureStarted().catch(() => undefined);
    }, wait);
  }

  /**
   * Runs a cycle in the processor, starting it first if it is down. Rejects with
   * ProcessorStartError when no processor can be had, CycleLostError when the processor died or
   * was stuck past the cycle deadline (killed, restarted after the backoff), or the processor's
   * own error reply.
   */
  async runCycle(trigger: RunTrigger): Promise<CycleReport> {
    const client = await this.ensureStarted();
    const startedAt = this.clock.now();
    try {
      const report = await within(client.request({ type: 'runCycle', trigger }), this.cycleTimeoutMs, this.clock);
      this.crashesInARow = 0; // a completed cycle means the restart worked
      return report;
    } catch (error) {
      let message: string;
      if (error instanceof DeadlineError) {
        message = `A cycle took longer than ${seconds(this.cycleTimeoutMs)} s; the processor was restarted`;
        await this.kill(client, () => message);
      } else if (error instanceof ProcessorExitedError) {
        message = `Cycle interrupted: the processor ${client.exitDescription}`;
      } else {
        throw error; // the processor answered: an error of the cycle, not of the process
      }
      const durationMs = this.clock.now().getTime() - startedAt.getTime();
      this.lostCycles.remember({ trigger, startedAt: startedAt.toISOString(), durationMs, message }, () => this.options.settings().exchangeZone);
      throw new CycleLostError(message, startedAt.toISOString(), durationMs);
    }
  }

  /**
   * A job request (start, list, cancel, …), starting the processor first if it is down. The
   * processor answers these at once, behind at most a cycle or one job chunk; past the cycle
   * deadline the answer is given up on (the cycle's own deadline deals with a stuck processor).
   * Rejects with the processor's one-line refusal, ProcessorStartError, or ProcessorExitedError.
   */
  async jobRequest<T extends JobRequestBody>(body: T): Promise<ProcessorResults[T['type']]> {
    const client = await this.ensureStarted();
    try {
      return await within(client.request(body), this.cycleTimeoutMs, this.clock);
    } catch (error) {
      if (error instanceof DeadlineError) throw new JobRequestTimeoutError(`The processor did not answer within ${seconds(this.cycleTimeoutMs)} s`);
      throw error;
    }
  }

  /** New settings (folder, names, zone): the processor reopens with them. */
  async reconfigure(): Promise<void> {
    const client = this.client;
    if (!client?.isAlive) return; // the next start reads the new settings
    try {
      await within(client.request({ type: 'configure', settings: this.options.settings() }), this.startTimeoutMs, this.clock);
    } catch (error) {
      if (!client.isAlive) return; // it died: already reported and restarting
      const reason = error instanceof DeadlineError ? `it did not answer within ${seconds(this.startTimeoutMs)} s` : firstLine(error);
      await this.kill(client, (restartIn) => `The processor could not take the new settings: ${reason}; restarting in ${restartIn} s`);
    }
  }

  /**
   * Graceful stop: the shutdown request queues behind the running cycle, so it finishes and the
   * database is closed (and checkpointed); past shutdownTimeoutMs the processor is killed.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.clock.clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.launching?.kill(); // not configured yet: it holds nothing to flush
    await this.starting?.catch(() => undefined);
    const client = this.client;
    if (!client?.isAlive) {
      this.setHealth({ health: 'stopped' });
      return;
    }
    const { exited, stopWaiting } = exitOf(client);
    const shutdownTimeoutMs = this.options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    const timeout = this.clock.setTimeout(() => client.kill(), shutdownTimeoutMs);
    client.request({ type: 'shutdown' }).catch(() => undefined); // its exit is what counts
    try {
      await within(exited, shutdownTimeoutMs + KILL_WAIT_MS, this.clock);
    } catch {
      // Killed but not gone (uninterruptible I/O): it ends when the I/O returns; a stop does not wait for that.
      this.emit('log', { level: 'warn', message: `The processor (pid ${client.pid}) was killed but has not ended yet; it will when the system lets it` });
    } finally {
      this.clock.clearTimeout(timeout);
      stopWaiting();
    }
    this.setHealth({ health: 'stopped' });
  }

  /** Ends every processor at once, for a forced exit (a second Ctrl+C, a shutdown past its bound). */
  killNow(): void {
    this.stopping = true;
    this.clock.clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.launching?.kill();
    this.client?.kill();
  }

  /** For tests and diagnostics: end the process abruptly, as a crash would. */
  killForTest(): void {
    this.client?.kill();
  }
}
