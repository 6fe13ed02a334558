import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SeriesPoint, Snapshot } from '../../../shared/domain';
import { chartPointsOf } from './chart-points';
import { OPEN, random, snap } from './test-support/series';

/** The points of a whole series, built from nothing. */
const toChartPoints = (series: readonly SeriesPoint[]) => chartPointsOf(series).points;

describe('chartPointsOf a whole series', () => {
  it('maps each snapshot to a point at its poll time', () => {
    const points = toChartPoints([snap(OPEN, 30, 20), snap(OPEN + 5000, 25, 0)]);
    assert.equal(points.length, 2);
    assert.deepEqual(points[0], { t: OPEN, advances: 30, declines: 20, unchanged: 10, adRatio: 1.5, adDiff: 10, adLine: 10, advPct: 50 });
    assert.equal(points[1]!.adRatio, null);
    assert.equal(points[1]!.t, OPEN + 5000);
  });

  it('adLine sums the last adDiff of each completed minute plus the live adDiff', () => {
    const points = toChartPoints([
      snap(OPEN, 15, 10), // 09:15:00 diff 5
      snap(OPEN + 30_000, 17, 10), // 09:15:30 diff 7: the 09:15 bar closes at 7
      snap(OPEN + 60_000, 10, 12), // 09:16:00 diff -2 → 7 + -2
      snap(OPEN + 119_000, 13, 10), // 09:16:59 diff 3 → 7 + 3; the 09:16 bar closes at 3
      snap(OPEN + 240_000, 10, 10), // 09:19:00 (09:17, 09:18 had no snapshot) diff 0 → 10 + 0
    ]);
    assert.deepEqual(points.map((p) => p.adLine), [5, 7, 5, 10, 10]);
  });

  it('adLine does not depend on the polling interval', () => {
    // The same per-minute closes polled every second and every five seconds; the values inside
    // each minute wander differently, only the minute's last reading counts once it is over.
    const minutes = 375; // 09:15–15:30
    const rand = random(7);
    const closes = Array.from({ length: minutes }, () => Math.floor(rand() * 200) - 100);
    const polled = (everySeconds: number) => {
      const series: Snapshot[] = [];
      const wander = random(everySeconds);
      for (let m = 0; m < minutes; m++) {
        for (let s = 0; s < 60; s += everySeconds) {
          const last = s + everySeconds >= 60;
          const diff = last ? closes[m]! : Math.floor(wander() * 400) - 200;
          series.push(snap(OPEN + m * 60_000 + s * 1000, 500 + diff, 500));
        }
      }
      return toChartPoints(series);
    };
    const fast = polled(1);
    const slow = polled(5);
    assert.equal(fast.length, minutes * 60);
    assert.equal(slow.length, minutes * 12);
    const expected = closes.reduce((sum, c) => sum + c, 0);
    assert.equal(fast.at(-1)!.adLine, expected);
    assert.equal(slow.at(-1)!.adLine, expected);
    // And at every minute's close, not only the last one.
    for (let m = 0; m < minutes; m++) assert.equal(fast[m * 60 + 59]!.adLine, slow[m * 12 + 11]!.adLine, `minute ${m}`);
  });

  it('restarts the line on a new trade date, skips unparseable times and sorts by poll time', () => {
    const points = toChartPoints([
      snap(OPEN + 60_000, 14, 10), // 09:16, diff 4
      snap(OPEN, 12, 10), // 09:15, diff 2 (out of order)
      snap(OPEN, 12, 10, { pollTime: 'not a time' }),
      snap(OPEN + 86_400_000, 11, 10, { tradeDate: '2026-11-21' }),
    ]);
    assert.deepEqual(points.map((p) => [p.t, p.adLine]), [[OPEN, 2], [OPEN + 60_000, 6], [OPEN + 86_400_000, 1]]);
    assert.deepEqual(toChartPoints([]), []);
  });
});

describe('chartPointsOf a series one snapshot longer', () => {
  /** A 400-snapshot day, a snapshot every 7 s, adDiff a sine wave: minutes of 8 or 9 polls. */
  const day = Array.from({ length: 400 }, (_, i) => snap(OPEN + i * 7_000, 100 + Math.round(Math.sin(i / 7) * 40), 100));

  /** Pushes the snapshots one at a time, as the dashboard does (a new array each time). */
  function pushed(snapshots: readonly Snapshot[]) {
    let built = chartPointsOf([]);
    let series: Snapshot[] = [];
    for (const s of snapshots) {
      series = [...series, s];
      built = chartPointsOf(series, built);
    }
    return built;
  }

  it('gives the same points as building the whole series', () => {
    assert.deepEqual(pushed(day).points, toChartPoints(day));
  });

  it('reuses the points already built and adds only the new one', () => {
    const before = chartPointsOf(day.slice(0, -1));
    const after = chartPointsOf(day, before);
    assert.notEqual(after.points, before.points, 'a new array, so memoised charts redraw');
    assert.equal(after.points.length, day.length);
    for (let i = 0; i < before.points.length; i++) assert.equal(after.points[i], before.points[i], `point ${i} is the same object`);
    assert.deepEqual(after.points.at(-1), toChartPoints(day).at(-1));
    assert.equal(chartPointsOf(day, after), after, 'the same series again: nothing rebuilt');
  });

  it('builds the whole series when the new snapshot does not simply extend it', () => {
    const earlier = snap(OPEN + 30_000, 90, 100); // before the last point: must be sorted in
    const late = [...day, earlier];
    assert.deepEqual(chartPointsOf(late, chartPointsOf(day)).points, toChartPoints(late));
    assert.equal(chartPointsOf(late, chartPointsOf(day)).points.length, day.length + 1);

    // Another day: the A/D line starts again from the new snapshot's own adDiff.
    const nextDay = snap(OPEN + 86_400_000, 107, 100, { tradeDate: '2026-11-21' });
    const withNextDay = [...day, nextDay];
    assert.equal(chartPointsOf(withNextDay, chartPointsOf(day)).points.at(-1)!.adLine, 7);
    assert.deepEqual(chartPointsOf(withNextDay, chartPointsOf(day)).points, toChartPoints(withNextDay));

    // A reloaded series of the same length + 1 (new objects): its own points, not the old ones.
    const reloaded = day.map((s) => ({ ...s, advances: s.advances + 1, adDiff: s.adDiff + 1 }));
    assert.deepEqual(chartPointsOf(reloaded, chartPointsOf(day.slice(0, -1))).points, toChartPoints(reloaded));
  });

  it('leaves out a new snapshot whose poll time does not parse', () => {
    const before = chartPointsOf(day);
    const after = chartPointsOf([...day, snap(OPEN, 1, 1, { pollTime: 'not a time' })], before);
    assert.equal(after.points, before.points);
    // And the next good snapshot still extends the line.
    const next = [...after.series, snap(OPEN + 400 * 7_000, 150, 100)];
    assert.deepEqual(chartPointsOf(next, after).points, toChartPoints(next));
  });
});
