// Reading the daily history: the count-based series are computed here from every stored day
// (a few thousand rows at most, well under a millisecond), the per-symbol figures are read as
// stored. Read-only: works on the UI's read connection.
import type Database from 'better-sqlite3';
import { historyFromCounts, type HistoryDay, type SymbolFigures } from '../../../../shared/history/indicators';

export interface HistoryRange {
  from?: string;
  to?: string;
}

interface StoredDay {
  tradeDate: string;
  advances: number;
  declines: number;
  unchanged: number;
  upVolume: number | null;
  downVolume: number | null;
  figured: 0 | 1;
  pctAbove50: number | null;
  pctAbove200: number | null;
  newHighs: number | null;
  newLows: number | null;
}

/**
 * The days in [from, to], in date order. The A/D line, EMAs and sums run from the first stored
 * day whatever the range, so a range shows the same values as the whole. Per-symbol figures are
 * null where they do not exist yet, and also for a day still pending (historyStatus says which).
 */
export function readHistory(db: Database.Database, range: HistoryRange = {}): HistoryDay[] {
  const rows = db
    .prepare(`SELECT d.trade_date AS tradeDate, d.advances, d.declines, d.unchanged,
        d.up_volume AS upVolume, d.down_volume AS downVolume, i.trade_date IS NOT NULL AS figured,
        i.pct_above_50 AS pctAbove50, i.pct_above_200 AS pctAbove200, i.new_highs AS newHighs, i.new_lows AS newLows
      FROM history_days d LEFT JOIN history_indicators i ON i.trade_date = d.trade_date
      WHERE d.trade_date <= ? ORDER BY d.trade_date`)
    .all(range.to ?? '9999-12-31') as StoredDay[];
  const days = historyFromCounts(
    rows.map((r) => {
      const symbolFigures: SymbolFigures | null = r.figured
        ? { pctAbove50: r.pctAbove50, pctAbove200: r.pctAbove200, newHighs: r.newHighs, newLows: r.newLows }
        : null;
      return { tradeDate: r.tradeDate, advances: r.advances, declines: r.declines, unchanged: r.unchanged, upVolume: r.upVolume, downVolume: r.downVolume, symbolFigures };
    }),
  );
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
