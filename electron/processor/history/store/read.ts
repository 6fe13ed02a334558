// Reading the daily history: the count-based series are computed here from every stored day
// (a few thousand rows at most, well under a millisecond), the per-symbol figures are read as
// stored. Read-only: works on the UI's read connection.
import type Database from 'better-sqlite3';
import { historyFromCounts, type DayCounts, type HistoryDay, type SymbolFigures } from '../../../../shared/history/indicators';

export interface HistoryRange {
  from?: string;
  to?: string;
}

type StoredDay = DayCounts & SymbolFigures;

/**
 * The days in [from, to], in date order. The A/D line, EMAs and sums run from the first stored
 * day whatever the range, so a range shows the same values as the whole. Per-symbol figures are
 * null where they do not exist yet, and also for a day still pending (historyStatus says which).
 */
export function readHistory(db: Database.Database, range: HistoryRange = {}): HistoryDay[] {
  const rows = db
    .prepare(`SELECT d.trade_date AS tradeDate, d.advances, d.declines, d.unchanged,
        d.up_volume AS upVolume, d.down_volume AS downVolume,
        i.pct_above_50 AS pctAbove50, i.pct_above_200 AS pctAbove200, i.new_highs AS newHighs, i.new_lows AS newLows
      FROM history_days d LEFT JOIN history_indicators i ON i.trade_date = d.trade_date
      WHERE d.trade_date <= ? ORDER BY d.trade_date`)
    .all(range.to ?? '9999-12-31') as StoredDay[];
  // A day without a history_indicators row reads as nulls through the outer join.
  const days = historyFromCounts(rows);
  const from = range.from;
  return from === undefined ? days : days.filter((d) => d.tradeDate >= from);
}

export interface HistoryStatus {
  days: number;
  firstDate: string | null;
  lastDate: string | null;
  /** The first day whose per-symbol figures are not computed yet; null when all are. */
  indicatorsPendingFrom: string | null;
}

export function historyStatus(db: Database.Database): HistoryStatus {
  return db
    .prepare(`SELECT COUNT(*) AS days, MIN(d.trade_date) AS firstDate, MAX(d.trade_date) AS lastDate,
        MIN(CASE WHEN i.trade_date IS NULL THEN d.trade_date END) AS indicatorsPendingFrom
      FROM history_days d LEFT JOIN history_indicators i ON i.trade_date = d.trade_date`)
    .get() as HistoryStatus;
}
