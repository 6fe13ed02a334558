// core/: the app without Electron. Electron's main process and the headless server both wrap
// this. Its rooms: clock/ (time), processor/ (the processor process), cycles/ (the scheduler,
// the one-at-a-time runner and its breaker), feed/ (the watched folder, stale detection),
// status/ (what the status bar says), settings/ (the file and what a change does), queries/
// (the dashboard's reads, in a worker thread), jobs/ (background jobs, run by the processor).
// LiveBreadthCore wires them together and implements the API contract.
// May import shared/ and start the processor by path; must not import electron.
import { EventEmitter } from 'node:events';
import type { ApiEventName, ApiEvents, AppStatus, DaySummary, HistoryRange, LiveBreadthApi, Movers, StockRow } from '../../shared/api';
import type { RejectedRow, RunRecord, SeriesPoint, Snapshot } from '../../shared/domain';
import type { HistoryDay } from '../../shared/history/indicators';
import type { JobDetail, JobRecord, QueueStats, StartJobInput } from '../../shared/jobs';
import type { CycleReport } from '../../shared/processor-protocol';
import type { Settings, SettingsPatch } from '../../shared/settings';
import { systemClock, type Clock } from './clock/clock';
import { CycleRunner } from './cycles/cycle-runner';
import { Scheduler } from './cycles/scheduler';
import { FolderFeed } from './feed/folder-feed';
import { StaleFeedMonitor } from './feed/stale-monitor';
import { CoreJobs } from './jobs/core-jobs';
import { processorSettingsOf } from './processor/supervision';
import { ProcessorSupervisor } from './processor/supervisor';
import { QueryClient } from './queries/query-client';
import { SettingsApplier } from './settings/settings-applier';
import type { CoreOptions } from './core-options';
import { buildStatus } from './status/build-status';
import { Problems } from './status/problems';

export type { CoreOptions } from './core-options';

type CoreEvents = { [K in ApiEventName]: [ApiEvents[K]] };

export class LiveBreadthCore extends EventEmitter<CoreEvents> implements LiveBreadthApi {
  private readonly clock: Clock;
  private readonly supervisor: ProcessorSupervisor;
  private readonly runner: CycleRunner;
  private readonly scheduler: Scheduler;
  private readonly staleMonitor: StaleFeedMonitor;
  private readonly feed: FolderFeed;
  private readonly applier: SettingsApplier;
  private readonly jobs: CoreJobs;
  /** The dashboard's reads, in a worker thread: a query never blocks this one. */
  private queries: QueryClient | null = null;
  private readonly problems: Problems;

  constructor(private readonly options: CoreOptions) {
    super();
    const clock = (this.clock = options.clock ?? systemClock);
    const settings = () => options.settings.get();
    this.problems = new Problems({ say: (message) => this.say(message), pushStatus: () => this.pushStatus() });
    this.supervisor = new ProcessorSupervisor({
      launch: options.launch, clock,
      settings: () => processorSettingsOf(settings(), options.dbPath, options.retryDelaysMs),
      backoffMs: options.backoffMs, cycleTimeoutMs: options.cycleTimeoutMs, shutdownTimeoutMs: options.shutdownTimeoutMs,
    });
    this.supervisor.on('health', () => this.pushStatus());
    // A crash, a stuck cycle, a processor that cannot start: an error event and the status bar.
    this.supervisor.on('crash', ({ message }) => this.problems.report(message));
    this.supervisor.on('log', ({ level, message }) => {
      if (level !== 'info') this.problems.report(message);
    });
    this.runner = new CycleRunner({
      clock, breaker: options.breaker,
      run: (trigger) => this.supervisor.runCycle(trigger),
      onPaused: (message) => this.say(message),
      onFinished: (report) => this.cycleFinished(report),
    });
    this.scheduler = new Scheduler({
      clock,
      profile: () => settings().exchange,
      intervalMs: () => settings().intervalSeconds * 1000,
      runCycle: (trigger) => void this.runner.requestAutomatic(trigger),
      onPlan: () => this.staleMonitor.plan(),
      // The calendar could not be worked out (retried within a minute); no push, the status needs it.
      onError: (error) => {
        this.problems.note(`Auto-processing cannot plan the session: ${error.message}`);
        this.say(this.problems.current!);
      },
    });
    this.staleMonitor = new StaleFeedMonitor({
      clock, settings, active: () => this.scheduler.running,
      onStale: ({ lastChangeAt, ageSeconds }) => {
        this.emit('feedStale', { lastChangeAt, ageSeconds });
        this.pushStatus();
      },
    });
    this.feed = new FolderFeed({
      clock, settings,
      onLive: (modifiedAt) => {
        this.staleMonitor.liveChanged(modifiedAt);
        this.scheduler.fileChanged();
      },
      onHistorical: () => this.scheduler.fileChanged(),
      onProblem: (message) => this.problems.report(message),
      onProblemGone: (message) => {
        this.problems.clear(message);
        this.pushStatus();
      },
    });
    this.applier = new SettingsApplier(options.settings, {
      reconfigureProcessor: () => this.supervisor.reconfigure(),
      rewatchFolder: () => this.watchFolder(),
      startAutoProcessing: () => this.scheduler.start(),
      stopAutoProcessing: () => this.scheduler.stop(),
      replan: () => this.scheduler.replan(),
    });
    this.jobs = new CoreJobs(this.supervisor, {
      jobProgress: (job) => this.emit('jobProgress', job),
      jobRemoved: (removed) => this.emit('jobRemoved', removed),
      problem: (message) => this.say(message),
    }, { clock, settings });
  }

  /** Starts the processor, the watcher and (when the setting says so) auto-processing. */
  async init(): Promise<void> {
    try {
      await this.supervisor.start();
    } catch (error) {
      await this.supervisor.stop(); // no processor left behind, no restart planned
      throw error; // ProcessorStartError: one line, e.g. the database cannot be opened
    }
    this.queries = new QueryClient(this.options.dbPath);
    await this.watchFolder();
    if (this.options.settings.loadProblem) this.problems.note(this.options.settings.loadProblem);
    if (this.options.settings.get().autoStart) this.scheduler.start();
    this.jobs.startPlanning();
    this.pushStatus();
  }

  /**
   * Stops within a few seconds whatever the processor is doing: the running cycle finishes or,
   * past shutdownTimeoutMs, is abandoned with its processor; queued cycles are not started.
   */
  async shutdown(): Promise<void> {
    this.runner.close();
    this.scheduler.stop();
    this.jobs.stopPlanning();
    this.staleMonitor.stop();
    await this.feed.close();
    // Readers first: the processor's write connection, closed last, then checkpoints the WAL
    // into the database and leaves no -wal file behind.
    const queries = this.queries;
    this.queries = null;
    await queries?.close();
    await this.supervisor.stop(); // bounded: the running cycle finishes, or it is killed
    await this.runner.idle(); // cycles still queued end at once (no processor)
  }

  private async watchFolder(): Promise<void> {
    this.staleMonitor.foundLive(await this.feed.watch());
  }

  private cycleFinished(report: CycleReport): void {
    if (report.status !== 'failed') this.problems.clearAll();
    this.feed.cycleFinished(report);
    this.emit('runFinished', report);
    if (report.status === 'ok' && report.snapshot) this.emit('snapshot', report.snapshot);
    this.pushStatus();
  }

  // ── problems and status ─────────────────────────────────────────────────────────────────

  /** During init nobody listens yet (an 'error' event without a listener throws): the status carries it. */
  private say(message: string): void {
    if (this.listenerCount('error') > 0) this.emit('error', { message });
  }

  private status(): AppStatus {
    const now = this.clock.now();
    return buildStatus({
      now, settings: this.options.settings.get(), running: this.scheduler.running,
      lastRun: this.runner.lastRun, lastError: this.problems.current, lastLiveChange: this.staleMonitor.lastLiveChange,
      processor: this.supervisor.healthInfo, breaker: this.runner.breakerAt(now),
    });
  }

  private pushStatus(): void {
    this.emit('status', this.status());
  }

  // ── the API contract ────────────────────────────────────────────────────────────────────

  async getStatus(): Promise<AppStatus> {
    return this.status();
  }

  // Start, stop and the interval are settings like any other (persisted: the next launch resumes
  // auto-processing); the applier starts or stops the scheduler and plans again.
  start(): Promise<AppStatus> { return this.settingThenStatus({ autoStart: true }); }
  stop(): Promise<AppStatus> { return this.settingThenStatus({ autoStart: false }); }
  setInterval(seconds: number): Promise<AppStatus> { return this.settingThenStatus({ intervalSeconds: seconds }); }

  private async settingThenStatus(patch: SettingsPatch): Promise<AppStatus> {
    await this.updateSettings(patch);
    return this.status();
  }

  /** Runs a cycle now, at any hour, behind the running one; the breaker does not apply. */
  processNow(): Promise<CycleReport> {
    return this.runner.runNow();
  }

  private get db(): QueryClient {
    if (!this.queries) throw new Error('LiveBreadth is still starting');
    return this.queries;
  }

  async getLatestSnapshot(tradeDate?: string): Promise<Snapshot | null> { return this.db.latestSnapshot(tradeDate); }
  async getSeries(tradeDate?: string): Promise<SeriesPoint[]> { return this.db.series(tradeDate); }
  async getLatestStocks(tradeDate?: string): Promise<StockRow[]> { return this.db.latestStocks(tradeDate); }
  async getMovers(tradeDate?: string, limit?: number): Promise<Movers> { return this.db.movers(tradeDate, limit); }
  async getRuns(limit?: number, beforeId?: number): Promise<RunRecord[]> { return this.db.runs(limit, beforeId); }
  async getRunRejections(runId: number): Promise<RejectedRow[]> { return this.db.runRejections(runId); }
  async getDays(): Promise<DaySummary[]> { return this.db.days(); }
  async getHistory(range?: HistoryRange): Promise<HistoryDay[]> { return this.db.history(range); }
  async getSettings(): Promise<Settings> { return this.options.settings.get(); }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    return this.pushed(this.applier.update(patch));
  }

  async importHolidays(fileName: string, content: string): Promise<Settings> {
    return this.pushed(this.applier.importHolidays(fileName, content));
  }

  private async pushed(change: Promise<Settings>): Promise<Settings> {
    const after = await change;
    this.pushStatus();
    return after;
  }

  // Jobs run in the processor; jobs/ forwards the calls and re-emits their progress.
  startJob(input: StartJobInput): Promise<JobRecord> { return this.jobs.start(input); }
  listJobs(): Promise<JobRecord[]> { return this.jobs.list(); }
  getJob(id: number): Promise<JobDetail> { return this.jobs.detail(id); }
  cancelJob(id: number): Promise<JobRecord> { return this.jobs.cancel(id); }
  retryJob(id: number): Promise<JobRecord> { return this.jobs.retry(id); }
  dismissJob(id: number): Promise<{ id: number }> { return this.jobs.dismiss(id); }
  getJobStats(): Promise<QueueStats> { return this.jobs.stats(); }

  /** The core has no folder picker; the desktop shell supplies one (see electron/main). */
  async chooseDataFolder(): Promise<string | null> { return null; }

  /** A forced exit (a second Ctrl+C, a shutdown past its bound): the processor is killed now. */
  abandon(): void {
    this.supervisor.killNow();
  }

  /** Test hook, not part of the API contract: the processor's pid and health, or a crash on demand. */
  get processorSupervisor(): ProcessorSupervisor {
    return this.supervisor;
  }

  /** The computer woke from sleep or its clock jumped: plan again from the clock. */
  resume(): void {
    this.scheduler.replan();
    this.staleMonitor.plan();
    this.jobs.replan();
    this.pushStatus();
  }
}
