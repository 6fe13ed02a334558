// The quote board's packing: what goes in comes out, blanks and awkward text included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { priceSymbol } from '../../../shared/breadth';
import { boardStocks, decodeBoard, encodeBoard, type BoardQuote } from './quote-board';

const quotes: BoardQuote[] = [
  { symbol: 'BAJAJ-AUTO', ltp: 9012.35, refPrice: 8999.9, volume: 0, open: -0, high: 9050.5, low: 1e-7, sector: 'Auto', time: '15:29:59' },
  { symbol: 'M&M "MAHINDRA"', ltp: 3000, refPrice: 3010.05, volume: null, open: null, high: null, low: null, sector: null, time: null },
  { symbol: 'ÉCLAIR\\टाटा', ltp: Number.MAX_VALUE, refPrice: 0.01, volume: 123456789012, open: 1, high: 2, low: 0.5, sector: '', time: '' },
];

describe('the quote board', () => {
  it('gives back every quote exactly, in order, with blanks as null', () => {
    assert.deepEqual(decodeBoard(encodeBoard(quotes)), quotes);
    assert.deepEqual(decodeBoard(encodeBoard([])), []);
  });

  it('prices the stock table with the same rules as the cycle', () => {
    assert.deepEqual(boardStocks(encodeBoard(quotes)), quotes.map((q) => priceSymbol(q)));
  });

  it('refuses a board whose columns disagree instead of misreading it', () => {
    const board = encodeBoard(quotes);
    assert.throws(() => decodeBoard({ ...board, numbers: board.numbers.subarray(8) }), /inconsistent/);
    assert.throws(() => decodeBoard({ ...board, times: '[]' }), /inconsistent/);
  });
});
