// The history-import job's bookkeeping: each day's outcome, written in the day's own transaction
// (history_import_days, import-schema.ts), and the result summary read back from it and from the
// job's failed items at the end, so a job resumed after a crash reports every day exactly once.
import type Database from 'better-sqlite3';
import type { ImportOutcome } from './store';

/** A failed item's reason starts with this when no source had the day (a 404 on a session, no file in the folder). */
export const NOT_PUBLISHED = 'not published';

/** What a completed history-import job reports (JobRecord.result). */
export interface HistoryImportResult {
  /** Sessions in the range, per the exchange calendar. */
  sessions: number;
  imported: number;
  /** Already imported from identical content (and not forced). */
  skipped: number;
  /** Imported before from other content (or forced): replaced. */
  replaced: number;
  /** No source had the day: recorded as a failed item with reason "not published: …"; a retry asks again. */
  notPublished: number;
  /** Days that failed for any other reason (listed with their reasons by getJob). */
  failed: number;
  /** Days found per source, e.g. { folder: 20, nse: 230 }. */
  sources: Record<string, number>;
  /** Downloaded from NSE's archive by this job (zip bytes), not counting the cache. */
  bytesDownloaded: number;
  /** Days read from the download cache instead of the network. */
  fromCache: number;
  /** The first day whose per-symbol figures are still missing (null: all computed). */
  indicatorsPendingFrom: string | null;
}

export interface FoundDay {
  source: string;
  fromCache: boolean;
  bytes: number;
}

export function recordDay(db: Database.Database, jobId: number, tradeDate: string, outcome: ImportOutcome, found: FoundDay): void {
  db.prepare(`INSERT OR REPLACE INTO history_import_days (job_id, trade_date, outcome, source, from_cache, bytes)
    VALUES (?, ?, ?, ?, ?, ?)`).run(jobId, tradeDate, outcome, found.source, found.fromCache ? 1 : 0, found.bytes);
}

export function importSummary(db: Database.Database, jobId: number, sessions: readonly string[], indicatorsPendingFrom: string | null): HistoryImportResult {
  const result: HistoryImportResult = {
    sessions: sessions.length, imported: 0, skipped: 0, replaced: 0, notPublished: 0, failed: 0,
    sources: {}, bytesDownloaded: 0, fromCache: 0, indicatorsPendingFrom,
  };
  const planned = new Set(sessions);
  const days = db.prepare('SELECT trade_date AS tradeDate, outcome, source, from_cache AS fromCache, bytes FROM history_import_days WHERE job_id = ?')
    .all(jobId) as Array<{ tradeDate: string; outcome: ImportOutcome; source: string; fromCache: number; bytes: number }>;
  for (const day of days) {
    if (!planned.has(day.tradeDate)) continue;
    if (day.outcome === 'imported') result.imported++;
    else if (day.outcome === 'replaced') result.replaced++;
    else result.skipped++;
    result.sources[day.source] = (result.sources[day.source] ?? 0) + 1;
    if (day.fromCache) result.fromCache++;
    else if (day.source === 'nse') result.bytesDownloaded += day.bytes;
  }
  const failures = db.prepare(`SELECT item_key AS item, reason FROM job_items WHERE job_id = ? AND state = 'failed'`)
    .all(jobId) as Array<{ item: string; reason: string | null }>;
  for (const failure of failures) {
    if (!planned.has(failure.item)) continue;
    if (failure.reason?.startsWith(NOT_PUBLISHED)) result.notPublished++;
    else result.failed++;
  }
  return result;
}
