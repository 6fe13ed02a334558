// A day's series as chart points, with the cumulative A/D line on one-minute bars. Pure: no
// clocks, no I/O. renderer/src/charts: used only by the renderer; no DOM, React or Node, so its
// tests run under plain Node (scripts/run-tests.mjs).
import type { SeriesPoint } from '../../../shared/domain';

export interface ChartPoint {
  /** Poll time, epoch ms. */
  t: number;
  advances: number;
  declines: number;
  unchanged: number;
  /** advances / declines; null when nothing declines (a gap in the chart, not a spike). */
  adRatio: number | null;
  adDiff: number;
  /** Cumulative A/D line on one-minute bars; see `pushPoint`. */
  adLine: number;
  advPct: number;
}

const MINUTE_MS = 60_000;

/**
 * The one place a snapshot becomes a chart point: appends the point for `snapshot` at poll time
 * `t` (not before the last point's) to `points`. `lastTradeDate` is the trade date of the last
 * point; another trade date starts the A/D line afresh.
 *
 * `adLine` is the cumulative advance/decline line on ONE-MINUTE BARS, so it does not depend on
 * how often the feed is polled:
 *   - each exchange minute (the poll time floored to the whole minute) is one bar, and the bar's
 *     value is the adDiff of the LAST snapshot in that minute (the bar's close);
 *   - adLine at a point = the sum of the bar closes of every COMPLETED earlier minute of the
 *     series + this point's own adDiff.
 * So within a minute the line moves with the live adDiff, and once the minute is over it counts
 * once, whether it held 60 one-second polls or 12 five-second ones. Minutes with no snapshot add
 * nothing. The sum restarts when the trade date changes (the line is one session's).
 * The last point's adLine is (completed minutes) + its own adDiff, so the next point needs only
 * that point: in the same minute it replaces the live adDiff, in a later one the last point's
 * minute has completed and counts as it stands.
 */
function pushPoint(points: ChartPoint[], lastTradeDate: string | null, snapshot: SeriesPoint, t: number): void {
  const last = snapshot.tradeDate === lastTradeDate ? points.at(-1) : undefined;
  let adLine = snapshot.adDiff;
  if (last) {
    const sameMinute = Math.floor(t / MINUTE_MS) === Math.floor(last.t / MINUTE_MS);
    adLine = sameMinute ? last.adLine - last.adDiff + snapshot.adDiff : last.adLine + snapshot.adDiff;
  }
  points.push({
    t,
    advances: snapshot.advances,
    declines: snapshot.declines,
    unchanged: snapshot.unchanged,
    adRatio: snapshot.adRatio,
    adDiff: snapshot.adDiff,
    adLine,
    advPct: snapshot.advPct,
  });
}

/** Chart points and the series they were built from, so that a longer series can reuse them. */
export interface ChartPoints {
  readonly series: readonly SeriesPoint[];
  readonly points: readonly ChartPoint[];
  /** The trade date of the last point; null when there is none. */
  readonly tradeDate: string | null;
}

/** `after` is `before` plus one snapshot. The dashboard appends by copying the array, so the ends are enough. */
function extendsByOne(before: readonly SeriesPoint[], after: readonly SeriesPoint[]): boolean {
  return after.length === before.length + 1 && (before.length === 0 || (after[0] === before[0] && after.at(-2) === before.at(-1)));
}

/**
 * The chart points of `series` (in poll-time order; see pushPoint for the A/D line).
 *
 * When `series` is `previous.series` plus one pushed snapshot (the common case: a snapshot a
 * second on a 22,500-point day), the previous points are reused and only the new one is built.
 * Otherwise (a reload, another day, a snapshot earlier than the last point) the whole series is
 * built: snapshots whose pollTime does not parse are left out, out-of-order snapshots are sorted
 * by poll time first (stable). The same series as `previous` gives `previous` back.
 */
export function chartPointsOf(series: readonly SeriesPoint[], previous?: ChartPoints): ChartPoints {
  if (previous?.series === series) return previous;
  if (previous && extendsByOne(previous.series, series)) {
    const snapshot = series.at(-1)!;
    const t = Date.parse(snapshot.pollTime);
    if (!Number.isFinite(t)) return { ...previous, series };
    const last = previous.points.at(-1);
    if (!last || t >= last.t) {
      const points = previous.points.slice(); // a new array, so memoised charts see the change
      pushPoint(points, previous.tradeDate, snapshot, t);
      return { series, points, tradeDate: snapshot.tradeDate };
    }
  }
  let rows = series
    .map((snapshot) => ({ snapshot, t: Date.parse(snapshot.pollTime) }))
    .filter((row) => Number.isFinite(row.t));
  if (rows.some((row, i) => i > 0 && row.t < rows[i - 1]!.t)) rows = [...rows].sort((a, b) => a.t - b.t);
  const points: ChartPoint[] = [];
  let tradeDate: string | null = null;
  for (const { snapshot, t } of rows) {
    pushPoint(points, tradeDate, snapshot, t);
    tradeDate = snapshot.tradeDate;
  }
  return { series, points, tradeDate };
}
