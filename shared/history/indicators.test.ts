// The daily history's math: counts by the intraday rules, the series on a hand-computed example,
// the 50/200-day and 52-week windows at their exact edges, every figure against an independent
// pandas implementation (fixtures/), and the live, provisional day.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BhavcopyRow } from './bhavcopy';
import { assertMatchesExpected, loadPandasFixture } from './fixtures/load';
import {
  breadthOf,
  computeHistory,
  countedStocks,
  dayBreadth,
  emptyWindows,
  advanceDay,
  withLiveDay,
  type DayBreadth,
  type HistoryInputDay,
  type HistoryUniverse,
} from './indicators';

const row = (symbol: string, series: string, close: number | null, prevClose: number | null, volume: number | null = 1): BhavcopyRow => ({
  symbol, series, open: null, high: null, low: null, close, prevClose, volume, turnover: null, isin: null,
});

const EQ: HistoryUniverse = { series: ['EQ'] };

describe('dayBreadth', () => {
  const rows = [
    row('ADV', 'EQ', 101, 100, 10),
    row('DEC', 'EQ', 99, 100, 20),
    row('UNCH', 'EQ', 100, 100, 5),
    row('NOISE', 'EQ', 100.001, 100, 3), // equal at two decimals, as intraday: unchanged
    row('BEADV', 'BE', 110, 100, 7),
    row('NOCLOSE', 'EQ', null, 100, 50),
    row('NOPREV', 'EQ', 100, null, 50),
    row('ZERO', 'EQ', 0, 100, 50),
    row('BOND', 'GS', 100.5, 100, 50),
  ];

  it('counts EQ stocks with a close and a previous close, close against previous close', () => {
    // ADV advances (10), DEC declines (20), UNCH and NOISE unchanged; the rest do not count.
    assert.deepEqual(dayBreadth(rows, EQ), { advances: 1, declines: 1, unchanged: 2, upVolume: 10, downVolume: 20 });
  });

  it('adds BE when the universe lists it', () => {
    assert.deepEqual(dayBreadth(rows, { series: ['EQ', 'BE'] }), { advances: 2, declines: 1, unchanged: 2, upVolume: 17, downVolume: 20 });
  });

  it('in symbols mode counts only the listed symbols, of the configured series (EQ by default)', () => {
    const symbols = new Set(['ADV', 'BEADV', 'NOPREV']);
    assert.deepEqual(dayBreadth(rows, { symbols }), { advances: 1, declines: 0, unchanged: 0, upVolume: 10, downVolume: 0 });
    assert.deepEqual(dayBreadth(rows, { symbols, series: ['EQ', 'BE'] }), { advances: 2, declines: 0, unchanged: 0, upVolume: 17, downVolume: 0 });
  });

  it('counts a symbol once: the series listed first wins', () => {
    const both = [row('TWICE', 'BE', 48, 49), row('TWICE', 'EQ', 50, 49)];
    assert.deepEqual(countedStocks(both, { series: ['EQ', 'BE'] }).map((s) => s.series), ['EQ']);
    assert.deepEqual(countedStocks(both, { series: ['BE', 'EQ'] }).map((s) => s.series), ['BE']);
    assert.equal(dayBreadth(both, { series: ['EQ', 'BE'] }).advances, 1);
  });

  it('leaves the volumes null when no counted stock reported one, and counts a missing one as none', () => {
    assert.deepEqual(dayBreadth([row('A', 'EQ', 2, 1, null), row('B', 'EQ', 1, 2, null)], EQ), {
      advances: 1, declines: 1, unchanged: 0, upVolume: null, downVolume: null,
    });
    assert.equal(dayBreadth([row('A', 'EQ', 2, 1, null), row('B', 'EQ', 3, 2, 4)], EQ).upVolume, 4);
  });
});

const counts = (advances: number, declines: number, unchanged: number): DayBreadth => ({ advances, declines, unchanged, upVolume: null, downVolume: null });
const day = (tradeDate: string, breadth: DayBreadth): HistoryInputDay => ({ tradeDate, breadth, stocks: [] });

/*
 * Four days by hand. EMA(α)_t = (1 − α)·EMA_{t−1} + α·x_t, both seeded with day 1's x.
 * RANA = (A − D) / (A + D) × 1000 (0 when A + D = 0).
 *
 *  day | A  D  U | net  A/D line  A/D  | EMA.1   EMA.05    osc       summation | RANA     EMA.1  EMA.05  osc     summation
 *  1   | 10 5  0 |  5    5        2    | 5       5          0         0        | 1000/3   1000/3 1000/3   0       0
 *  2   | 4  8  0 | -4    1        0.5  | 4.1     4.55      -0.45     -0.45     | -1000/3  800/3  300     -100/3  -100/3
 *  3   | 6  6  3 |  0    1        1    | 3.69    4.3225    -0.6325   -1.0825   | 0        240    285     -45     -235/3
 *  4   | 0  0  7 |  0    1        null | 3.321   4.106375  -0.785375 -1.867875 | 0        216    270.75  -54.75  -399.25/3
 */
const HAND = [day('2026-01-01', counts(10, 5, 0)), day('2026-01-02', counts(4, 8, 0)), day('2026-01-05', counts(6, 6, 3)), day('2026-01-06', counts(0, 0, 7))];
const HAND_EXPECTED = [
  { netAdvances: 5, adLine: 5, adRatio: 2, ema19: 5, ema39: 5, mcclellanOscillator: 0, summationIndex: 0, ema19RatioAdjusted: 1000 / 3, ema39RatioAdjusted: 1000 / 3, mcclellanRatioAdjusted: 0, summationRatioAdjusted: 0 },
  { netAdvances: -4, adLine: 1, adRatio: 0.5, ema19: 4.1, ema39: 4.55, mcclellanOscillator: -0.45, summationIndex: -0.45, ema19RatioAdjusted: 800 / 3, ema39RatioAdjusted: 300, mcclellanRatioAdjusted: -100 / 3, summationRatioAdjusted: -100 / 3 },
  { netAdvances: 0, adLine: 1, adRatio: 1, ema19: 3.69, ema39: 4.3225, mcclellanOscillator: -0.6325, summationIndex: -1.0825, ema19RatioAdjusted: 240, ema39RatioAdjusted: 285, mcclellanRatioAdjusted: -45, summationRatioAdjusted: -235 / 3 },
  { netAdvances: 0, adLine: 1, adRatio: null, ema19: 3.321, ema39: 4.106375, mcclellanOscillator: -0.785375, summationIndex: -1.867875, ema19RatioAdjusted: 216, ema39RatioAdjusted: 270.75, mcclellanRatioAdjusted: -54.75, summationRatioAdjusted: -399.25 / 3 },
];

function assertClose(actual: Record<string, unknown>, expected: Record<string, number | null>, label: string): void {
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key];
    if (want === null) assert.equal(got, null, `${label} ${key}`);
    else assert.ok(typeof got === 'number' && Math.abs(got - want) <= 1e-9, `${label} ${key}: got ${String(got)}, want ${want}`);
  }
}

describe('the series over days', () => {
  it('A/D line, McClellan oscillator and summation index, plain and ratio-adjusted, match the hand computation', () => {
    const history = computeHistory(HAND);
    HAND_EXPECTED.forEach((want, i) => assertClose(history[i]! as unknown as Record<string, unknown>, want, history[i]!.tradeDate));
    assert.ok(history.every((d) => d.provisional === false && d.pctAbove50 === null && d.newHighs === null));
  });

  it('needs the days in date order', () => {
    const windows = emptyWindows();
    advanceDay(windows, '2026-01-02', []);
    assert.throws(() => advanceDay(windows, '2026-01-02', []), /date order/);
    assert.throws(() => computeHistory([HAND[1]!, HAND[0]!]), /date order/);
  });
});

/** n sessions of closes: one entry per day, symbol → close (absent: not traded that day). */
function sessions(n: number, closeOf: (symbol: string, dayIndex: number) => number | null, symbols: string[]): HistoryInputDay[] {
  return Array.from({ length: n }, (_, i) => {
    const stocks = symbols.flatMap((symbol) => {
      const close = closeOf(symbol, i);
      return close === null ? [] : [{ symbol, close }];
    });
    return { tradeDate: `D${String(i + 1).padStart(4, '0')}`, breadth: counts(0, 0, stocks.length), stocks };
  });
}

describe('the per-symbol windows', () => {
  it('% above the 50-day average: null before 50 sessions, the 50th close counted, a tie is not above', () => {
    // X: 100 for 49 days, then 101: average (49·100 + 101)/50 = 100.02 < 101, above.
    // Y: 100 every day: average 100, not above. Z: from day 2, so 49 closes on day 50: not eligible.
    const days = sessions(50, (s, i) => (s === 'Z' && i === 0 ? null : s === 'X' && i === 49 ? 101 : 100), ['X', 'Y', 'Z']);
    const history = computeHistory(days);
    assert.equal(history[48]!.pctAbove50, null);
    assert.equal(history[49]!.pctAbove50, 50);
    assert.equal(history[49]!.pctAbove200, null);
  });

  it('% above the 200-day average uses exactly the last 200 closes', () => {
    // W: 300 on day 1, then 100 … 100, then 100.01 on day 201. The last 200 closes (days 2–201)
    // average 100.00005 < 100.01: above. With day 1 in the window it would be below.
    const days = sessions(201, (_s, i) => (i === 0 ? 300 : i === 200 ? 100.01 : 100), ['W']);
    const history = computeHistory(days);
    assert.equal(history[198]!.pctAbove200, null);
    assert.equal(history[199]!.pctAbove200, 0); // day 200: average 101 over days 1–200, 100 is below
    assert.equal(history[200]!.pctAbove200, 100);
  });

  it('new 52-week highs and lows: null before 252 sessions, then a close beyond the previous 251 closes', () => {
    // H: 100, except 120 on day 10; 119 on day 252, 119.5 on 253–260 and 119.55 on 261: 120 is
    // still among the previous 251 closes, no new high (a 250-close window would see one on 261).
    // 119.6 on day 262, whose previous 251 closes are days 11–261: a new high. L mirrors H.
    const high = (i: number) => (i === 9 ? 120 : i === 251 ? 119 : i >= 252 && i < 260 ? 119.5 : i === 260 ? 119.55 : i === 261 ? 119.6 : 100);
    const low = (i: number) => 200 - high(i);
    const days = sessions(262, (s, i) => (s === 'H' ? high(i) : low(i)), ['H', 'L']);
    const history = computeHistory(days);
    assert.equal(history[250]!.newHighs, null);
    assert.deepEqual([history[251]!.newHighs, history[251]!.newLows], [0, 0]);
    assert.ok(history.slice(252, 261).every((d) => d.newHighs === 0 && d.newLows === 0));
    assert.deepEqual([history[261]!.newHighs, history[261]!.newLows], [1, 1]);
  });

  it('a stock needs 251 earlier closes of its own for a new high', () => {
    // N lists on day 2 and rises every day: on day 252 it has 250 earlier closes, on 253 it has 251.
    const days = sessions(253, (s, i) => (s === 'N' ? (i === 0 ? null : 10 + i) : 50), ['N', 'F']);
    const history = computeHistory(days);
    assert.equal(history[251]!.newHighs, 0);
    assert.equal(history[252]!.newHighs, 1);
  });
});

describe('against pandas (fixtures/generate_indicators_fixture.py)', () => {
  const { bhavcopies, expected } = loadPandasFixture();
  for (const [name, universe] of [['EQ', { series: ['EQ'] }], ['EQ,BE', { series: ['EQ', 'BE'] }]] as const) {
    it(`every figure of every day agrees to 1e-9, universe ${name}`, () => {
      const days = bhavcopies.map((b) => {
        const stocks = countedStocks(b.rows, universe);
        return { tradeDate: b.tradeDate, breadth: breadthOf(stocks), stocks };
      });
      assertMatchesExpected(computeHistory(days), expected[name], assert.fail);
    });
  }
});

describe('withLiveDay', () => {
  const history = computeHistory(HAND.slice(0, 3));

  it('appends the live day as a provisional point that continues the EMAs and sums', () => {
    const live = withLiveDay(history, { tradeDate: '2026-01-06', ...counts(0, 0, 7) });
    assert.equal(live.length, 4);
    assert.equal(live[3]!.provisional, true);
    assertClose(live[3]! as unknown as Record<string, unknown>, HAND_EXPECTED[3]!, 'live');
    assert.deepEqual(live.slice(0, 3), history);
  });

  it('leaves the history as it is once the day is final (or the live day is older)', () => {
    assert.deepEqual(withLiveDay(history, { tradeDate: '2026-01-05', ...counts(1, 0, 0) }), history);
    assert.deepEqual(withLiveDay(history, { tradeDate: '2026-01-02', ...counts(1, 0, 0) }), history);
  });

  it('ignores a live price that is not a positive number', () => {
    const windows = emptyWindows();
    const before = computeHistory(sessions(60, () => 100, ['X', 'Y']), windows);
    const live = (prices: Map<string, number>) => withLiveDay(before, { tradeDate: 'D0061', ...counts(1, 0, 0), prices }, windows).at(-1)!;
    assert.equal(live(new Map([['X', 101], ['Y', 0]])).pctAbove50, 100);
    assert.equal(live(new Map([['X', 101], ['Y', Number.NaN]])).pctAbove50, 100);
    assert.equal(live(new Map([['X', 101], ['Y', 99]])).pctAbove50, 50);
  });

  it('seeds the series when there is no history yet', () => {
    const live = withLiveDay([], { tradeDate: '2026-01-01', ...counts(10, 5, 0) });
    assertClose(live[0]! as unknown as Record<string, unknown>, HAND_EXPECTED[0]!, 'first');
  });

  it('gives the per-symbol figures from today\'s prices the values the imported day will have', () => {
    const { bhavcopies } = loadPandasFixture();
    const days = bhavcopies.map((b) => {
      const stocks = countedStocks(b.rows, EQ);
      return { tradeDate: b.tradeDate, breadth: breadthOf(stocks), stocks };
    });
    const full = computeHistory(days);
    const last = days.at(-1)!;
    const windows = emptyWindows();
    const before = computeHistory(days.slice(0, -1), windows);
    const prices = new Map(last.stocks.map((s) => [s.symbol, s.close]));
    const live = withLiveDay(before, { tradeDate: last.tradeDate, ...last.breadth, prices }, windows).at(-1)!;
    assert.deepEqual({ ...live, provisional: false }, full.at(-1));
    assert.ok(live.newHighs !== null && live.pctAbove200 !== null);
    // Without prices, or with windows that do not end where the history does: null.
    const noPrices = withLiveDay(before, { tradeDate: last.tradeDate, ...last.breadth }, windows).at(-1)!;
    assert.equal(noPrices.pctAbove50, null);
    const stale = withLiveDay(before.slice(0, -1), { tradeDate: last.tradeDate, ...last.breadth, prices }, windows).at(-1)!;
    assert.equal(stale.pctAbove50, null);
  });
});
