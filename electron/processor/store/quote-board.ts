// A day's board: every symbol's latest quote, stored as one row rewritten whole each cycle.
// Thousands of quotes change every cycle, and upserting a row per quote cost ~10 ms at 5,000
// symbols; one row of packed columns costs well under one, and reads back as fast.
// Numbers are little-endian doubles, six per quote (NaN for a blank); text columns are JSON arrays.
import { priceSymbol } from '../../../shared/breadth';
import type { PricedSymbol } from '../../../shared/domain';

/** What the board keeps of a quote; change, percentage and status follow from it (priceSymbol). */
export type BoardQuote = Pick<PricedSymbol, 'symbol' | 'ltp' | 'refPrice' | 'volume' | 'open' | 'high' | 'low' | 'sector' | 'time'>;

export interface EncodedBoard {
  symbols: string;
  sectors: string;
  times: string;
  numbers: Buffer;
}

const NUMBERS_PER_QUOTE = 6;

const orNaN = (value: number | null) => value ?? NaN;
const orNull = (value: number) => (Number.isNaN(value) ? null : value);

/** Quotes in the order given (the writer keeps them sorted by symbol). */
export function encodeBoard(quotes: readonly BoardQuote[]): EncodedBoard {
  const numbers = Buffer.allocUnsafe(quotes.length * NUMBERS_PER_QUOTE * 8);
  const symbols: string[] = new Array(quotes.length);
  const sectors: Array<string | null> = new Array(quotes.length);
  const times: Array<string | null> = new Array(quotes.length);
  let at = 0;
  for (let i = 0; i < quotes.length; i++) {
    const q = quotes[i]!;
    symbols[i] = q.symbol;
    sectors[i] = q.sector;
    times[i] = q.time;
    at = numbers.writeDoubleLE(q.ltp, at);
    at = numbers.writeDoubleLE(q.refPrice, at);
    at = numbers.writeDoubleLE(orNaN(q.volume), at);
    at = numbers.writeDoubleLE(orNaN(q.open), at);
    at = numbers.writeDoubleLE(orNaN(q.high), at);
    at = numbers.writeDoubleLE(orNaN(q.low), at);
  }
  return { symbols: JSON.stringify(symbols), sectors: JSON.stringify(sectors), times: JSON.stringify(times), numbers };
}

export function decodeBoard(board: EncodedBoard): BoardQuote[] {
  const symbols = JSON.parse(board.symbols) as string[];
  const sectors = JSON.parse(board.sectors) as Array<string | null>;
  const times = JSON.parse(board.times) as Array<string | null>;
  const n = board.numbers;
  if (n.length !== symbols.length * NUMBERS_PER_QUOTE * 8 || sectors.length !== symbols.length || times.length !== symbols.length) {
    throw new Error(`A stored quote board is inconsistent (${symbols.length} symbols, ${n.length} bytes of numbers)`);
  }
  const quotes: BoardQuote[] = new Array(symbols.length);
  for (let i = 0, at = 0; i < symbols.length; i++, at += NUMBERS_PER_QUOTE * 8) {
    quotes[i] = {
      symbol: symbols[i]!,
      ltp: n.readDoubleLE(at),
      refPrice: n.readDoubleLE(at + 8),
      volume: orNull(n.readDoubleLE(at + 16)),
      open: orNull(n.readDoubleLE(at + 24)),
      high: orNull(n.readDoubleLE(at + 32)),
      low: orNull(n.readDoubleLE(at + 40)),
      sector: sectors[i]!,
      time: times[i]!,
    };
  }
  return quotes;
}

/** The stock table's rows: the same pricing as the cycle that stored them. */
export function boardStocks(board: EncodedBoard): PricedSymbol[] {
  return decodeBoard(board).map(priceSymbol);
}
