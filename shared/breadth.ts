// Breadth math: pure functions, no I/O. Everything the dashboard shows is derived here.
import type { BreadthFigures, PriceStatus, PricedSymbol, Sentiment } from './domain';

/**
 * Integer hundredths of a price. The epsilon nudge makes values such as 1.005, stored in
 * binary as 1.00499999…, round the way a trader reading two decimals expects.
 */
export function toHundredths(value: number): number {
  return Math.round(value * 100 * (1 + Number.EPSILON));
}

export function round2(value: number): number {
  return toHundredths(value) / 100;
}

/** Compare at two decimals, as prices are quoted, so float noise is never an advance. */
export function classify(ltp: number, refPrice: number): PriceStatus {
  const live = toHundredths(ltp);
  const ref = toHundredths(refPrice);
  if (live > ref) return 'advance';
  if (live < ref) return 'decline';
  return 'unchanged';
}

export interface QuoteInput {
  symbol: string;
  ltp: number;
  refPrice: number;
  volume?: number | null;
  open?: number | null;
  high?: number | null;
  low?: number | null;
  sector?: string | null;
  time?: string | null;
}

export function priceSymbol(q: QuoteInput): PricedSymbol {
  const change = round2(q.ltp - q.refPrice);
  return {
    symbol: q.symbol,
    ltp: q.ltp,
    refPrice: q.refPrice,
    change,
    changePct: round2(((q.ltp - q.refPrice) / q.refPrice) * 100),
    status: classify(q.ltp, q.refPrice),
    volume: q.volume ?? null,
    open: q.open ?? null,
    high: q.high ?? null,
    low: q.low ?? null,
    sector: q.sector ?? null,
    time: q.time ?? null,
  };
}

const SENTIMENT_BANDS: ReadonlyArray<readonly [number, Sentiment]> = [
  [70, 'STRONG BULLISH'],
  [60, 'BULLISH'],
  [55, 'SLIGHTLY BULLISH'],
  [45, 'NEUTRAL'],
  [40, 'SLIGHTLY BEARISH'],
  [30, 'BEARISH'],
];

export function sentimentFor(advPct: number): Sentiment {
  for (const [floor, sentiment] of SENTIMENT_BANDS) {
    if (advPct >= floor) return sentiment;
  }
  return 'STRONG BEARISH';
}

function pct(part: number, total: number): number {
  return total === 0 ? 0 : round2((part / total) * 100);
}

export function computeBreadth(symbols: readonly PricedSymbol[]): BreadthFigures {
  let advances = 0;
  let declines = 0;
  let unchanged = 0;
  let upVolume = 0;
  let downVolume = 0;
  let anyVolume = false;
  for (const s of symbols) {
    if (s.status === 'advance') advances++;
    else if (s.status === 'decline') declines++;
    else unchanged++;
    if (s.volume != null) {
      anyVolume = true;
      if (s.status === 'advance') upVolume += s.volume;
      else if (s.status === 'decline') downVolume += s.volume;
    }
  }
  const counts = countFigures(advances, declines, unchanged);
  return {
    ...counts,
    upVolume: anyVolume ? upVolume : null,
    downVolume: anyVolume ? downVolume : null,
    volumeRatio: anyVolume && downVolume > 0 ? round2(upVolume / downVolume) : null,
    sentiment: sentimentFor(counts.advPct),
  };
}

export type CountFigures = Pick<
  BreadthFigures,
  'advances' | 'declines' | 'unchanged' | 'total' | 'advPct' | 'declPct' | 'unchPct' | 'adDiff' | 'adRatio'
>;

/**
 * Everything that follows from the three counts alone. The day's series query reads only the counts
 * and re-derives these with this same function, so they always equal what the snapshot showed.
 */
export function countFigures(advances: number, declines: number, unchanged: number): CountFigures {
  const total = advances + declines + unchanged;
  return {
    advances,
    declines,
    unchanged,
    total,
    advPct: pct(advances, total),
    declPct: pct(declines, total),
    unchPct: pct(unchanged, total),
    adDiff: advances - declines,
    adRatio: declines === 0 ? null : round2(advances / declines),
  };
}

/** The biggest gainers and losers by change, best first: one rule for the core and the UI. */
export function topMovers(stocks: readonly PricedSymbol[], limit: number): { gainers: PricedSymbol[]; losers: PricedSymbol[] } {
  return {
    gainers: stocks.filter((s) => s.changePct > 0).sort((a, b) => b.changePct - a.changePct).slice(0, limit),
    losers: stocks.filter((s) => s.changePct < 0).sort((a, b) => a.changePct - b.changePct).slice(0, limit),
  };
}
