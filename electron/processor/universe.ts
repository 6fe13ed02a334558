// The row rules: which Live rows count towards breadth and why the others do not.
// Pure: takes parsed rows, returns priced quotes, rejections and coverage.
import type { QuoteInput } from '../../shared/breadth';
import type { RejectedRow } from '../../shared/domain';
import type { QuoteRow } from './reader';
import { recordedSymbol } from './reader/symbols';

interface ReferenceEntry {
  /** Place in `symbols`, so a cycle can tick symbols off in an array rather than a set. */
  index: number;
  /** Previous close; null when Historical lists the symbol without a usable price. */
  price: number | null;
  sector: string | null;
}

export interface Reference {
  entries: Map<string, ReferenceEntry>;
  /** The universe, in Historical's order. */
  symbols: string[];
  rejected: RejectedRow[];
}

/** The universe and reference prices from Historical's rows; first row of a symbol wins. */
export function buildReference(rows: readonly QuoteRow[]): Reference {
  const entries = new Map<string, ReferenceEntry>();
  const symbols: string[] = [];
  const rejected: RejectedRow[] = [];
  for (const r of rows) {
    if (r.symbol === null) {
      rejected.push({ file: 'historical', row: r.row, symbol: null, reason: 'no symbol' });
      continue;
    }
    const price = r.price !== null && r.price > 0 ? r.price : null;
    const existing = entries.get(r.symbol);
    if (existing && (existing.price !== null || price === null)) {
      rejected.push({ file: 'historical', row: r.row, symbol: recordedSymbol(r.symbol), reason: 'duplicate symbol' });
      continue;
    }
    if (existing) {
      existing.price = price; // a later row may supply the price an earlier one lacked
      if (r.sector) existing.sector = r.sector;
    } else {
      entries.set(r.symbol, { index: symbols.length, price, sector: r.sector || null });
      symbols.push(r.symbol);
    }
  }
  return { entries, symbols, rejected };
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
  // One map lookup per row: at 5,000 symbols, sets of what was counted cost more than the rest.
  const counted = reference ? new Uint8Array(reference.symbols.length) : null;
  const countedOwn = new Set<string>(); // without Historical
  const unknown = new Set<string>();
  const liveUniverse = new Set<string>();
  const reject = (r: QuoteRow, reason: string) => rejected.push({ file: 'live', row: r.row, symbol: recordedSymbol(r.symbol), reason });

  for (const r of live) {
    if (r.symbol === null) {
      reject(r, 'no symbol');
      continue;
    }
    const symbol = r.symbol;
    const entry = reference?.entries.get(symbol);
    if (reference && !entry) {
      unknown.add(symbol);
      reject(r, 'unknown symbol (not in Historical)');
      continue;
    }
    const ownClose = r.prevClose !== null && r.prevClose > 0 ? r.prevClose : null;
    if (!reference && ownClose !== null) liveUniverse.add(symbol);
    if (r.price === null || r.price <= 0) {
      reject(r, describePrice(r.price));
      continue;
    }
    const refPrice = entry?.price ?? ownClose;
    if (refPrice === null) {
      reject(r, reference ? 'no reference price (Historical and Live lack a previous close)' : 'no previous close');
      continue;
    }
    if (entry ? counted![entry.index] === 1 : countedOwn.has(symbol)) {
      reject(r, 'duplicate symbol');
      continue;
    }
    if (entry) counted![entry.index] = 1;
    else countedOwn.add(symbol);
    quotes.push({
      symbol,
      ltp: r.price,
      refPrice,
      volume: r.volume,
      open: r.open,
      high: r.high,
      low: r.low,
      time: r.time,
      sector: r.sector ?? entry?.sector ?? null,
    });
  }

  const missingSymbols = reference
    ? reference.symbols.filter((_, i) => counted![i] === 0)
    : [...liveUniverse].filter((s) => !countedOwn.has(s));
  return {
    quotes,
    rejected,
    universe: reference ? reference.symbols.length : liveUniverse.size,
    missingSymbols: missingSymbols.sort(),
    unknownSymbols: [...unknown].sort(),
  };
}
