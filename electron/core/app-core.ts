// core/: the app without Electron — settings, watcher, scheduler, processor supervisor,
// queries and events. Electron's main process and the headless server both wrap this.
// May import shared/ and start the processor by path; must not import electron.
import { EventEmitter } from 'node:events';
import type { ApiEventName, ApiEvents, AppStatus, DaySummary, LiveBreadthApi, Movers, StockRow } from '../../shared/api';
import type { RejectedRow, RunRecord, RunTrigger, SeriesPoint, Snapshot } from '../../shared/domain';
import { marketState } from '../../shared/market-calendar';
import { exchangeClockLabel } from '../../shared/exchange-time';
import type { CycleReport, ProcessorSettings } from '../../shared/processor-protocol';
import type { Settings, SettingsPatch } from '../../shared/settings';
import { findDataFiles } from '../processor/reader/files';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerOptions } from './cycles/breaker';
import type { ProcessorLauncher } from './processor/processor-client';
import { BreadthQueries } from './queries';
import { systemClock, type Clock } from './clock/clock';
import { Scheduler } from './cycles/scheduler';
import { SettingsError, SettingsStore } from './settings/settings-store';
import { parseHolidayFile } from './settings/holiday-file';
import { CycleLostError } from './processor/supervision';
import { ProcessorSupervisor, type ProcessorHealthInfo } from './processor/supervisor';
import { FolderWatcher } from './feed/watcher';

export interface CoreOptions {
  settings: SettingsStore;
  dbPath: string;
  launch: ProcessorLauncher;
  clock?: Clock;
  breaker?: BreakerOptions;
  backoffMs?: number[];
  /** Re-reads of a file that looked mid-save, before a cycle is called failed. */
  retryDelaysMs?: number[];
  /** A cycle taking longer is stuck: its processor is killed and restarted (default 20 s). */
  cycleTimeoutMs?: number;
  /** How long quitting waits for the running cycle and the database to close (default 3 s). */
  shutdownTimeoutMs?: number;
}

type CoreEvents = { [K in ApiEventName]: [ApiEvents[K]] };

/**
 * The report of a cycle the processor did not complete. Lost with its processor (it died, or
 * was killed as stuck): nothing was stored, the supervisor has the restarted processor write
 * the run-log row. Otherwise the processor answered with an error (the database is locked…) or
 * could not start: "Cycle failed: <reason>".
 */
export function failedCycleReport(trigger: RunTrigger, error: unknown, now: Date): CycleReport {
  const lost = error instanceof CycleLostError ? error : null;
  return {
    runId: 0, status: 'failed', trigger,
    message: lost ? lost.message : `Cycle failed: ${(error as Error).message ?? String(error)}`,
    startedAt: lost?.startedAt ?? now.toISOString(), durationMs: lost?.durationMs ?? 0,
    snapshot: null, rejectedCount: 0, rejectedSample: [], ticksStored: 0,
  };
}

const AUTOMATIC: ReadonlySet<RunTrigger> = new Set(['schedule', 'watcher', 'close']);

export class LiveBreadthCore extends EventEmitter<CoreEvents> implements LiveBreadthApi {
  private readonly clock: Clock;
  private readonly breaker: CircuitBreaker;
  private readonly supervisor: ProcessorSupervisor;
  private readonly scheduler: Scheduler;
  private watcher: FolderWatcher | null = null;
  private queries: BreadthQueries | null = null;
  private lastRun: CycleReport | null = null;
  private lastLiveChange: Date | null = null;
  private staleTimer: unknown = null;
  private staleNotified = false;
  private lastError: string | null = null;
  /** Cycles run one at a time; at most one automatic cycle waits behind the running one. */
  private chain: Promise<unknown> = Promise.resolve();
  private queuedAutomatic: Promise<CycleReport | null> | null = null;
  private closing = false;

  constructor(private readonly options: CoreOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.breaker = new CircuitBreaker(options.breaker ?? DEFAULT_BREAKER);
    this.supervisor = new ProcessorSupervisor({
      launch: options.launch,
      settings: () => this.processorSettings(),
      backoffMs: options.backoffMs,
      cycleTimeoutMs: options.cycleTimeoutMs,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
    });
    this.supervisor.on('health', () => this.pushStatus());
    // A crash, a stuck cycle, a processor that cannot start: an error event and the status bar.
    this.supervisor.on('crash', ({ message }) => this.reportError(message));
    this.supervisor.on('log', ({ level, message }) => {
      if (level !== 'info') this.reportError(message);
    });
    this.scheduler = new Scheduler({
      clock: this.clock,
      profile: () => this.options.settings.get().exchange,
      intervalMs: () => this.options.settings.get().intervalSeconds * 1000,
      runCycle: (trigger) => void this.requestAutomaticCycle(trigger),
      onPlan: () => this.planStaleCheck(),
    });
  }

  private processorSettings(): ProcessorSettings {
    const s = this.options.settings.get();
    return {
      dataDir: s.dataDir,
      liveFileName: s.liveFileName,
      historicalFileName: s.historicalFileName,
      dbPath: this.options.dbPath,
      exchangeZone: s.exchange.zone,
      retryDelaysMs: this.options.retryDelaysMs ?? [50, 100, 200, 400],
    };
  }

  /** Starts the processor, the watcher and (when the setting says so) auto-processing. */
  async init(): Promise<void> {
    try {
      await this.supervisor.start();
    } catch (error) {
      await this.supervisor.stop(); // no processor left behind, no restart planned
      throw error; // ProcessorStartError: one line, e.g. the database cannot be opened
    }
    this.queries = new BreadthQueries(this.options.dbPath);
    await this.startWatcher();
    if (this.options.settings.loadProblem) this.lastError = this.options.settings.loadProblem;
    if (this.options.settings.get().autoStart) this.scheduler.start();
    this.pushStatus();
  }

  /**
   * Stops within a few seconds whatever the processor is doing: the running cycle finishes or,
   * past shutdownTimeoutMs, is abandoned with its processor; queued cycles are not started.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    this.scheduler.stop();
    this.clearStaleTimer();
    await this.watcher?.close();
    this.watcher = null;
    // Readers first: the processor's write connection, closed last, then checkpoints the WAL
    // into the database and leaves no -wal file behind.
    this.queries?.close();
    this.queries = null;
    await this.supervisor.stop(); // bounded: the running cycle finishes, or it is killed
    await this.chain.catch(() => undefined); // cycles still queued end at once (no processor)
  }

  private async startWatcher(): Promise<void> {
    // The old folder's "missing" message does not apply to the new one.
    const oldProblem = this.watcher?.problem ?? null;
    if (oldProblem !== null && this.lastError === oldProblem) this.lastError = null;
    await this.watcher?.close();
    const s = this.options.settings.get();
    const watcher = new FolderWatcher({
      dataDir: s.dataDir,
      liveFileName: s.liveFileName,
      historicalFileName: s.historicalFileName,
      usePolling: s.usePolling,
    });
    watcher.on('live', ({ modifiedAt }) => {
      this.lastLiveChange = modifiedAt;
      this.staleNotified = false;
      this.planStaleCheck();
      this.scheduler.fileChanged();
    });
    watcher.on('historical', () => this.scheduler.fileChanged());
    watcher.on('error', (error) => this.reportError(`Watching ${s.dataDir} failed: ${error.message}`));
    // While the folder is gone the status says so; when it is back the watcher announces the
    // files in it as changes (Live's time is re-read from the 'live' event), so the feed recovers.
    let missingMessage: string | null = null;
    watcher.on('folderMissing', ({ message }) => {
      missingMessage = message;
      this.reportError(message);
    });
    watcher.on('folderBack', () => {
      if (missingMessage !== null && this.lastError === missingMessage) this.lastError = null;
      missingMessage = null;
      this.pushStatus();
    });
    // No event comes when a parent folder is renamed, or (Windows) a watched folder deleted: each
    // cycle the watcher did not cause has it look (one stat), so nothing wakes the app for it.
    const lookAfterCycle = (report: CycleReport) => {
      if (this.watcher !== watcher) return void this.off('runFinished', lookAfterCycle);
      if (report.trigger !== 'watcher') watcher.checkFolder();
    };
    this.on('runFinished', lookAfterCycle);
    this.watcher = watcher;
    try {
      await watcher.start();
    } catch (error) {
      this.reportError(`Cannot watch ${s.dataDir}: ${(error as Error).message}`);
    }
    this.lastLiveChange = await this.currentLiveModifiedAt(s);
  }

  /** Live's modification time as a cycle would find it (same names, case and extensions). */
  private async currentLiveModifiedAt(s: Settings): Promise<Date | null> {
    try {
      const { live } = await findDataFiles(s.dataDir, { live: s.liveFileName, historical: s.historicalFileName });
      return new Date(live.mtimeMs);
    } catch {
      return null; // no Live yet, or no folder: the status bar says so
    }
  }

  private reportError(message: string): void {
    this.lastError = message;
    // During init nobody listens yet (an 'error' event without a listener throws); the status carries it.
    if (this.listenerCount('error') > 0) this.emit('error', { message });
    this.pushStatus();
  }

  // ── cycles ──────────────────────────────────────────────────────────────────────────────

  private requestAutomaticCycle(trigger: RunTrigger): Promise<CycleReport | null> {
    if (this.queuedAutomatic) return this.queuedAutomatic; // one waiting cycle reads the newest file anyway
    const queued = this.chain.then(() => {
      this.queuedAutomatic = null;
      return this.executeCycle(trigger);
    });
    this.queuedAutomatic = queued;
    this.chain = queued.catch(() => undefined);
    return queued;
  }

  private async executeCycle(trigger: RunTrigger): Promise<CycleReport | null> {
    const nowMs = this.clock.now().getTime();
    if (AUTOMATIC.has(trigger) && (this.closing || !this.breaker.allows(nowMs))) return null;
    let report: CycleReport;
    try {
      report = await this.supervisor.runCycle(trigger);
    } catch (error) {
      report = failedCycleReport(trigger, error, this.clock.now());
    }
    if (report.status === 'failed') {
      if (this.breaker.recordFailure(this.clock.now().getTime()) && this.listenerCount('error') > 0) {
        this.emit('error', { message: `${this.breaker.consecutiveFailures} cycles failed in a row; automatic cycles pause for a minute. Last: ${report.message}` });
      }
    } else {
      this.breaker.recordSuccess();
      this.lastError = null;
    }
    this.lastRun = report;
    this.emit('runFinished', report);
    if (report.status === 'ok' && report.snapshot) this.emit('snapshot', report.snapshot);
    this.pushStatus();
    return report;
  }

  // ── feed freshness ──────────────────────────────────────────────────────────────────────

  private clearStaleTimer(): void {
    if (this.staleTimer !== null) this.clock.clearTimeout(this.staleTimer);
    this.staleTimer = null;
  }

  /** One timer, only while the market is open: when the feed would turn stale. */
  private planStaleCheck(): void {
    this.clearStaleTimer();
    const s = this.options.settings.get();
    const now = this.clock.now();
    if (!this.scheduler.running || marketState(now, s.exchange).phase !== 'open') return;
    const since = this.lastLiveChange?.getTime() ?? now.getTime();
    const due = since + s.staleAfterSeconds * 1000 - now.getTime();
    this.staleTimer = this.clock.setTimeout(() => {
      this.staleTimer = null;
      const feed = this.feedStatus(s);
      if (!feed.stale) return this.planStaleCheck(); // woken early (a timer may fire a little soon)
      if (!this.staleNotified) {
        this.staleNotified = true;
        this.emit('feedStale', { lastChangeAt: feed.lastChangeAt, ageSeconds: feed.ageSeconds });
        this.pushStatus();
      }
    }, Math.max(due, 1000));
  }

  /** `open`: whether the session is open now, when the caller has already worked it out. */
  private feedStatus(s: Settings, open = marketState(this.clock.now(), s.exchange).phase === 'open'): AppStatus['feed'] {
    const now = this.clock.now();
    const ageMs = this.lastLiveChange ? Math.max(0, now.getTime() - this.lastLiveChange.getTime()) : null;
    return {
      lastChangeAt: this.lastLiveChange?.toISOString() ?? null,
      ageSeconds: ageMs === null ? null : Math.round(ageMs / 1000),
      // Compared unrounded: the stale timer fires at the threshold, and must find it reached.
      stale: open && (ageMs === null || ageMs >= s.staleAfterSeconds * 1000),
    };
  }

  // ── status ──────────────────────────────────────────────────────────────────────────────

  private buildStatus(): AppStatus {
    const s = this.options.settings.get();
    const now = this.clock.now();
    const market = marketState(now, s.exchange);
    const health: ProcessorHealthInfo = this.supervisor.healthInfo;
    const breakerState = this.breaker.state(now.getTime());
    const retryAt = this.breaker.retryAt(now.getTime());
    let error = this.lastError;
    if (breakerState !== 'closed') {
      error = `Automatic cycles paused after ${this.breaker.consecutiveFailures} failures` +
        (retryAt ? `; next try at ${exchangeClockLabel(retryAt, s.exchange.zone)}` : '; trying again') +
        (this.lastRun?.message ? `. Last: ${this.lastRun.message}` : '');
    } else if (!error && this.lastRun?.status === 'failed') {
      error = this.lastRun.message;
    }
    return {
      running: this.scheduler.running,
      intervalSeconds: s.intervalSeconds,
      dataDir: s.dataDir,
      market: {
        phase: market.phase,
        exchange: s.exchange.name,
        zone: s.exchange.zone,
        tradeDate: market.tradeDate,
        sessionLabel: market.sessionLabel,
        nextOpen: market.nextOpen?.toISOString() ?? null,
        nextClose: market.nextClose?.toISOString() ?? null,
      },
      lastRun: this.lastRun,
      feed: this.feedStatus(s, market.phase === 'open'),
      processor: health,
      breaker: { state: breakerState, consecutiveFailures: this.breaker.consecutiveFailures, retryAt: retryAt ? new Date(retryAt).toISOString() : null },
      error,
      journal: this.lastRun?.journal ?? { pending: 0, full: false },
    };
  }

  private pushStatus(): void {
    this.emit('status', this.buildStatus());
  }

  // ── the API contract ────────────────────────────────────────────────────────────────────

  async getStatus(): Promise<AppStatus> {
    return this.buildStatus();
  }

  async start(): Promise<AppStatus> {
    this.options.settings.update({ autoStart: true }); // persisted: the next launch resumes it
    this.scheduler.start();
    this.pushStatus();
    return this.buildStatus();
  }

  async stop(): Promise<AppStatus> {
    this.options.settings.update({ autoStart: false });
    this.scheduler.stop();
    this.clearStaleTimer();
    this.pushStatus();
    return this.buildStatus();
  }

  async setInterval(seconds: number): Promise<AppStatus> {
    this.options.settings.update({ intervalSeconds: seconds });
    this.scheduler.replan();
    this.pushStatus();
    return this.buildStatus();
  }

  /** Runs a cycle now, at any hour, behind the running one; the breaker does not apply. */
  processNow(): Promise<CycleReport> {
    const run = this.chain.then(() => this.executeCycle('manual'));
    this.chain = run.catch(() => undefined);
    return run as Promise<CycleReport>;
  }

  private get db(): BreadthQueries {
    if (!this.queries) throw new Error('LiveBreadth is still starting');
    return this.queries;
  }

  async getLatestSnapshot(tradeDate?: string): Promise<Snapshot | null> {
    return this.db.latestSnapshot(tradeDate);
  }
  async getSeries(tradeDate?: string): Promise<SeriesPoint[]> {
    return this.db.series(tradeDate);
  }
  async getLatestStocks(tradeDate?: string): Promise<StockRow[]> {
    return this.db.latestStocks(tradeDate);
  }
  async getMovers(tradeDate?: string, limit?: number): Promise<Movers> {
    return this.db.movers(tradeDate, limit);
  }
  async getRuns(limit?: number, beforeId?: number): Promise<RunRecord[]> {
    return this.db.runs(limit, beforeId);
  }
  async getRunRejections(runId: number): Promise<RejectedRow[]> {
    return this.db.runRejections(runId);
  }
  async getDays(): Promise<DaySummary[]> {
    return this.db.days();
  }
  async getSettings(): Promise<Settings> {
    return this.options.settings.get();
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    const before = this.options.settings.get();
    const after = this.options.settings.update(patch);
    const folderChanged = before.dataDir !== after.dataDir || before.liveFileName !== after.liveFileName ||
      before.historicalFileName !== after.historicalFileName || before.usePolling !== after.usePolling;
    if (folderChanged || before.exchange.zone !== after.exchange.zone) await this.supervisor.reconfigure();
    if (folderChanged) await this.startWatcher();
    if (after.autoStart !== before.autoStart) {
      if (after.autoStart) this.scheduler.start();
      else this.scheduler.stop();
    }
    this.scheduler.replan();
    this.pushStatus();
    return after;
  }

  /** The core has no folder picker; the desktop shell supplies one (see electron/main). */
  async chooseDataFolder(): Promise<string | null> {
    return null;
  }

  async importHolidays(fileName: string, content: string): Promise<Settings> {
    let dates: string[];
    try {
      dates = parseHolidayFile(content, fileName);
    } catch (error) {
      throw new SettingsError((error as Error).message);
    }
    const exchange = this.options.settings.get().exchange;
    const holidays = [...new Set([...exchange.holidays, ...dates])].sort();
    return this.updateSettings({ exchange: { ...exchange, holidays } });
  }

  /** A forced exit (a second Ctrl+C, a shutdown past its bound): the processor is killed now. */
  abandon(): void {
    this.supervisor.killNow();
  }

  /** For tests: the supervisor, to kill the processor as a crash would. */
  get processorSupervisor(): ProcessorSupervisor {
    return this.supervisor;
  }

  /** The computer woke from sleep or its clock jumped: plan again from the clock. */
  resume(): void {
    this.scheduler.replan();
    this.planStaleCheck();
    this.pushStatus();
  }
}
