// The per-symbol figures of each stored day (% above the 50/200-day averages, new 52-week highs
// and lows), kept in history_indicators. They need every stock's last 251 closes, so the writer
// keeps those windows in memory: a day appended in date order costs one pass over its own rows,
// and rebuilding them after a restart or an out-of-order day is done in bounded chunks.
import type Database from 'better-sqlite3';
import {
  emptyWindows,
  advanceDay,
  type SymbolClose,
  type SymbolWindows,
} from '../../../../shared/history/indicators';

/** The windows through some stored day, per write connection (a new connection starts cold). */
const caches = new WeakMap<Database.Database, SymbolWindows>();

/**
 * The cached windows if they still mirror the stored days: their last day still has its figures.
 * Any change to a day at or before it deletes those (indicatorsChangedFrom), and an import that
 * moved the windows on but rolled back (an enclosing transaction) leaves its day without them.
 */
function currentCache(db: Database.Database): SymbolWindows | null {
  const windows = caches.get(db);
  if (!windows || windows.throughDate === null) return null;
  if (db.prepare('SELECT 1 FROM history_indicators WHERE trade_date = ?').get(windows.throughDate)) return windows;
  caches.delete(db);
  return null;
}

/**
 * Called in the import's transaction: figures from this day on are stale. Deleting the row of
 * the windows' last day also retires the windows (currentCache).
 */
export function indicatorsChangedFrom(db: Database.Database, tradeDate: string): void {
  db.prepare('DELETE FROM history_indicators WHERE trade_date >= ?').run(tradeDate);
}

const insertFigures = (db: Database.Database) =>
  db.prepare(`INSERT OR REPLACE INTO history_indicators (trade_date, pct_above_50, pct_above_200, new_highs, new_lows)
    VALUES (@tradeDate, @pctAbove50, @pctAbove200, @newHighs, @newLows)`);

/**
 * The fast path of an import in date order, in the import's transaction: when the day is the
 * newest stored and the windows hold every day before it, its figures are written now and the
 * windows move on. Otherwise the day stays pending for recomputeIndicators. Should the
 * transaction roll back, currentCache finds the windows ahead of the table and drops them.
 */
export function extendIfCurrent(db: Database.Database, tradeDate: string, stocks: readonly SymbolClose[]): boolean {
  const later = db.prepare('SELECT 1 FROM history_days WHERE trade_date > ? LIMIT 1').get(tradeDate);
  if (later) return false;
  const previous = (db.prepare('SELECT MAX(trade_date) AS d FROM history_days WHERE trade_date < ?').get(tradeDate) as { d: string | null }).d;
  const windows = previous === null ? emptyWindows() : currentCache(db);
  if (!windows || windows.throughDate !== previous) return false;
  insertFigures(db).run({ tradeDate, ...advanceDay(windows, tradeDate, stocks) });
  caches.set(db, windows);
  return true;
}

export interface RecomputeProgress {
  /** True when every stored day has its figures. */
  done: boolean;
  /** The first day still without figures, if any. */
  pendingFrom: string | null;
  /** Days whose figures this call wrote. */
  computed: number;
}

/**
 * Fills history_indicators for every pending day (a day without a row, and all after it). With a
 * budget it stops after the day that crosses it, so a job can interleave it with live cycles;
 * call again until done. The windows are rebuilt from the first stored day when they do not reach
 * the first pending one: days already figured are replayed, not rewritten.
 */
export function recomputeIndicators(
  db: Database.Database,
  options: { budgetMs?: number; clock?: () => number } = {},
): RecomputeProgress {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const firstPending = () =>
    (db.prepare(`SELECT MIN(d.trade_date) AS d FROM history_days d
      LEFT JOIN history_indicators i ON i.trade_date = d.trade_date WHERE i.trade_date IS NULL`).get() as { d: string | null }).d;
  const pendingFrom = firstPending();
  if (pendingFrom === null) return { done: true, pendingFrom: null, computed: 0 };

  // Pending days are always the newest (an import drops the figures from its day on) and valid
  // windows end at a figured day, so they end before the first pending one.
  const windows = currentCache(db) ?? emptyWindows();
  const days = (db.prepare('SELECT trade_date FROM history_days WHERE trade_date > ? ORDER BY trade_date').pluck().all(windows.throughDate ?? '') as string[]);
  const closesOf = db.prepare('SELECT symbol, close_paise FROM history_closes WHERE trade_date = ?').raw();
  const insert = insertFigures(db);
  let computed = 0;
  for (const tradeDate of days) {
    const stocks: SymbolClose[] = (closesOf.all(tradeDate) as Array<[string, number]>).map(([symbol, paise]) => ({ symbol, close: paise / 100 }));
    const figures = advanceDay(windows, tradeDate, stocks);
    if (tradeDate >= pendingFrom) {
      insert.run({ tradeDate, ...figures });
      computed++;
    }
    caches.set(db, windows);
    if (options.budgetMs !== undefined && clock() - started >= options.budgetMs) break;
  }
  const stillPending = firstPending();
  return { done: stillPending === null, pendingFrom: stillPending, computed };
}

/**
 * The windows through the newest stored day, for the live day's per-symbol figures; null until
 * recomputeIndicators is done. Pass them to withLiveDay, which only reads them: they are the writer's state.
 */
export function currentWindows(db: Database.Database): SymbolWindows | null {
  const windows = currentCache(db);
  if (!windows) return null;
  const last = (db.prepare('SELECT MAX(trade_date) AS d FROM history_days').get() as { d: string | null }).d;
  return windows.throughDate === last ? windows : null;
}
