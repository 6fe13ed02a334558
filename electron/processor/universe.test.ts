// The row rules: universe, reference price, rejections with reasons, missing and unknown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QuoteRow } from './reader';
import { buildReference, matchQuotes } from './universe';

let rowNo = 1;
function row(symbol: string | null, price: number | null, extra: Partial<QuoteRow> = {}): QuoteRow {
  return { row: ++rowNo, symbol, price, prevClose: null, open: null, high: null, low: null, volume: null, time: null, sector: null, ...extra };
}

describe('matchQuotes with Historical', () => {
  const reference = buildReference([row('TCS', 100), row('ITC', 50, { sector: 'FMCG' }), row('SBIN', 80), row('LT', null)]);

  it('prices universe symbols against Historical and reports every rejected row', () => {
    const m = matchQuotes(
      [
        row('TCS', 101),
        row(null, 10),
        row('XYZ', 10),
        row('ITC', 0),
        row('ITC', 49),
        row('ITC', 48),
        row('LT', 5, { prevClose: 4 }),
      ],
      reference,
    );
    assert.deepEqual(m.quotes.map((q) => [q.symbol, q.ltp, q.refPrice, q.sector]), [
      ['TCS', 101, 100, null], ['ITC', 49, 50, 'FMCG'], ['LT', 5, 4, null],
    ]);
    assert.deepEqual(m.rejected.map((r) => [r.symbol, r.reason]), [
      [null, 'no symbol'],
      ['XYZ', 'unknown symbol (not in Historical)'],
      ['ITC', 'live price not positive (0)'],
      ['ITC', 'duplicate symbol'],
    ]);
    assert.equal(m.universe, 4);
    assert.deepEqual(m.missingSymbols, ['SBIN']);
    assert.deepEqual(m.unknownSymbols, ['XYZ']);
  });

  it('the first valid row of a symbol counts, not the first row', () => {
    const m = matchQuotes([row('TCS', null), row('TCS', 105), row('TCS', 106)], reference);
    assert.deepEqual(m.quotes.map((q) => q.ltp), [105]);
    assert.deepEqual(m.rejected.map((r) => r.reason), ['no live price', 'duplicate symbol']);
  });

  it('a universe symbol with no price anywhere is rejected and missing', () => {
    const m = matchQuotes([row('LT', 5)], reference);
    assert.deepEqual(m.rejected.map((r) => r.reason), ['no reference price (Historical and Live lack a previous close)']);
    assert.ok(m.missingSymbols.includes('LT'));
  });

  it('Historical rows without a symbol, or repeated, are reported too', () => {
    const ref = buildReference([row('TCS', 100), row(null, 3), row('TCS', 101)]);
    assert.deepEqual(ref.rejected.map((r) => [r.file, r.reason]), [['historical', 'no symbol'], ['historical', 'duplicate symbol']]);
    assert.equal(ref.entries.get('TCS')?.price, 100);
  });
});

describe('matchQuotes without Historical', () => {
  it('the universe is the Live symbols that carry a previous close', () => {
    const m = matchQuotes([row('TCS', 101, { prevClose: 100 }), row('ITC', 49), row('SBIN', null, { prevClose: 80 })], null);
    assert.deepEqual(m.quotes.map((q) => [q.symbol, q.refPrice]), [['TCS', 100]]);
    assert.equal(m.universe, 2);
    assert.deepEqual(m.missingSymbols, ['SBIN']);
    assert.deepEqual(m.unknownSymbols, []);
    assert.deepEqual(m.rejected.map((r) => [r.symbol, r.reason]), [['ITC', 'no previous close'], ['SBIN', 'no live price']]);
  });
});
