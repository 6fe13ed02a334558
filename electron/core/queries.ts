// Read-only queries for the dashboard, on their own connection: WAL lets them run while the
// processor writes, so the UI never waits on a cycle.
import type Database from 'better-sqlite3';
import type { DaySummary, Movers, StockRow } from '../../shared/api';
import type { RejectedRow, RunRecord, RunStatus, RunTrigger, SeriesPoint, Sentiment, Snapshot } from '../../shared/domain';
import { countFigures, topMovers } from '../../shared/breadth';
import { openReadDatabase } from '../processor/store/database';
import { boardStocks, type EncodedBoard } from '../processor/store/quote-board';

interface SnapshotRow {
  trade_date: string; poll_time: string; advances: number; declines: number; unchanged: number; total: number;
  adv_pct: number; decl_pct: number; unch_pct: number; ad_diff: number; ad_ratio: number | null;
  up_volume: number | null; down_volume: number | null; volume_ratio: number | null; sentiment: Sentiment;
  universe: number; priced: number; missing: number; unknown: number; rejected: number;
  missing_symbols: string; unknown_symbols: string;
}

function toSnapshot(r: SnapshotRow): Snapshot {
  return {
    tradeDate: r.trade_date, pollTime: r.poll_time, advances: r.advances, declines: r.declines,
    unchanged: r.unchanged, total: r.total, advPct: r.adv_pct, declPct: r.decl_pct, unchPct: r.unch_pct,
    adDiff: r.ad_diff, adRatio: r.ad_ratio, upVolume: r.up_volume, downVolume: r.down_volume,
    volumeRatio: r.volume_ratio, sentiment: r.sentiment,
    coverage: {
      universe: r.universe, priced: r.priced, missing: r.missing, unknown: r.unknown, rejected: r.rejected,
      missingSymbols: JSON.parse(r.missing_symbols) as string[],
      unknownSymbols: JSON.parse(r.unknown_symbols) as string[],
    },
  };
}

interface SeriesColumns {
  pollTime: string[];
  advances: number[];
  declines: number[];
  unchanged: number[];
  volumeRatio: Array<number | null>;
}

function seriesFromColumns(tradeDate: string, c: SeriesColumns): SeriesPoint[] {
  const points: SeriesPoint[] = new Array(c.pollTime.length);
  let ordered = true;
  for (let i = 0; i < points.length; i++) {
    const f = countFigures(c.advances[i]!, c.declines[i]!, c.unchanged[i]!);
    points[i] = {
      tradeDate, pollTime: c.pollTime[i]!, advances: f.advances, declines: f.declines, unchanged: f.unchanged,
      advPct: f.advPct, declPct: f.declPct, unchPct: f.unchPct, adDiff: f.adDiff, adRatio: f.adRatio,
      volumeRatio: c.volumeRatio[i]!,
    };
    if (i > 0 && c.pollTime[i]! < c.pollTime[i - 1]!) ordered = false;
  }
  // ISO-8601 UTC strings of one format sort as text.
  return ordered ? points : points.sort((a, b) => (a.pollTime < b.pollTime ? -1 : a.pollTime > b.pollTime ? 1 : 0));
}

export class BreadthQueries {
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
      // subquery is not flattened into the aggregate, so rows reach it in time order; series()
      // still checks, as SQLite does not promise that.
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
    };
  }

  private dateOrLatest(tradeDate?: string): string | null {
    return tradeDate ?? ((this.stmt.latestDate.get() as string | undefined) ?? null);
  }

  latestSnapshot(tradeDate?: string): Snapshot | null {
    const date = this.dateOrLatest(tradeDate);
    if (!date) return null;
    const row = this.stmt.latest.get(date) as SnapshotRow | undefined;
    return row ? toSnapshot(row) : null;
  }

  series(tradeDate?: string): SeriesPoint[] {
    const date = this.dateOrLatest(tradeDate);
    if (!date) return [];
    const columns = JSON.parse(this.stmt.series.get(date) as string) as SeriesColumns;
    return seriesFromColumns(date, columns);
  }

  /** The day's stock table: each symbol's latest quote, by symbol. */
  latestStocks(tradeDate?: string): StockRow[] {
    const date = this.dateOrLatest(tradeDate);
    const board = date ? (this.stmt.board.get(date) as EncodedBoard | undefined) : undefined;
    return board ? boardStocks(board) : [];
  }

  movers(tradeDate?: string, limit = 10): Movers {
    return topMovers(this.latestStocks(tradeDate), limit);
  }

  runs(limit = 100, beforeId = Number.MAX_SAFE_INTEGER): RunRecord[] {
    return (this.stmt.runs.all(beforeId, limit) as Array<Record<string, unknown>>).map((r) => ({
      id: r.id as number,
      trigger: r.trigger as RunTrigger,
      startedAt: r.started_at as string,
      durationMs: r.duration_ms as number,
      tradeDate: r.trade_date as string,
      status: r.status as RunStatus,
      message: (r.message as string | null) ?? null,
      live: r.live_path ? { path: r.live_path as string, modifiedAt: r.live_mtime as string, size: r.live_size as number } : null,
      historical: r.historical_path
        ? { path: r.historical_path as string, modifiedAt: r.historical_mtime as string, size: r.historical_size as number }
        : null,
      rowsRead: r.rows_read as number,
      rowsValid: r.rows_valid as number,
      rowsRejected: r.rows_rejected as number,
      snapshotId: (r.snapshot_id as number | null) ?? null,
    }));
  }

  runRejections(runId: number): RejectedRow[] {
    const json = this.stmt.rejections.get(runId) as string | null | undefined;
    return json ? (JSON.parse(json) as RejectedRow[]) : [];
  }

  days(): DaySummary[] {
    return (this.stmt.days.all() as Array<Record<string, number | string | null>>).map((d) => ({
      tradeDate: d.trade_date as string,
      snapshots: d.snapshots as number,
      firstPoll: d.first_poll as string,
      lastPoll: d.last_poll as string,
      advances: { open: d.adv_open as number, high: d.adv_high as number, low: d.adv_low as number, last: d.adv_last as number },
      declines: { open: d.decl_open as number, high: d.decl_high as number, low: d.decl_low as number, last: d.decl_last as number },
      adDiff: { open: d.diff_open as number, high: d.diff_high as number, low: d.diff_low as number, last: d.diff_last as number },
      adRatio: { open: d.ratio_open as number | null, high: d.ratio_high as number | null, low: d.ratio_low as number | null, last: d.ratio_last as number | null },
    }));
  }

  close(): void {
    this.db.close();
  }
}
