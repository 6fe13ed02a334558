import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  changeSince,
  chartPointsOf,
  downsampleMinMax,
  formatExchangeTime,
  sectorBreadth,
  sessionDomain,
  sessionTicks,
  type ChartPoint,
} from './chart-data';
import type { SeriesPoint, Snapshot } from '../../../shared/domain';
import { countFigures } from '../../../shared/breadth';
import { NSE_PROFILE, type ExchangeProfile } from '../../../shared/market-calendar';

const OPEN = Date.parse('2026-11-20T03:45:00Z'); // 09:15 in Mumbai

/** A snapshot at `t` (epoch ms) with the given counts; the other figures follow from them. */
function snap(t: number, advances: number, declines: number, extra: Partial<Snapshot> = {}): Snapshot {
  const counts = countFigures(advances, declines, 10);
  const total = counts.total;
  return {
    ...counts,
    upVolume: null,
    downVolume: null,
    volumeRatio: null,
    sentiment: 'NEUTRAL',
    tradeDate: '2026-11-20',
    pollTime: new Date(t).toISOString(),
    coverage: { universe: total, priced: total, missing: 0, unknown: 0, rejected: 0, missingSymbols: [], unknownSymbols: [] },
    ...extra,
  };
}

/** The points of a whole series, built from nothing. */
const toChartPoints = (series: readonly SeriesPoint[]) => chartPointsOf(series).points;

/** Deterministic PRNG (mulberry32), so a failing random case can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

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

describe('sessionDomain', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('is the NSE session in UTC, whatever zone the computer is in', () => {
    process.env.TZ = 'America/Los_Angeles';
    const [open, close] = sessionDomain('2026-11-20', NSE_PROFILE);
    assert.equal(new Date(open).toISOString(), '2026-11-20T03:45:00.000Z');
    assert.equal(new Date(close).toISOString(), '2026-11-20T10:00:00.000Z');
  });

  it('falls back to the regular hours on a weekend or holiday', () => {
    const weekend = sessionDomain('2026-11-21', NSE_PROFILE); // Saturday
    assert.deepEqual(weekend.map((t) => new Date(t).toISOString()), ['2026-11-21T03:45:00.000Z', '2026-11-21T10:00:00.000Z']);
    const holiday = sessionDomain('2026-11-20', { ...NSE_PROFILE, holidays: ['2026-11-20'] });
    assert.deepEqual(holiday.map((t) => new Date(t).toISOString()), ['2026-11-20T03:45:00.000Z', '2026-11-20T10:00:00.000Z']);
  });

  it('spans every session of the day, extra ones included', () => {
    const profile: ExchangeProfile = {
      ...NSE_PROFILE,
      holidays: ['2026-11-09'],
      extraSessions: [
        { date: '2026-11-09', open: '18:00', close: '19:00', label: 'Muhurat' },
        { date: '2026-11-10', open: '18:00', close: '19:00', label: 'Evening' },
      ],
    };
    // A holiday with only a muhurat hour: the domain is that hour, where the snapshots are.
    assert.deepEqual(sessionDomain('2026-11-09', profile).map((t) => new Date(t).toISOString()), ['2026-11-09T12:30:00.000Z', '2026-11-09T13:30:00.000Z']);
    // A regular day with an evening session: from the open to the evening close.
    assert.deepEqual(sessionDomain('2026-11-10', profile).map((t) => new Date(t).toISOString()), ['2026-11-10T03:45:00.000Z', '2026-11-10T13:30:00.000Z']);
  });

  it('follows DST in the profile zone', () => {
    const nyse: ExchangeProfile = { ...NSE_PROFILE, name: 'NYSE', zone: 'America/New_York', sessionOpen: '09:30', sessionClose: '16:00' };
    assert.equal(new Date(sessionDomain('2026-03-06', nyse)[0]).toISOString(), '2026-03-06T14:30:00.000Z'); // EST
    assert.equal(new Date(sessionDomain('2026-03-09', nyse)[0]).toISOString(), '2026-03-09T13:30:00.000Z'); // EDT
  });
});

describe('sessionTicks and formatExchangeTime', () => {
  const zone = 'Asia/Kolkata';

  it('ticks at the open, each whole hour and the close', () => {
    const ticks = sessionTicks(sessionDomain('2026-11-20', NSE_PROFILE), zone);
    assert.deepEqual(
      ticks.map((t) => formatExchangeTime(t, zone)),
      ['09:15', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '15:30'],
    );
  });

  it('does not repeat a start or end that is on the hour', () => {
    const start = Date.parse('2026-11-20T04:30:00Z'); // 10:00 IST
    const end = Date.parse('2026-11-20T06:30:00Z'); // 12:00 IST
    assert.deepEqual(sessionTicks([start, end], zone).map((t) => formatExchangeTime(t, zone)), ['10:00', '11:00', '12:00']);
    assert.deepEqual(sessionTicks([start, start], zone), [start]);
  });

  it('formats 24-hour exchange time, with or without seconds, in any computer zone', () => {
    const t = Date.parse('2026-11-20T09:59:07Z');
    assert.equal(formatExchangeTime(t, zone), '15:29');
    assert.equal(formatExchangeTime(t, zone, true), '15:29:07');
    assert.equal(formatExchangeTime(t, 'America/New_York', true), '04:59:07');
    assert.equal(formatExchangeTime(Date.parse('2026-11-20T18:35:00Z'), zone), '00:05');
    assert.equal(formatExchangeTime(Number.NaN, zone), '');
    assert.throws(() => formatExchangeTime(t, 'Mars/Olympus'), /Unknown time zone/);
  });
});

describe('sectorBreadth', () => {
  it('counts per sector, leaves out stocks without one, sorts by total then name', () => {
    const rows = sectorBreadth([
      { sector: 'IT', status: 'advance' },
      { sector: 'Banks', status: 'decline' },
      { sector: 'IT', status: 'decline' },
      { sector: 'Auto', status: 'unchanged' },
      { sector: null, status: 'advance' },
      { sector: '  ', status: 'advance' },
      { sector: 'Banks', status: 'advance' },
      { sector: 'IT ', status: 'unchanged' },
      { sector: 'Auto', status: 'advance' },
    ]);
    assert.deepEqual(rows, [
      { sector: 'IT', advances: 1, declines: 1, unchanged: 1, total: 3 },
      { sector: 'Auto', advances: 1, declines: 0, unchanged: 1, total: 2 },
      { sector: 'Banks', advances: 1, declines: 1, unchanged: 0, total: 2 },
    ]);
    assert.deepEqual(sectorBreadth([]), []);
  });
});

describe('changeSince', () => {
  const first = snap(OPEN, 30, 20, { volumeRatio: null });
  const latest = snap(OPEN + 60_000, 36, 14, { volumeRatio: 1.2 });

  it('is latest minus first, to two decimals', () => {
    assert.equal(changeSince(first, latest, 'advances'), 6);
    assert.equal(changeSince(first, latest, 'declines'), -6);
    assert.equal(changeSince(first, latest, 'adDiff'), 12);
    assert.equal(changeSince(first, latest, 'adRatio'), 1.07); // 2.57 − 1.5, not 1.0699999999999998
    assert.equal(changeSince(first, latest, 'advPct'), 10);
    assert.equal(changeSince(first, first, 'unchanged'), 0);
    assert.ok(Object.is(changeSince(snap(OPEN, 1, 3, { advPct: 0.1 + 0.2 }), snap(OPEN, 1, 3, { advPct: 0.3 }), 'advPct'), 0), 'no -0');
  });

  it('is null when a snapshot or a value is missing', () => {
    assert.equal(changeSince(undefined, latest, 'advances'), null);
    assert.equal(changeSince(first, null, 'advances'), null);
    assert.equal(changeSince(first, latest, 'volumeRatio'), null); // first has none
    assert.equal(changeSince(latest, first, 'volumeRatio'), null); // latest has none
    assert.equal(changeSince(snap(OPEN, 5, 0), latest, 'adRatio'), null); // no declines: no ratio
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
