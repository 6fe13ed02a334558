// The `history-import` job kind: a range of sessions' bhavcopies fetched through the sources
// (a folder, NSE's archive, in order) and stored with importDay, one day per chunk, then the
// per-symbol figures (% above averages, 52-week highs/lows) brought up to date in chunks too, so
// a live cycle never waits for more than one short piece of it. Registered in jobs/kinds.ts; the
// CLI runs the same kind in-process. How to use it and what each outcome means: docs/history-import.md.
import { statSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { HistoryUniverse } from '../../../shared/history/indicators';
import { tradingDaysBetween } from '../../../shared/history/trading-days';
import { JobFatalError, type JobContext, type JobHandler } from '../jobs/handler';
import { historicalWorkbookSymbols } from './historical-universe';
import type { ImportEnvironment } from './import-environment';
import { historyImportParamsSchema, type HistoryImportParams } from './import-params';
import { importSummary, NOT_PUBLISHED, recordDay, type HistoryImportResult } from './import-summary';
import { FolderSource, NseArchiveSource, SourceChain, SourceError, type BhavcopySource, type FetchOutcome, type NseArchiveOptions } from './sources';
import { currentWindows, historyStatus, importDay, recomputeIndicators } from './store';

export const HISTORY_IMPORT_KIND = 'history-import';
/** Downloads are kept beside the database, in this folder: nothing is downloaded twice. */
export const CACHE_FOLDER = 'bhavcopy-cache';
/** Items after the days that bring the per-symbol figures up to date, a few days at a time. */
export const INDICATORS_ITEM = 'indicators-';

/**
 * Days replayed or computed per indicators chunk. A day costs ~3–5 ms at 2,000 stocks on the
 * development machine (docs/history-import.md), so a chunk stays near 20 ms.
 */
export const INDICATOR_DAYS_PER_CHUNK = 5;

type Found = Extract<FetchOutcome, { kind: 'found' }>;

export interface HistoryImportJobOptions {
  /** The calendar and the data folder as the processor (or the CLI) has them now. */
  environment: () => ImportEnvironment;
  /** The archive's clock, jitter, backoff and breaker (tests); the job's params override rate, timeout and retries. */
  archive?: Partial<Omit<NseArchiveOptions, 'baseUrl' | 'cacheDir'>>;
  indicatorDaysPerChunk?: number;
}

/** What one attempt of a job works with: made by plan, used by prepare and apply. */
interface Attempt {
  signal: AbortSignal;
  sessions: string[];
  chain: BhavcopySource;
  archives: NseArchiveSource[];
  universe: HistoryUniverse;
}

export const isIndicatorsItem = (item: string): boolean => item.startsWith(INDICATORS_ITEM);

/** recomputeIndicators for at most `days` days: its budget counted in days rather than milliseconds. */
function recomputeDays(db: Database.Database, days: number) {
  let calls = 0;
  return recomputeIndicators(db, { budgetMs: days, clock: () => calls++ });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function historyImportJob(options: HistoryImportJobOptions): JobHandler<HistoryImportParams> {
  const daysPerChunk = options.indicatorDaysPerChunk ?? INDICATOR_DAYS_PER_CHUNK;
  // One job runs at a time in a processor, and plan starts each attempt: one attempt at a time.
  let attempt: Attempt | null = null;

  const attemptOf = (ctx: JobContext): Attempt => {
    if (!attempt || attempt.signal !== ctx.signal) throw new JobFatalError('The import was not planned in this attempt');
    return attempt;
  };

  async function universeOf(params: HistoryImportParams, env: ImportEnvironment): Promise<HistoryUniverse> {
    if ('series' in params.universe) return { series: params.universe.series };
    try {
      return { symbols: await historicalWorkbookSymbols(env.dataDir, env.historicalFileName), series: ['EQ'] };
    } catch (error) {
      throw new JobFatalError((error as Error).message);
    }
  }

  function sourcesOf(params: HistoryImportParams, ctx: JobContext): { chain: BhavcopySource; archives: NseArchiveSource[] } {
    const cacheDir = path.join(path.dirname(ctx.db.name), CACHE_FOLDER);
    const archives: NseArchiveSource[] = [];
    const sources = params.sources.map((source): BhavcopySource => {
      if (source.kind === 'folder') {
        let isFolder = false;
        try {
          isFolder = statSync(source.dir).isDirectory();
        } catch {
          /* missing or unreadable: the same answer */
        }
        // Every day would fail for this one reason: the attempt fails instead (and retries later).
        if (!isFolder) throw new JobFatalError(`The folder ${source.dir} does not exist`);
        return new FolderSource(source.dir);
      }
      const archive = new NseArchiveSource({
        ...options.archive,
        ...withoutUndefined({ rateLimitPerSecond: params.rateLimitPerSecond, timeoutMs: params.timeoutMs, retries: params.retries }),
        baseUrl: source.baseUrl,
        cacheDir,
      });
      archives.push(archive);
      return archive;
    });
    return { chain: sources.length === 1 ? sources[0]! : new SourceChain(sources), archives };
  }

  /**
   * Chunks for the per-symbol figures, when the days may leave some pending: there are stored
   * days and the windows in memory do not run up to the first day to import (a new process, an
   * earlier or replaced day). Enough chunks for a rebuild from the first stored day; those not
   * needed find nothing to do. Numbered on from any an earlier attempt of the job recorded.
   */
  function indicatorItems(db: Database.Database, jobId: number, todo: readonly string[]): string[] {
    const status = historyStatus(db);
    const inOrder = status.lastDate === null || (currentWindows(db) !== null && (todo.length === 0 || todo[0]! > status.lastDate));
    if (inOrder && status.indicatorsPendingFrom === null) return [];
    const chunks = Math.max(1, Math.ceil((status.days + todo.length) / daysPerChunk));
    const earlier = db.prepare(`SELECT COUNT(*) FROM job_items WHERE job_id = ? AND item_key LIKE '${INDICATORS_ITEM}%'`).pluck().get(jobId) as number;
    return Array.from({ length: chunks }, (_, i) => `${INDICATORS_ITEM}${earlier + i + 1}`);
  }

  return {
    kind: HISTORY_IMPORT_KIND,

    parse: (params) => historyImportParamsSchema.parse(params),

    async plan(params, ctx) {
      const env = options.environment();
      // Only sessions: a weekend or a listed holiday is never asked for.
      const sessions = tradingDaysBetween(params.from, params.to, env.exchange);
      const universe = await universeOf(params, env);
      const { chain, archives } = sourcesOf(params, ctx);
      const done = new Set(ctx.db.prepare(`SELECT item_key FROM job_items WHERE job_id = ? AND state = 'done'`).pluck().all(ctx.jobId) as string[]);
      const todo = sessions.filter((day) => !done.has(day));
      attempt = { signal: ctx.signal, sessions, chain, archives, universe };
      return [...sessions, ...indicatorItems(ctx.db, ctx.jobId, todo)];
    },

    async prepare(item, _params, ctx) {
      if (isIndicatorsItem(item)) return null;
      const a = attemptOf(ctx);
      let outcome: FetchOutcome;
      try {
        outcome = await a.chain.fetchDay(item, ctx.signal);
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        // The archive paused after failures in a row: the days after this one would fail at once.
        if (error instanceof SourceError && a.archives.some((archive) => archive.breakerState === 'open')) {
          // The failure that opens the breaker names only itself: say what it means for the job.
          throw new JobFatalError(/\bpaused after\b/.test(error.message) ? error.message : `${error.message}; NSE's archive is paused after failures in a row`);
        }
        throw error;
      }
      if (outcome.kind === 'not-published') throw new Error(`${NOT_PUBLISHED}: ${outcome.detail}`);
      return outcome;
    },

    apply(item, prepared, params, ctx) {
      if (isIndicatorsItem(item)) {
        recomputeDays(ctx.db, daysPerChunk);
        return;
      }
      const a = attemptOf(ctx);
      const found = prepared as Found;
      const outcome = importDay(ctx.db, found.bhavcopy, { universe: a.universe, source: found.source, contentHash: found.contentHash, force: params.force });
      recordDay(ctx.db, ctx.jobId, item, outcome, found);
    },

    finish(_params, ctx): HistoryImportResult {
      const a = attemptOf(ctx);
      // Normally nothing is left after the chunks; should any be, it is done here.
      const { pendingFrom } = recomputeIndicators(ctx.db);
      attempt = null;
      return importSummary(ctx.db, ctx.jobId, a.sessions, pendingFrom);
    },
  };
}
