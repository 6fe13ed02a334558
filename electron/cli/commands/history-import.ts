// `history import`: the history-import job run in this process, with the processor's own job
// runner and handler (the same code path as the app), the writer lock taken under this command's
// name. A progress line while it runs, a summary table at the end. Ctrl+C or SIGTERM cancels the
// job cleanly: the days done stay stored, the database is checkpointed and the lock released.
import { statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JobRecord } from '../../../shared/jobs';
import { defaultDatabasePath, defaultUserDataDir } from '../../core/paths';
import { SETTINGS_FILE } from '../../core/launch-core';
import { defaultSettings, SettingsStore } from '../../core/settings/settings-store';
import { HISTORY_IMPORT_KIND, historyImportJob } from '../../processor/history/import-job';
import type { HistoryImportInput, SourceParams } from '../../processor/history/import-params';
import { JobRegistry } from '../../processor/jobs/registry';
import { describeError, JobRunner, type Exclusive } from '../../processor/jobs/runner';
import { openWriterStore, type WriterStore } from '../../processor/store/database';
import { dateOption, numberOption, requireOption, UsageError } from '../usage';
import { progressLine, summaryTable } from './history-format';

export interface HistoryImportOptions {
  from?: string;
  to?: string;
  /** Repeatable: a folder, or "nse"; tried in the order given (default nse). */
  source?: string[];
  'base-url'?: string;
  rate?: string;
  force?: boolean;
  db?: string;
}

/** The exit code for a cancel by signal: 128 + the signal's number, as shells report it. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
const FINISHED: ReadonlyArray<JobRecord['state']> = ['completed', 'dead', 'cancelled'];

function sourcesOf(options: HistoryImportOptions): SourceParams[] {
  const given = options.source?.length ? options.source : ['nse'];
  const baseUrl = options['base-url'];
  if (baseUrl !== undefined && !given.includes('nse')) throw new UsageError('--base-url is for the nse source: add --source nse');
  return given.map((source): SourceParams => {
    if (source === 'nse') return baseUrl === undefined ? { kind: 'nse' } : { kind: 'nse', baseUrl };
    const dir = path.resolve(source);
    let isFolder = false;
    try {
      isFolder = statSync(dir).isDirectory();
    } catch {
      /* missing: the same answer */
    }
    if (!isFolder) throw new UsageError(`--source takes nse or a folder of bhavcopies: there is no folder at ${dir}`);
    return { kind: 'folder', dir };
  });
}

/** The job's parameters from the options; a mistake is a UsageError (one line, exit 2). */
export function importParamsOf(options: HistoryImportOptions): HistoryImportInput {
  const from = dateOption(requireOption(options.from, 'from'), 'from')!;
  const to = dateOption(requireOption(options.to, 'to'), 'to')!;
  if (to < from) throw new UsageError(`--to (${to}) is before --from (${from})`);
  const params: HistoryImportInput = { from, to, sources: sourcesOf(options), force: options.force ?? false };
  if (options.rate !== undefined) params.rateLimitPerSecond = numberOption(options.rate, 'rate', 1, 0.01, 1000);
  return params;
}

/** A runner on the writer connection with its own serial queue, as the processor's service has. */
function jobHost(store: WriterStore, kinds: JobRegistry, onProgress: (job: JobRecord) => void) {
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive: Exclusive = <T>(fn: () => T) => {
    const next = queue.then(fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const runner = new JobRunner({
    db: store.db, kinds, exclusive, onProgress,
    onLog: (_level, message) => process.stderr.write(`breadth: ${message}\n`),
  });
  return { runner, exclusive };
}

export async function runHistoryImport(options: HistoryImportOptions): Promise<number> {
  const params = importParamsOf(options);
  const dbPath = options.db ? path.resolve(options.db) : defaultDatabasePath();
  // The calendar (holidays) and the data folder the app uses: the user's settings.
  const home = defaultUserDataDir();
  const settingsStore = new SettingsStore(path.join(home, SETTINGS_FILE), defaultSettings(path.join(home, 'live_data')));
  if (settingsStore.loadProblem) process.stderr.write(`breadth: ${settingsStore.loadProblem}\n`);
  const settings = settingsStore.get();
  const environment = () => ({ exchange: settings.exchange, dataDir: settings.dataDir, historicalFileName: settings.historicalFileName });

  let store: WriterStore;
  try {
    // Refused, in one line, while the app or `serve` writes the same database.
    store = openWriterStore(dbPath, { app: 'history import' });
  } catch (error) {
    process.stderr.write(`breadth: ${describeError(error)}\n`);
    return 1;
  }
  if (store.recovered) process.stderr.write(`breadth: the database was unusable (${store.recovered.reason}); moved to ${store.recovered.movedTo}\n`);

  const tty = process.stderr.isTTY === true;
  let jobId: number | null = null;
  let lastTenth = -1;
  let settle: (job: JobRecord) => void = () => undefined;
  const finished = new Promise<JobRecord>((resolve) => (settle = resolve));
  const onProgress = (job: JobRecord) => {
    if (job.id !== jobId) return;
    if (FINISHED.includes(job.state)) {
      if (tty) process.stderr.write('\r\x1b[2K');
      settle(job);
      return;
    }
    if (job.state !== 'running' || job.progress.total === 0) return;
    if (tty) {
      process.stderr.write(`\r\x1b[2K${progressLine(job)}`);
    } else {
      // Plain lines for a log: one per tenth of the way.
      const tenth = Math.floor(job.progress.percent / 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`${progressLine(job)}\n`);
      }
    }
  };
  const kinds = new JobRegistry([historyImportJob({ environment })]);
  const { runner, exclusive } = jobHost(store, kinds, onProgress);

  // The first Ctrl+C (or SIGTERM) cancels; a second one leaves at once, the job left to resume.
  let signal: NodeJS.Signals | null = null;
  const onSignal = (received: NodeJS.Signals) => {
    if (signal !== null) {
      process.stderr.write(`\nbreadth: stopped at once; the import resumes where it stopped at the next start\n`);
      process.exit(1);
    }
    signal = received;
    if (jobId !== null) void exclusive(() => runner.cancel(jobId!)).catch(() => undefined);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = performance.now();
  try {
    // One attempt: a whole-job failure (the archive down, a folder gone) ends the command with its
    // reason rather than a retry minutes later; the job stays listed as dead in the app.
    const job = await exclusive(() => {
      runner.open();
      return runner.start({ kind: HISTORY_IMPORT_KIND, params, maxAttempts: 1 });
    });
    jobId = job.id;
    if (signal !== null) await exclusive(() => runner.cancel(job.id));
    const end = await finished;
    const seconds = (performance.now() - started) / 1000;
    const { failures } = await exclusive(() => runner.detail(end.id));
    if (end.state === 'completed') {
      process.stdout.write(summaryTable(end, failures, seconds));
      return 0;
    }
    if (end.state === 'cancelled') {
      const days = end.progress.done;
      process.stderr.write(`breadth: import cancelled; ${days} of ${end.progress.total} items were done and are kept (a new import skips them)\n`);
      return SIGNAL_EXIT[signal ?? 'SIGINT'] ?? 1;
    }
    process.stderr.write(`breadth: the import failed: ${end.lastError ?? 'unknown error'}\n`);
    return 1;
  } catch (error) {
    // A refusal of the request itself (bad parameters the options could not catch).
    process.stderr.write(`breadth: ${describeError(error)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await exclusive(() => runner.stop());
    store.close(); // checkpoints the WAL and releases the lock
  }
}
