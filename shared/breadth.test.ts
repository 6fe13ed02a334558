import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify, computeBreadth, priceSymbol, round2, sentimentFor } from './breadth';

const sym = (symbol: string, ltp: number, refPrice: number, volume: number | null = null) =>
  priceSymbol({ symbol, ltp, refPrice, volume });

describe('classify', () => {
  it('compares prices rounded to two decimals', () => {
    assert.equal(classify(100.004, 100), 'unchanged');
    assert.equal(classify(100.006, 100), 'advance');
    assert.equal(classify(99.994, 100), 'decline');
    assert.equal(classify(0.1 + 0.2, 0.3), 'unchanged'); // float noise is not an advance
  });
  it('rounds half-hundredths up, as a trader reading two decimals expects', () => {
    assert.equal(round2(1.005), 1.01);
    assert.equal(classify(1.005, 1.0), 'advance');
    assert.equal(classify(1.005, 1.01), 'unchanged');
  });
});

describe('priceSymbol', () => {
  it('gives change and change % against the reference price', () => {
    const s = sym('TCS', 4202.5, 4120.1);
    assert.equal(s.change, 82.4);
    assert.equal(s.changePct, 2);
    assert.equal(s.status, 'advance');
    const d = sym('ITC', 460, 468.35);
    assert.equal(d.change, -8.35);
    assert.equal(d.changePct, -1.78);
    assert.equal(d.status, 'decline');
  });
});

describe('computeBreadth', () => {
  it('counts, percentages, difference and ratio', () => {
    const f = computeBreadth([sym('A', 11, 10), sym('B', 12, 10), sym('C', 9, 10), sym('D', 10, 10)]);
    assert.deepEqual(
      { a: f.advances, d: f.declines, u: f.unchanged, t: f.total, ap: f.advPct, dp: f.declPct, up: f.unchPct, diff: f.adDiff, r: f.adRatio },
      { a: 2, d: 1, u: 1, t: 4, ap: 50, dp: 25, up: 25, diff: 1, r: 2 },
    );
    assert.equal(f.sentiment, 'NEUTRAL');
  });
  it('percentages have two decimals', () => {
    const f = computeBreadth([sym('A', 11, 10), sym('B', 9, 10), sym('C', 9, 10)]);
    assert.equal(f.advPct, 33.33);
    assert.equal(f.declPct, 66.67);
    assert.equal(f.adRatio, 0.5);
  });
  it('A/D ratio is null, not infinite, when nothing declines', () => {
    const f = computeBreadth([sym('A', 11, 10), sym('B', 10, 10)]);
    assert.equal(f.adRatio, null);
    assert.equal(f.declines, 0);
  });
  it('up and down volume only when volume is present', () => {
    const none = computeBreadth([sym('A', 11, 10), sym('B', 9, 10)]);
    assert.equal(none.upVolume, null);
    assert.equal(none.volumeRatio, null);
    const f = computeBreadth([sym('A', 11, 10, 300), sym('B', 9, 10, 100), sym('C', 10, 10, 50), sym('D', 12, 10, 100)]);
    assert.equal(f.upVolume, 400);
    assert.equal(f.downVolume, 100);
    assert.equal(f.volumeRatio, 4);
  });
  it('an empty list is all zeros, never NaN', () => {
    const f = computeBreadth([]);
    assert.equal(f.total, 0);
    assert.equal(f.advPct, 0);
    assert.equal(f.adRatio, null);
  });
});

describe('sentimentFor', () => {
  it('follows the bands at their edges', () => {
    const cases: Array<[number, string]> = [
      [70, 'STRONG BULLISH'], [69.99, 'BULLISH'], [60, 'BULLISH'], [59.99, 'SLIGHTLY BULLISH'],
      [55, 'SLIGHTLY BULLISH'], [54.99, 'NEUTRAL'], [45, 'NEUTRAL'], [44.99, 'SLIGHTLY BEARISH'],
      [40, 'SLIGHTLY BEARISH'], [39.99, 'BEARISH'], [30, 'BEARISH'], [29.99, 'STRONG BEARISH'], [0, 'STRONG BEARISH'],
    ];
    for (const [pct, expected] of cases) assert.equal(sentimentFor(pct), expected, `at ${pct}%`);
  });
});
