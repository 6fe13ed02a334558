import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChartPoint } from './chart-points';
import { downsampleMinMax } from './downsample';
import { OPEN, random } from './test-support/series';

describe('downsampleMinMax', () => {
  const KEYS = ['advances', 'declines', 'adRatio', 'adLine', 'advPct'] as const;

  /** A session of 22,500 one-second polls, every figure a random walk; adRatio sometimes null. */
  function walk(seed: number, n = 22_500): ChartPoint[] {
    const rand = random(seed);
    const step = () => Math.round((rand() - 0.5) * 20);
    let advances = 1000;
    let declines = 1000;
    let adLine = 0;
    let advPct = 50;
    const points: ChartPoint[] = [];
    for (let i = 0; i < n; i++) {
      advances = Math.max(0, advances + step());
      declines = Math.max(0, declines + step());
      adLine += step();
      advPct = Math.min(100, Math.max(0, advPct + step() / 10));
      const adRatio = rand() < 0.01 || declines === 0 ? null : advances / declines;
      points.push({ t: OPEN + i * 1000, advances, declines, unchanged: 10, adRatio, adDiff: advances - declines, adLine, advPct });
    }
    return points;
  }

  function extremes(points: readonly ChartPoint[], key: keyof ChartPoint): [number, number] {
    let min = Infinity;
    let max = -Infinity;
    for (const p of points) {
      const v = p[key];
      if (v === null) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return [min, max];
  }

  it('keeps the highs and lows of every key of a 22,500-point random walk', () => {
    for (const seed of [1, 2, 3]) {
      const points = walk(seed);
      const out = downsampleMinMax(points, 500, KEYS);
      assert.ok(out.length <= 2000, `${out.length} points`);
      assert.ok(out.length <= 500, `${out.length} points (the budget holds for five keys)`);
      assert.ok(out.length > 100, `${out.length} points`);
      assert.equal(out[0], points[0]);
      assert.equal(out.at(-1), points.at(-1));
      for (let i = 1; i < out.length; i++) assert.ok(out[i]!.t > out[i - 1]!.t, 'in time order, no duplicates');
      for (const key of KEYS) {
        assert.deepEqual(extremes(out, key), extremes(points, key), `seed ${seed} ${key}`);
      }
    }
  });

  it('keeps each bucket’s extremes, not only the day’s', () => {
    // A spike in the middle of the morning survives however coarse the budget.
    const points = walk(4, 5000).map((p) => ({ ...p, adLine: 0 }));
    points[1234] = { ...points[1234]!, adLine: 99 };
    points[3456] = { ...points[3456]!, adLine: -99 };
    const out = downsampleMinMax(points, 20, ['adLine']);
    assert.ok(out.includes(points[1234]!) && out.includes(points[3456]!));
    // One key: at most 4 per bucket + the first and last point, within the budget.
    assert.ok(out.length <= 20, `${out.length} points`);
  });

  it('stays within 4 points per bucket + 2 for one key', () => {
    const points = walk(5);
    for (const maxPoints of [10, 101, 600, 2000]) {
      const out = downsampleMinMax(points, maxPoints, ['adLine']);
      const buckets = Math.floor((maxPoints - 2) / 4);
      assert.ok(out.length <= 4 * buckets + 2 && out.length <= maxPoints, `${maxPoints}: ${out.length}`);
      assert.deepEqual(extremes(out, 'adLine'), extremes(points, 'adLine'));
    }
  });

  it('returns a copy when there are few enough points', () => {
    const points = walk(6, 50);
    const out = downsampleMinMax(points, 50, KEYS);
    assert.notEqual(out, points);
    assert.deepEqual(out, points);
    assert.deepEqual(downsampleMinMax([], 10, KEYS), []);
  });

  it('always keeps the first and last point, even with a tiny budget or no keys', () => {
    const points = walk(7, 1000);
    for (const [maxPoints, keys] of [[0, KEYS], [3, ['advances']], [100, []]] as const) {
      const out = downsampleMinMax(points, maxPoints, keys);
      assert.equal(out[0], points[0]);
      assert.equal(out.at(-1), points.at(-1));
    }
  });

  it('is linear: 22,500 points × 5 keys in a few milliseconds', () => {
    const points = walk(8);
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      downsampleMinMax(points, 500, KEYS);
      best = Math.min(best, performance.now() - started);
    }
    assert.ok(best < 20, `${best.toFixed(2)} ms`); // typically well under 2 ms
  });
});
