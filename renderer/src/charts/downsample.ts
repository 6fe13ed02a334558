// Thinning a day's chart points to what a chart can draw, keeping every high and low. Pure.
import type { ChartPoint } from './chart-points';

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
