// Chart data for the dashboard: snapshots as chart points (with the cumulative A/D line),
// min/max downsampling that keeps every high and low, the session's time axis in the exchange
// zone, sector breadth and "since open" changes. Pure functions: no clocks, no I/O.
// renderer/src/charts: used only by the renderer; no DOM, React or Node, so its tests run under
// plain Node (scripts/run-tests.mjs).
import { DateTime, IANAZone } from 'luxon';
import { round2 } from '../../../shared/breadth';
import type { PricedSymbol, SeriesPoint, Snapshot } from '../../../shared/domain';
import { sessionsOn, type ExchangeProfile } from '../../../shared/market-calendar';

// ── chart points ────────────────────────────────────────────────────────────────────────────

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

// ── downsampling ────────────────────────────────────────────────────────────────────────────

/**
 * At most about `maxPoints` of `points`, in time order, keeping every high and low.
 *
 * The global first and last points are always kept; the points between them are cut into
 * `bucketCount` runs of consecutive points, and each run keeps its first and last point and,
 * for every key in `keys`, the point holding the run's minimum and the one holding its maximum
 * (nulls and NaN ignored; on ties the earliest). So the minimum and maximum of each key over the
 * output equal those over the input, and each line still passes through its extremes.
 *
 * A run keeps at most 2 + 2·k points (k = distinct keys), so bucketCount is chosen as
 * floor((maxPoints − 2) / (2 + 2·k)), at least 1: the output never holds more than
 * (2 + 2·k)·bucketCount + 2 points, which is ≤ maxPoints whenever maxPoints ≥ 4 + 2·k (with one
 * key: 4·bucketCount + 2). O(n·k) time, one pass per bucket. If points.length <= maxPoints the
 * result is a copy of `points`. The kept points are the input objects (not cloned).
 */
export function downsampleMinMax(
  points: readonly ChartPoint[],
  maxPoints: number,
  keys: ReadonlyArray<keyof ChartPoint>,
): ChartPoint[] {
  const n = points.length;
  if (n <= maxPoints || n <= 2) return points.slice();
  const fields = [...new Set(keys)];
  const budget = Number.isFinite(maxPoints) ? Math.floor(maxPoints) : 0;
  const interior = n - 2;
  const bucketCount = Math.min(interior, Math.max(1, Math.floor((budget - 2) / (2 + 2 * fields.length))));

  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  for (let b = 0; b < bucketCount; b++) {
    const start = 1 + Math.floor((b * interior) / bucketCount);
    const end = 1 + Math.floor(((b + 1) * interior) / bucketCount); // exclusive
    if (end <= start) continue;
    keep[start] = 1;
    keep[end - 1] = 1;
    for (const key of fields) {
      let minIndex = -1;
      let maxIndex = -1;
      let min = Infinity;
      let max = -Infinity;
      for (let i = start; i < end; i++) {
        const value = points[i]![key];
        if (value === null || value !== value) continue; // null or NaN
        if (value < min) {
          min = value;
          minIndex = i;
        }
        if (value > max) {
          max = value;
          maxIndex = i;
        }
      }
      if (minIndex >= 0) keep[minIndex] = 1;
      if (maxIndex >= 0) keep[maxIndex] = 1;
    }
  }
  const out: ChartPoint[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(points[i]!);
  return out;
}

// ── the session's time axis ─────────────────────────────────────────────────────────────────

function checkZone(zone: string): void {
  if (!IANAZone.create(zone).isValid) throw new Error(`Unknown time zone "${zone}"`);
}

/**
 * The chart's x domain for an exchange-local trade date (YYYY-MM-DD), epoch ms: the first
 * session's open to the last session's close (sessionsOn: the regular session and any extra ones,
 * so a muhurat-only day is that session's hour). With no session that day (a weekend or a
 * holiday) it is the profile's regular sessionOpen–sessionClose on that date in the profile's
 * zone. Throws on a bad date or zone, or (on the fallback) on unusable session hours.
 */
export function sessionDomain(tradeDate: string, profile: ExchangeProfile): [number, number] {
  const sessions = sessionsOn(tradeDate, profile);
  if (sessions.length > 0) {
    let open = Infinity;
    let close = -Infinity;
    for (const session of sessions) {
      open = Math.min(open, session.open.getTime());
      close = Math.max(close, session.close.getTime());
    }
    return [open, close];
  }
  const open = DateTime.fromISO(`${tradeDate}T${profile.sessionOpen.trim().padStart(5, '0')}`, { zone: profile.zone });
  const close = DateTime.fromISO(`${tradeDate}T${profile.sessionClose.trim().padStart(5, '0')}`, { zone: profile.zone });
  if (!open.isValid || !close.isValid || close <= open) {
    throw new Error(`${profile.name}: no usable session hours (${profile.sessionOpen}–${profile.sessionClose}) for ${tradeDate}`);
  }
  return [open.toMillis(), close.toMillis()];
}

/**
 * Axis ticks for a domain: its start, every whole hour of the exchange zone strictly inside it,
 * and its end, ascending and without duplicates (09:15, 10:00, 11:00, …, 15:00, 15:30 for NSE).
 */
export function sessionTicks(domain: [number, number], zone: string): number[] {
  checkZone(zone);
  const [start, end] = domain;
  if (!Number.isFinite(start) || !Number.isFinite(end)) return [];
  if (end <= start) return [start];
  const ticks = [start];
  let hour = DateTime.fromMillis(start, { zone }).startOf('hour').plus({ hours: 1 }).startOf('hour');
  while (hour.toMillis() < end) {
    if (hour.toMillis() > start) ticks.push(hour.toMillis());
    hour = hour.plus({ hours: 1 }).startOf('hour');
  }
  ticks.push(end);
  return ticks;
}

const pad2 = (value: number) => String(value).padStart(2, '0');

/** One formatter per zone: building Intl formatters (or luxon DateTimes) per call is slow on a table. */
const timeParts = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant's wall-clock time in the zone, 24-hour: 'HH:mm', or 'HH:mm:ss' with seconds
 * (always Latin digits, whatever the locale). '' for a non-finite instant; throws on an unknown
 * zone.
 */
export function formatExchangeTime(t: number, zone: string, withSeconds = false): string {
  checkZone(zone);
  if (!Number.isFinite(t)) return '';
  let format = timeParts.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
    timeParts.set(zone, format);
  }
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of format.formatToParts(t)) {
    if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
    else if (part.type === 'second') second = Number(part.value);
  }
  const hhmm = `${pad2(hour)}:${pad2(minute)}`;
  return withSeconds ? `${hhmm}:${pad2(second)}` : hhmm;
}

// ── sector breadth ──────────────────────────────────────────────────────────────────────────

export interface SectorBreadth {
  sector: string;
  advances: number;
  declines: number;
  unchanged: number;
  total: number;
}

/**
 * Advances, declines and unchanged per sector. Stocks without a sector (null or blank) are left
 * out; names are trimmed. Sorted by total, largest first, then by name.
 */
export function sectorBreadth(stocks: ReadonlyArray<Pick<PricedSymbol, 'sector' | 'status'>>): SectorBreadth[] {
  const bySector = new Map<string, SectorBreadth>();
  for (const stock of stocks) {
    const sector = stock.sector?.trim();
    if (!sector) continue;
    let row = bySector.get(sector);
    if (!row) {
      row = { sector, advances: 0, declines: 0, unchanged: 0, total: 0 };
      bySector.set(sector, row);
    }
    if (stock.status === 'advance') row.advances++;
    else if (stock.status === 'decline') row.declines++;
    else row.unchanged++;
    row.total++;
  }
  return [...bySector.values()].sort(
    (a, b) => b.total - a.total || (a.sector < b.sector ? -1 : a.sector > b.sector ? 1 : 0),
  );
}

// ── change since the first snapshot ─────────────────────────────────────────────────────────

/**
 * latest[key] − first[key], rounded to two decimals; null when either snapshot or either value
 * is missing (null, or not a finite number).
 */
export function changeSince(
  first: SeriesPoint | undefined,
  latest: Snapshot | null,
  key: 'advances' | 'declines' | 'unchanged' | 'adRatio' | 'adDiff' | 'advPct' | 'declPct' | 'unchPct' | 'volumeRatio',
): number | null {
  if (!first || !latest) return null;
  const from = first[key];
  const to = latest[key];
  if (from === null || to === null || !Number.isFinite(from) || !Number.isFinite(to)) return null;
  const change = round2(to - from);
  return change === 0 ? 0 : change; // never -0
}
