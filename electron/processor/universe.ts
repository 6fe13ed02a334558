// The row rules: which Live rows count towards breadth and why the others do not.
// Pure: takes parsed rows, returns priced quotes, rejections and coverage.
import type { QuoteInput } from '../../shared/breadth';
import type { RejectedRow } from '../../shared/domain';
import type { QuoteRow } from './reader';

export interface Reference {
  /** Symbol -> previous close (null when Historical lists the symbol without a usable price). */
  prices: Map<string, number | null>;
  sectors: Map<string, string>;
  rejected: RejectedRow[];
}

/** The universe and reference prices from Historical's rows; first row of a symbol wins. */
export function buildReference(rows: readonly QuoteRow[]): Reference {
  const prices = new Map<string, number | null>();
  const sectors = new Map<string, string>();
  const rejected: RejectedRow[] = [];
  for (const r of rows) {
    if (r.symbol === null) {
      rejected.push({ file: 'historical', row: r.row, symbol: null, reason: 'no symbol' });
      continue;
    }
    const price = r.price !== null && r.price > 0 ? r.price : null;
    const existing = prices.get(r.symbol);
    if (existing !== undefined && (existing !== null || price === null)) {
      rejected.push({ file: 'historical', row: r.row, symbol: r.symbol, reason: 'duplicate symbol' });
      continue;
    }
    prices.set(r.symbol, price); // a later row may supply the price an earlier one lacked
    if (r.sector) sectors.set(r.symbol, r.sector);
  }
  return { prices, sectors, rejected };
}

export interface MatchResult {
  quotes: QuoteInput[];
  rejected: RejectedRow[];
  universe: number;
  missingSymbols: string[];
  unknownSymbols: string[];
}

function describePrice(price: number | null): string {
  return price === null ? 'no live price' : `live price not positive (${price})`;
}

/**
 * Matches Live's rows to the universe. With Historical, the universe is its symbols and its
 * previous closes are the reference (Live's own previous close fills in where Historical has
 * none); without Historical, the universe is the Live symbols that carry a previous close.
 */
export function matchQuotes(live: readonly QuoteRow[], reference: Reference | null): MatchResult {
  const quotes: QuoteInput[] = [];
  const rejected: RejectedRow[] = reference ? [...reference.rejected] : [];
  const counted = new Set<string>();
  const unknown = new Set<string>();
  const liveUniverse = new Set<string>();

  for (const r of live) {
    const reject = (reason: string) =>
      rejected.push({ file: 'live', row: r.row, symbol: r.symbol, reason });
    if (r.symbol === null) {
      reject('no symbol');
      continue;
    }
    const symbol = r.symbol;
    if (reference && !reference.prices.has(symbol)) {
      unknown.add(symbol);
      reject('unknown symbol (not in Historical)');
      continue;
    }
    const ownClose = r.prevClose !== null && r.prevClose > 0 ? r.prevClose : null;
    if (!reference && ownClose !== null) liveUniverse.add(symbol);
    if (r.price === null || r.price <= 0) {
      reject(describePrice(r.price));
      continue;
    }
    const refPrice = reference?.prices.get(symbol) ?? ownClose;
    if (refPrice === null) {
      reject(reference ? 'no reference price (Historical and Live lack a previous close)' : 'no previous close');
      continue;
    }
    if (counted.has(symbol)) {
      reject('duplicate symbol');
      continue;
    }
    counted.add(symbol);
    quotes.push({
      symbol,
      ltp: r.price,
      refPrice,
      volume: r.volume,
      open: r.open,
      high: r.high,
      low: r.low,
      time: r.time,
      sector: r.sector ?? reference?.sectors.get(symbol) ?? null,
    });
  }

  const universeSymbols = reference ? [...reference.prices.keys()] : [...liveUniverse];
  return {
    quotes,
    rejected,
    universe: universeSymbols.length,
    missingSymbols: universeSymbols.filter((s) => !counted.has(s)).sort(),
    unknownSymbols: [...unknown].sort(),
  };
}
