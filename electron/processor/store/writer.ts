// The only writer of the database. Each cycle is one transaction: stored whole or not at all.
import type Database from 'better-sqlite3';
import type { PricedSymbol, RejectedRow, RunRecord, RunStatus, RunTrigger, Snapshot, SourceFile } from '../../../shared/domain';

/** Rejected rows kept per run for the run log; the count is always exact. */
export const MAX_STORED_REJECTIONS = 500;

export interface RunInput {
  trigger: RunTrigger;
  startedAt: string;
  durationMs: number;
  tradeDate: string;
  message: string | null;
  live: SourceFile | null;
  historical: SourceFile | null;
  rowsRead: number;
  rowsValid: number;
  rejected: readonly RejectedRow[];
  contentHash: string | null;
}

interface StoredQuote {
  ltp: number;
  refPrice: number;
  volume: number | null;
}

interface DaySummaryRow {
  snapshots: number;
  adv_open: number; adv_high: number; adv_low: number;
  decl_open: number; decl_high: number; decl_low: number;
  diff_open: number; diff_high: number; diff_low: number;
  ratio_open: number | null; ratio_high: number | null; ratio_low: number | null;
  first_poll: string;
}

function maxOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
function minOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

export class BreadthWriter {
  /** Each symbol's last stored tick for the trade date in hand, to store only what changed. */
  private lastTicks = new Map<string, StoredQuote>();
  private lastTicksDate: string | null = null;
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      insertRun: db.prepare(`INSERT INTO runs (trigger, started_at, duration_ms, trade_date, status, message,
          live_path, live_mtime, live_size, historical_path, historical_mtime, historical_size,
          rows_read, rows_valid, rows_rejected, rejected_rows, content_hash, snapshot_id)
        VALUES (@trigger, @startedAt, @durationMs, @tradeDate, @status, @message,
          @livePath, @liveMtime, @liveSize, @historicalPath, @historicalMtime, @historicalSize,
          @rowsRead, @rowsValid, @rowsRejected, @rejectedRows, @contentHash, @snapshotId)`),
      insertSnapshot: db.prepare(`INSERT INTO snapshots (trade_date, poll_time, advances, declines, unchanged, total,
          adv_pct, decl_pct, unch_pct, ad_diff, ad_ratio, up_volume, down_volume, volume_ratio, sentiment,
          universe, priced, missing, unknown, rejected, missing_symbols, unknown_symbols)
        VALUES (@tradeDate, @pollTime, @advances, @declines, @unchanged, @total,
          @advPct, @declPct, @unchPct, @adDiff, @adRatio, @upVolume, @downVolume, @volumeRatio, @sentiment,
          @universe, @priced, @missing, @unknown, @rejected, @missingSymbols, @unknownSymbols)`),
      insertTick: db.prepare(`INSERT INTO ticks (snapshot_id, symbol, trade_date, ltp, ref_price, change_pct, volume)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      upsertLatest: db.prepare(`INSERT INTO latest_quotes (trade_date, symbol, snapshot_id, ltp, ref_price, change,
          change_pct, status, volume, open, high, low, sector, time)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (trade_date, symbol) DO UPDATE SET snapshot_id = excluded.snapshot_id, ltp = excluded.ltp,
          ref_price = excluded.ref_price, change = excluded.change, change_pct = excluded.change_pct,
          status = excluded.status, volume = excluded.volume, open = excluded.open, high = excluded.high,
          low = excluded.low, sector = excluded.sector, time = excluded.time`),
      latestQuotes: db.prepare(`SELECT symbol, ltp, ref_price AS refPrice, volume FROM latest_quotes WHERE trade_date = ?`),
      daySummary: db.prepare(`SELECT * FROM day_summary WHERE trade_date = ?`),
      upsertDay: db.prepare(`INSERT OR REPLACE INTO day_summary (trade_date, snapshots, first_poll, last_poll,
          adv_open, adv_high, adv_low, adv_last, decl_open, decl_high, decl_low, decl_last,
          diff_open, diff_high, diff_low, diff_last, ratio_open, ratio_high, ratio_low, ratio_last)
        VALUES (@tradeDate, @snapshots, @firstPoll, @lastPoll, @advOpen, @advHigh, @advLow, @advLast,
          @declOpen, @declHigh, @declLow, @declLast, @diffOpen, @diffHigh, @diffLow, @diffLast,
          @ratioOpen, @ratioHigh, @ratioLow, @ratioLast)`),
      lastHash: db.prepare(`SELECT content_hash AS hash FROM runs
        WHERE trade_date = ? AND status IN ('ok', 'unchanged') ORDER BY id DESC LIMIT 1`),
    };
  }

  /** The content hash of the last stored or deduplicated cycle of the day, if any. */
  lastContentHash(tradeDate: string): string | null {
    const row = this.stmt.lastHash.get(tradeDate) as { hash: string | null } | undefined;
    return row?.hash ?? null;
  }

  /**
   * Stores a cycle whole. `elapsedMs`, when given, is read as the run row is written, last in
   * the transaction, so the run log's duration covers the store as well as the read.
   */
  recordSnapshot(
    snapshot: Snapshot,
    symbols: readonly PricedSymbol[],
    run: RunInput,
    elapsedMs: () => number = () => run.durationMs,
  ): { runId: number; snapshotId: number; ticks: number } {
    return this.db.transaction(() => {
      const snapshotId = Number(this.stmt.insertSnapshot.run({
        ...snapshot,
        universe: snapshot.coverage.universe,
        priced: snapshot.coverage.priced,
        missing: snapshot.coverage.missing,
        unknown: snapshot.coverage.unknown,
        rejected: snapshot.coverage.rejected,
        missingSymbols: JSON.stringify(snapshot.coverage.missingSymbols),
        unknownSymbols: JSON.stringify(snapshot.coverage.unknownSymbols),
      }).lastInsertRowid);
      const ticks = this.writeTicks(snapshot.tradeDate, snapshotId, symbols);
      this.updateDaySummary(snapshot);
      const runId = this.insertRun({ ...run, durationMs: elapsedMs() }, 'ok', snapshotId);
      return { runId, snapshotId, ticks };
    }).call(this);
  }

  recordRun(run: RunInput, status: Exclude<RunStatus, 'ok'>): number {
    return this.insertRun(run, status, null);
  }

  private insertRun(run: RunInput, status: RunStatus, snapshotId: number | null): number {
    return Number(this.stmt.insertRun.run({
      trigger: run.trigger,
      startedAt: run.startedAt,
      durationMs: run.durationMs,
      tradeDate: run.tradeDate,
      status,
      message: run.message,
      livePath: run.live?.path ?? null,
      liveMtime: run.live?.modifiedAt ?? null,
      liveSize: run.live?.size ?? null,
      historicalPath: run.historical?.path ?? null,
      historicalMtime: run.historical?.modifiedAt ?? null,
      historicalSize: run.historical?.size ?? null,
      rowsRead: run.rowsRead,
      rowsValid: run.rowsValid,
      rowsRejected: run.rejected.length,
      rejectedRows: run.rejected.length ? JSON.stringify(run.rejected.slice(0, MAX_STORED_REJECTIONS)) : null,
      contentHash: run.contentHash,
      snapshotId,
    }).lastInsertRowid);
  }

  private ticksFor(tradeDate: string): Map<string, StoredQuote> {
    if (this.lastTicksDate !== tradeDate) {
      // After a restart, continue from what is stored so the day does not restart its ticks.
      const rows = this.stmt.latestQuotes.all(tradeDate) as Array<StoredQuote & { symbol: string }>;
      this.lastTicks = new Map(rows.map((r) => [r.symbol, { ltp: r.ltp, refPrice: r.refPrice, volume: r.volume }]));
      this.lastTicksDate = tradeDate;
    }
    return this.lastTicks;
  }

  private writeTicks(tradeDate: string, snapshotId: number, symbols: readonly PricedSymbol[]): number {
    const previous = this.ticksFor(tradeDate);
    const updates: Array<[string, StoredQuote]> = [];
    for (const s of symbols) {
      const last = previous.get(s.symbol);
      if (last && last.ltp === s.ltp && last.volume === s.volume && last.refPrice === s.refPrice) continue;
      this.stmt.insertTick.run(snapshotId, s.symbol, tradeDate, s.ltp, s.refPrice, s.changePct, s.volume);
      this.stmt.upsertLatest.run(tradeDate, s.symbol, snapshotId, s.ltp, s.refPrice, s.change, s.changePct,
        s.status, s.volume, s.open, s.high, s.low, s.sector, s.time);
      updates.push([s.symbol, { ltp: s.ltp, refPrice: s.refPrice, volume: s.volume }]);
    }
    // The cache follows the database only once the transaction commits; a rollback discards
    // the writer, see BreadthProcessor.
    for (const [symbol, quote] of updates) previous.set(symbol, quote);
    return updates.length;
  }

  /** Forget cached ticks (after a failed transaction, the cache may be ahead of the database). */
  resetCache(): void {
    this.lastTicksDate = null;
    this.lastTicks = new Map();
  }

  private updateDaySummary(s: Snapshot): void {
    const prev = this.stmt.daySummary.get(s.tradeDate) as DaySummaryRow | undefined;
    this.stmt.upsertDay.run({
      tradeDate: s.tradeDate,
      snapshots: (prev?.snapshots ?? 0) + 1,
      firstPoll: prev?.first_poll ?? s.pollTime,
      lastPoll: s.pollTime,
      advOpen: prev?.adv_open ?? s.advances,
      advHigh: Math.max(prev?.adv_high ?? s.advances, s.advances),
      advLow: Math.min(prev?.adv_low ?? s.advances, s.advances),
      advLast: s.advances,
      declOpen: prev?.decl_open ?? s.declines,
      declHigh: Math.max(prev?.decl_high ?? s.declines, s.declines),
      declLow: Math.min(prev?.decl_low ?? s.declines, s.declines),
      declLast: s.declines,
      diffOpen: prev?.diff_open ?? s.adDiff,
      diffHigh: Math.max(prev?.diff_high ?? s.adDiff, s.adDiff),
      diffLow: Math.min(prev?.diff_low ?? s.adDiff, s.adDiff),
      diffLast: s.adDiff,
      ratioOpen: prev ? prev.ratio_open : s.adRatio,
      ratioHigh: maxOf(prev?.ratio_high ?? null, s.adRatio),
      ratioLow: minOf(prev?.ratio_low ?? null, s.adRatio),
      ratioLast: s.adRatio,
    });
  }
}

export type { RunRecord };
