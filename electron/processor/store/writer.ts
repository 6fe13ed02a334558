// The only writer of the database. Each cycle is one transaction: stored whole or not at all.
import type Database from 'better-sqlite3';
import type { PricedSymbol, RejectedRow, RunRecord, RunStatus, RunTrigger, Snapshot, SourceFile } from '../../../shared/domain';
import { decodeBoard, encodeBoard, type BoardQuote, type EncodedBoard } from './quote-board';
import type { JournalEntry } from './journal';

/** What the writer stores of a priced symbol: its tick and its place on the board. */
export type StoredQuote = Pick<PricedSymbol, 'symbol' | 'ltp' | 'refPrice' | 'changePct' | 'volume' | 'open' | 'high' | 'low' | 'sector' | 'time'>;

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
  /**
   * The board of the trade date in hand: each symbol's latest quote. Its price, reference and
   * volume are also the symbol's last stored tick, so only what changed is stored as a tick.
   */
  private board = new Map<string, BoardQuote>();
  private boardDate: string | null = null;
  /** The board's symbols in order; null when a new symbol has joined since the last sort. */
  private boardOrder: string[] | null = null;
  private readonly stmt;
  /** A cycle's writes as one transaction, wrapped once rather than per call. */
  private readonly storeCycle: (snapshot: Snapshot, symbols: readonly StoredQuote[], run: RunInput, elapsedMs: () => number) => { runId: number; snapshotId: number; ticks: number };
  /** A journaled write, with its key, unless the key says it is stored already. */
  private readonly storeJournaled: { immediate: (entry: JournalEntry) => boolean };

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
      insertTick: db.prepare(`INSERT INTO ticks (snapshot_id, symbol, ltp, ref_price, change_pct, volume) VALUES (?, ?, ?, ?, ?, ?)`),
      saveBoard: db.prepare(`INSERT OR REPLACE INTO quote_boards (trade_date, snapshot_id, symbols, sectors, times, numbers)
        VALUES (@tradeDate, @snapshotId, @symbols, @sectors, @times, @numbers)`),
      loadBoard: db.prepare(`SELECT symbols, sectors, times, numbers FROM quote_boards WHERE trade_date = ?`),
      daySummary: db.prepare(`SELECT * FROM day_summary WHERE trade_date = ?`),
      upsertDay: db.prepare(`INSERT OR REPLACE INTO day_summary (trade_date, snapshots, first_poll, last_poll,
          adv_open, adv_high, adv_low, adv_last, decl_open, decl_high, decl_low, decl_last,
          diff_open, diff_high, diff_low, diff_last, ratio_open, ratio_high, ratio_low, ratio_last)
        VALUES (@tradeDate, @snapshots, @firstPoll, @lastPoll, @advOpen, @advHigh, @advLow, @advLast,
          @declOpen, @declHigh, @declLow, @declLast, @diffOpen, @diffHigh, @diffLow, @diffLast,
          @ratioOpen, @ratioHigh, @ratioLow, @ratioLast)`),
      lastHash: db.prepare(`SELECT content_hash AS hash FROM runs
        WHERE trade_date = ? AND status IN ('ok', 'unchanged') ORDER BY id DESC LIMIT 1`),
      journalApplied: db.prepare('SELECT 1 FROM journal_applied WHERE key = ?'),
      markJournalApplied: db.prepare('INSERT INTO journal_applied (key, applied_at) VALUES (?, ?)'),
      forgetJournalKeys: db.prepare('DELETE FROM journal_applied'),
    };
    this.storeCycle = db.transaction((snapshot: Snapshot, symbols: readonly StoredQuote[], run: RunInput, elapsedMs: () => number) => {
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
      this.saveBoard(snapshot.tradeDate, snapshotId);
      this.updateDaySummary(snapshot);
      const runId = this.insertRun({ ...run, durationMs: elapsedMs() }, 'ok', snapshotId);
      return { runId, snapshotId, ticks };
    });
    // IMMEDIATE: the key is read before anything is written, and a deferred transaction could
    // not then take the write lock after another process's commit (SQLITE_BUSY_SNAPSHOT).
    this.storeJournaled = db.transaction((entry: JournalEntry) => {
      if (this.stmt.journalApplied.get(entry.key)) return false;
      this.stmt.markJournalApplied.run(entry.key, new Date().toISOString());
      if (entry.kind === 'cycle') this.storeCycle(entry.snapshot, entry.quotes, entry.run, () => entry.run.durationMs);
      else this.insertRun(entry.run, entry.status, null);
      return true;
    });
  }

  /**
   * Stores a journaled cycle or run exactly once: its key goes in with its rows. False when an
   * earlier replay (cut short by a crash) already stored it.
   */
  applyJournalEntry(entry: JournalEntry): boolean {
    try {
      return this.storeJournaled.immediate(entry);
    } catch (error) {
      this.resetCache();
      throw error;
    }
  }

  /** Once the journal file is empty, the keys of its entries are no longer needed. */
  forgetJournalKeys(): void {
    this.stmt.forgetJournalKeys.run();
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
    symbols: readonly StoredQuote[],
    run: RunInput,
    elapsedMs: () => number = () => run.durationMs,
  ): { runId: number; snapshotId: number; ticks: number } {
    try {
      return this.storeCycle(snapshot, symbols, run, elapsedMs);
    } catch (error) {
      this.resetCache(); // the transaction rolled back; the board in memory may be ahead of it
      throw error;
    }
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

  private boardFor(tradeDate: string): Map<string, BoardQuote> {
    if (this.boardDate !== tradeDate) {
      // After a restart, continue from what is stored so the day does not restart its ticks.
      const stored = this.stmt.loadBoard.get(tradeDate) as EncodedBoard | undefined;
      this.board = new Map(stored ? decodeBoard(stored).map((q) => [q.symbol, q]) : []);
      this.boardOrder = null;
      this.boardDate = tradeDate;
    }
    return this.board;
  }

  private writeTicks(tradeDate: string, snapshotId: number, symbols: readonly StoredQuote[]): number {
    const board = this.boardFor(tradeDate);
    let ticks = 0;
    for (const s of symbols) {
      const last = board.get(s.symbol);
      if (!last || last.ltp !== s.ltp || last.volume !== s.volume || last.refPrice !== s.refPrice) {
        this.stmt.insertTick.run(snapshotId, s.symbol, s.ltp, s.refPrice, s.changePct, s.volume);
        ticks++;
      }
      // The board takes every field, so the stock table shows the latest time, high and low even
      // when no tick was stored. A rollback leaves it ahead of the database: recordSnapshot resets it.
      if (last) {
        // In place: the board lives all day, and a fresh object per quote per cycle would be
        // promoted to the old generation only to die a cycle later.
        last.ltp = s.ltp;
        last.refPrice = s.refPrice;
        last.volume = s.volume;
        last.open = s.open;
        last.high = s.high;
        last.low = s.low;
        last.sector = s.sector;
        last.time = s.time;
      } else {
        board.set(s.symbol, { symbol: s.symbol, ltp: s.ltp, refPrice: s.refPrice, volume: s.volume, open: s.open, high: s.high, low: s.low, sector: s.sector, time: s.time });
        this.boardOrder = null;
      }
    }
    return ticks;
  }

  private saveBoard(tradeDate: string, snapshotId: number): void {
    const board = this.board;
    this.boardOrder ??= [...board.keys()].sort();
    const quotes = this.boardOrder.map((symbol) => board.get(symbol)!);
    this.stmt.saveBoard.run({ tradeDate, snapshotId, ...encodeBoard(quotes) });
  }

  /** Forget the cached board (after a failed transaction, it may be ahead of the database). */
  private resetCache(): void {
    this.boardDate = null;
    this.board = new Map();
    this.boardOrder = null;
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
