// The dashboard's SQL on its own read-only connection (WAL lets it run while the processor
// writes). It runs in the query worker, off the main thread, and answers in the forms SQLite
// gives cheaply: one row, JSON text, the packed board. They cross to the main thread as strings
// and bytes, because a structured clone of objects costs the receiving thread ~1 µs per
// property: a day's series as 22,500 point objects took it 90–170 ms, its columnar JSON text 3.
import type Database from 'better-sqlite3';
import type { Sentiment } from '../../../shared/domain';
import { withLiveDay, type LiveDay } from '../../../shared/history/indicators';
import { readHistory, type HistoryRange } from '../../processor/history/store/read';
import { openReadDatabase } from '../../processor/store/database';
import type { EncodedBoard } from '../../processor/store/quote-board';

export interface SnapshotRow {
  trade_date: string; poll_time: string; advances: number; declines: number; unchanged: number; total: number;
  adv_pct: number; decl_pct: number; unch_pct: number; ad_diff: number; ad_ratio: number | null;
  up_volume: number | null; down_volume: number | null; volume_ratio: number | null; sentiment: Sentiment;
  universe: number; priced: number; missing: number; unknown: number; rejected: number;
  missing_symbols: string; unknown_symbols: string;
}

/** A day's series as SQLite builds it: one JSON document of columns (see `series`). */
export interface SeriesText {
  tradeDate: string;
  columns: string;
}

export class QueryRows {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(dbFile: string) {
    this.db = openReadDatabase(dbFile);
    this.stmt = {
      latestDate: this.db.prepare(`SELECT trade_date FROM snapshots ORDER BY trade_date DESC, poll_time DESC LIMIT 1`).pluck(),
      latest: this.db.prepare(`SELECT * FROM snapshots WHERE trade_date = ? ORDER BY poll_time DESC LIMIT 1`),
      // The day's series as one columnar JSON document built inside SQLite from the covering
      // index (migration 2): 22,500 rows of ten values cost ~110k crossings into JS one by one
      // (~60 ms with the GC they cause); one string and JSON.parse cost ~8 ms. Only the counts
      // are read; the percentages and ratios follow from them (countFigures). The ORDER BY
      // subquery is not flattened into the aggregate, so rows reach it in time order; the
      // answer still checks, as SQLite does not promise that.
      series: this.db
        .prepare(`SELECT json_object('pollTime', json_group_array(poll_time), 'advances', json_group_array(advances),
            'declines', json_group_array(declines), 'unchanged', json_group_array(unchanged),
            'volumeRatio', json_group_array(volume_ratio))
          FROM (SELECT poll_time, advances, declines, unchanged, volume_ratio
                FROM snapshots WHERE trade_date = ? ORDER BY poll_time)`)
        .pluck(),
      board: this.db.prepare(`SELECT symbols, sectors, times, numbers FROM quote_boards WHERE trade_date = ?`),
      runs: this.db.prepare(`SELECT * FROM runs WHERE id < ? ORDER BY id DESC LIMIT ?`),
      rejections: this.db.prepare(`SELECT rejected_rows FROM runs WHERE id = ?`).pluck(),
      days: this.db.prepare(`SELECT * FROM day_summary ORDER BY trade_date DESC`),
      lastHistoryDay: this.db.prepare(`SELECT MAX(trade_date) FROM history_days`).pluck(),
    };
  }

  private dateOrLatest(tradeDate?: string): string | null {
    return tradeDate ?? ((this.stmt.latestDate.get() as string | undefined) ?? null);
  }

  latestSnapshot(tradeDate?: string): SnapshotRow | null {
    const date = this.dateOrLatest(tradeDate);
    return date ? ((this.stmt.latest.get(date) as SnapshotRow | undefined) ?? null) : null;
  }

  series(tradeDate?: string): SeriesText | null {
    const date = this.dateOrLatest(tradeDate);
    return date ? { tradeDate: date, columns: this.stmt.series.get(date) as string } : null;
  }

  /** The day's latest quotes, packed as the writer stored them. */
  board(tradeDate?: string): EncodedBoard | null {
    const date = this.dateOrLatest(tradeDate);
    return date ? ((this.stmt.board.get(date) as EncodedBoard | undefined) ?? null) : null;
  }

  /** Rows of the run log as JSON text (see the header). */
  runs(limit = 100, beforeId = Number.MAX_SAFE_INTEGER): string {
    return JSON.stringify(this.stmt.runs.all(beforeId, limit));
  }

  /** The run's rejected rows as stored: JSON text, or null. */
  runRejections(runId: number): string | null {
    return (this.stmt.rejections.get(runId) as string | null | undefined) ?? null;
  }

  /** Rows of the day summaries as JSON text. */
  days(): string {
    return JSON.stringify(this.stmt.days.all());
  }

  /**
   * The daily history in [from, to] as JSON text (readHistory, the store's own reader), with the
   * latest intraday day as its provisional last point while its bhavcopy is not imported: counts
   * and volumes from that day's latest snapshot, the A/D line, EMAs and sums continued from the
   * last final day (withLiveDay). Its per-symbol figures stay null: they need every stock's last
   * 251 closes, which only the writer keeps in memory (reading them here costs 1–3 s).
   */
  history(range: HistoryRange = {}): string {
    const live = this.liveDay(range.to);
    // Read to the last final day whenever the live point follows it: withLiveDay continues from there.
    const days = readHistory(this.db, live ? {} : { to: range.to });
    const all = live ? withLiveDay(days, live) : days;
    const from = range.from;
    return JSON.stringify(from === undefined ? all : all.filter((d) => d.tradeDate >= from));
  }

  /** The latest intraday day when it comes after every imported day and within `to`. */
  private liveDay(to: string | undefined): LiveDay | null {
    const date = this.stmt.latestDate.get() as string | undefined;
    if (!date || (to !== undefined && date > to)) return null;
    const lastFinal = this.stmt.lastHistoryDay.get() as string | null;
    if (lastFinal !== null && lastFinal >= date) return null;
    const s = this.latestSnapshot(date);
    if (!s) return null;
    return { tradeDate: date, advances: s.advances, declines: s.declines, unchanged: s.unchanged, upVolume: s.up_volume, downVolume: s.down_volume };
  }

  close(): void {
    this.db.close();
  }
}
