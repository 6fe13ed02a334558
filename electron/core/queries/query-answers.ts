// From what the SQL gives (query-rows.ts) to what the API returns. The same functions finish
// a query on the main thread after the worker, and inside the synchronous BreadthQueries, so
// both give the same answers.
import type { DaySummary, StockRow } from '../../../shared/api';
import type { RejectedRow, RunRecord, RunStatus, RunTrigger, SeriesPoint, Snapshot } from '../../../shared/domain';
import { countFigures } from '../../../shared/breadth';
import type { HistoryDay } from '../../../shared/history/indicators';
import { boardStocks, type EncodedBoard } from '../../processor/store/quote-board';
import type { SeriesText, SnapshotRow } from './query-rows';

export function toSnapshot(r: SnapshotRow | null): Snapshot | null {
  if (!r) return null;
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

export function toSeries(text: SeriesText | null): SeriesPoint[] {
  if (!text) return [];
  const { tradeDate } = text;
  const c = JSON.parse(text.columns) as SeriesColumns;
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

/** The day's stock table: each symbol's latest quote, by symbol. */
export function toStocks(board: EncodedBoard | null): StockRow[] {
  if (!board) return [];
  // Bytes from a worker arrive as a plain Uint8Array; the board reads them as a Buffer.
  const bytes: Uint8Array = board.numbers;
  const numbers = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return boardStocks({ ...board, numbers });
}

export function toRuns(json: string): RunRecord[] {
  return (JSON.parse(json) as Array<Record<string, unknown>>).map((r) => ({
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

export function toRejections(json: string | null): RejectedRow[] {
  return json ? (JSON.parse(json) as RejectedRow[]) : [];
}

export function toDays(json: string): DaySummary[] {
  return (JSON.parse(json) as Array<Record<string, number | string | null>>).map((d) => ({
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

export function toHistory(json: string): HistoryDay[] {
  return JSON.parse(json) as HistoryDay[];
}
