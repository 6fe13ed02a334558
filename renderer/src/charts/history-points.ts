// The History view's data: which days a range shows, the live point kept current from pushed
// snapshots (the same withLiveDay the host uses), and date labels. Pure: no clock, no I/O.
import { DateTime } from 'luxon';
import type { Snapshot } from '../../../shared/domain';
import { withLiveDay, type HistoryDay } from '../../../shared/history/indicators';

export type HistoryRangeKey = '1M' | '3M' | '6M' | '1Y' | 'all';
export const HISTORY_RANGES: ReadonlyArray<{ key: HistoryRangeKey; label: string; months: number | null }> = [
  { key: '1M', label: '1M', months: 1 },
  { key: '3M', label: '3M', months: 3 },
  { key: '6M', label: '6M', months: 6 },
  { key: '1Y', label: '1Y', months: 12 },
  { key: 'all', label: 'All', months: null },
];

/** The first trade date a range shows, counted back from today's exchange date; undefined for all. */
export function rangeFrom(key: HistoryRangeKey, today: string): string | undefined {
  const months = HISTORY_RANGES.find((r) => r.key === key)?.months ?? null;
  if (months === null) return undefined;
  return DateTime.fromISO(today, { zone: 'UTC' }).minus({ months }).toISODate() ?? undefined;
}

/**
 * The history with a newer snapshot as its provisional last point, as the host computes it
 * (withLiveDay from the last final day). Null when the list holds no final day to continue from
 * (the range starts after it): then the host must be asked again.
 */
export function withLiveSnapshot(history: readonly HistoryDay[], snapshot: Snapshot): HistoryDay[] | null {
  const finals = history.filter((d) => !d.provisional);
  if (finals.length === 0) return null;
  const { tradeDate, advances, declines, unchanged, upVolume, downVolume } = snapshot;
  return withLiveDay(finals, { tradeDate, advances, declines, unchanged, upVolume, downVolume });
}

/**
 * The x axis's ticks: the first session of each month over a long range, of each week over a
 * short one, thinned to at most `maxTicks`; labelled "Nov '25" or "3 Nov". Sessions are evenly
 * spaced on the axis (no gaps for weekends), so the ticks are sessions, not calendar dates.
 */
export function dateTicks(days: ReadonlyArray<{ tradeDate: string }>, maxTicks = 12): { ticks: string[]; label: (tradeDate: string) => string } {
  const span = spanDays(days);
  const byMonth = span > 120;
  const periodOf = (d: string) => (byMonth ? d.slice(0, 7) : DateTime.fromISO(d, { zone: 'UTC' }).toFormat("kkkk-'W'WW"));
  const starts: string[] = [];
  let period = '';
  for (const { tradeDate } of days) {
    const p = periodOf(tradeDate);
    if (p !== period) starts.push(tradeDate);
    period = p;
  }
  // A first period cut short by the range starts mid-way: its first session is not a period's start.
  if (starts.length > 1 && days.length > 0 && periodOf(days[0]!.tradeDate) === periodOf(starts[0]!)) {
    const first = DateTime.fromISO(days[0]!.tradeDate, { zone: 'UTC' });
    const periodStart = byMonth ? first.startOf('month') : first.startOf('week');
    if (first.diff(periodStart, 'days').days > 3) starts.shift();
  }
  const stride = Math.max(1, Math.ceil(starts.length / maxTicks));
  const ticks = starts.filter((_, i) => i % stride === 0);
  const format = byMonth ? (span > 300 ? "LLL ''yy" : 'LLL') : 'd LLL';
  return { ticks, label: (d: string) => DateTime.fromISO(d, { zone: 'UTC' }).toFormat(format) };
}

/** "Fri 20 Nov 2026" for a tooltip. */
export function dateLabel(tradeDate: string): string {
  return DateTime.fromISO(tradeDate, { zone: 'UTC' }).toFormat('ccc d LLL yyyy');
}

/** Days between the first and last points, for the tick format. */
export function spanDays(history: ReadonlyArray<{ tradeDate: string }>): number {
  if (history.length < 2) return 0;
  return (Date.parse(history.at(-1)!.tradeDate) - Date.parse(history[0]!.tradeDate)) / 86_400_000;
}
