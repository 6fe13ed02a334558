// Daily breadth history: a bhavcopy's counts, and the indicators over days (A/D line, McClellan
// oscillator and summation index, % of stocks above their 50/200-day averages, new 52-week highs
// and lows). Pure, no I/O: the processor's history store and the renderer (for the live point)
// import it. Every formula, its source and the null rules: docs/history-indicators.md.
import { classify, toHundredths } from '../breadth';
import type { BhavcopyRow } from './bhavcopy';

/**
 * Which rows of a bhavcopy are stocks of the market. Series mode: rows whose series is listed.
 * Symbols mode: the Historical workbook's symbols, of the listed series (default EQ).
 */
export type HistoryUniverse =
  | { series: readonly string[] }
  | { symbols: ReadonlySet<string>; series?: readonly string[] };

export const DEFAULT_SERIES: readonly string[] = ['EQ'];

export function universeSeries(universe: HistoryUniverse): readonly string[] {
  return universe.series && universe.series.length > 0 ? universe.series : DEFAULT_SERIES;
}

/** A stock that counts for a day: a row of the universe with a close and a previous close, both > 0. */
export type CountedStock = BhavcopyRow & { close: number; prevClose: number };

export interface DayBreadth {
  advances: number;
  declines: number;
  unchanged: number;
  /** Sum of the advancers' volume; null when no counted stock reported a volume (as intraday). */
  upVolume: number | null;
  downVolume: number | null;
}

const usablePrice = (value: number | null): value is number => value !== null && Number.isFinite(value) && value > 0;

const isCounted = (row: BhavcopyRow): row is CountedStock => usablePrice(row.close) && usablePrice(row.prevClose);

/**
 * The day's counted stocks, one per symbol, in the file's order. Should a symbol appear under two
 * series of the universe on one day, the series listed first wins (EQ before BE), then the first row.
 */
export function countedStocks(rows: readonly BhavcopyRow[], universe: HistoryUniverse): CountedStock[] {
  const series = universeSeries(universe);
  const symbols = 'symbols' in universe ? universe.symbols : null;
  const out: CountedStock[] = [];
  const place = new Map<string, number>();
  for (const row of rows) {
    const rank = series.indexOf(row.series);
    if (rank < 0 || (symbols && !symbols.has(row.symbol)) || !isCounted(row)) continue;
    const at = place.get(row.symbol);
    if (at === undefined) {
      place.set(row.symbol, out.length);
      out.push(row);
    } else if (series.indexOf(out[at]!.series) > rank) {
      out[at] = row;
    }
  }
  return out;
}

/** Advances, declines and unchanged over counted stocks: close against previous close, as intraday. */
export function breadthOf(stocks: readonly CountedStock[]): DayBreadth {
  let advances = 0;
  let declines = 0;
  let unchanged = 0;
  let upVolume = 0;
  let downVolume = 0;
  let anyVolume = false;
  for (const s of stocks) {
    // The intraday rule (shared/breadth.ts): compared at two decimals, so float noise is no advance.
    const status = classify(s.close, s.prevClose);
    if (status === 'advance') advances++;
    else if (status === 'decline') declines++;
    else unchanged++;
    if (s.volume !== null && Number.isFinite(s.volume)) {
      anyVolume = true;
      if (status === 'advance') upVolume += s.volume;
      else if (status === 'decline') downVolume += s.volume;
    }
  }
  return { advances, declines, unchanged, upVolume: anyVolume ? upVolume : null, downVolume: anyVolume ? downVolume : null };
}

export function dayBreadth(rows: readonly BhavcopyRow[], universe: HistoryUniverse): DayBreadth {
  return breadthOf(countedStocks(rows, universe));
}

// ---------------------------------------------------------------------------------------------
// Series over days

/** Smoothing constants of the McClellan oscillator's two EMAs: the "10% and 5% trends". */
export const MCCLELLAN_FAST_ALPHA = 0.1; // 2 / (19 + 1)
export const MCCLELLAN_SLOW_ALPHA = 0.05; // 2 / (39 + 1)
export const SMA_SHORT = 50;
export const SMA_LONG = 200;
/** A new 52-week high is a close above the highest of the stock's previous 251 closes. */
export const YEAR_SESSIONS = 252;

export interface HistoryDay {
  tradeDate: string;
  advances: number;
  declines: number;
  unchanged: number;
  netAdvances: number;
  /** A / D; null when there are no declines. */
  adRatio: number | null;
  adLine: number;
  upVolume: number | null;
  downVolume: number | null;
  mcclellanOscillator: number;
  mcclellanRatioAdjusted: number;
  summationIndex: number;
  summationRatioAdjusted: number;
  /** The oscillator's EMAs, carried so that a later day (the live one) continues them exactly. */
  ema19: number;
  ema39: number;
  ema19RatioAdjusted: number;
  ema39RatioAdjusted: number;
  pctAbove50: number | null;
  pctAbove200: number | null;
  newHighs: number | null;
  newLows: number | null;
  provisional: boolean;
}

export type DayCounts = DayBreadth & { tradeDate: string };

type CountFigures = Omit<HistoryDay, 'tradeDate' | 'pctAbove50' | 'pctAbove200' | 'newHighs' | 'newLows' | 'provisional'>;

/** Ratio-adjusted net advances: (A − D) / (A + D) × 1000; 0 when nothing moved. */
export function ratioAdjustedNet(advances: number, declines: number): number {
  const moved = advances + declines;
  return moved === 0 ? 0 : ((advances - declines) / moved) * 1000;
}

const ema = (previous: number, value: number, alpha: number) => (1 - alpha) * previous + alpha * value;

/**
 * The count-based figures of a day, continuing from the day before (null on the first day, which
 * seeds both EMAs with its own value, so its oscillator is 0 and the sums start at 0).
 */
export function nextCountFigures(previous: HistoryDay | null, counts: DayBreadth): CountFigures {
  const { advances, declines, unchanged, upVolume, downVolume } = counts;
  const net = advances - declines;
  const rana = ratioAdjustedNet(advances, declines);
  const ema19 = previous ? ema(previous.ema19, net, MCCLELLAN_FAST_ALPHA) : net;
  const ema39 = previous ? ema(previous.ema39, net, MCCLELLAN_SLOW_ALPHA) : net;
  const ema19RatioAdjusted = previous ? ema(previous.ema19RatioAdjusted, rana, MCCLELLAN_FAST_ALPHA) : rana;
  const ema39RatioAdjusted = previous ? ema(previous.ema39RatioAdjusted, rana, MCCLELLAN_SLOW_ALPHA) : rana;
  const mcclellanOscillator = ema19 - ema39;
  const mcclellanRatioAdjusted = ema19RatioAdjusted - ema39RatioAdjusted;
  return {
    advances,
    declines,
    unchanged,
    netAdvances: net,
    adRatio: declines === 0 ? null : advances / declines,
    adLine: (previous?.adLine ?? 0) + net,
    upVolume,
    downVolume,
    mcclellanOscillator,
    mcclellanRatioAdjusted,
    summationIndex: (previous?.summationIndex ?? 0) + mcclellanOscillator,
    summationRatioAdjusted: (previous?.summationRatioAdjusted ?? 0) + mcclellanRatioAdjusted,
    ema19,
    ema39,
    ema19RatioAdjusted,
    ema39RatioAdjusted,
  };
}

// ---------------------------------------------------------------------------------------------
// Per-symbol windows: each stock's own last closes, for the moving averages and 52-week extremes

/** A day's closes of its counted stocks. */
export interface SymbolClose {
  symbol: string;
  close: number;
}

export interface SymbolFigures {
  pctAbove50: number | null;
  pctAbove200: number | null;
  newHighs: number | null;
  newLows: number | null;
}

export const NO_SYMBOL_FIGURES: SymbolFigures = { pctAbove50: null, pctAbove200: null, newHighs: null, newLows: null };

const LOOKBACK = YEAR_SESSIONS - 1;
/** Ring size: a power of two above the 251-close look-back, which covers the 200-day average. */
const RING = 256;
const MASK = RING - 1;

/**
 * One stock's last closes in hundredths (integers, so sums and comparisons are exact), in a
 * ring indexed by the close's number (the stock's first close is 0), and two monotonic queues,
 * also rings, of the numbers of its candidate highest and lowest close over the last 251.
 */
interface SymbolWindow {
  closes: Float64Array;
  count: number;
  sumShort: number;
  sumLong: number;
  maxQueue: Int32Array;
  maxHead: number;
  maxTail: number;
  minQueue: Int32Array;
  minHead: number;
  minTail: number;
}

export interface SymbolWindows {
  throughDate: string | null;
  bySymbol: Map<string, SymbolWindow>;
}

export function emptyWindows(): SymbolWindows {
  return { throughDate: null, bySymbol: new Map() };
}

const closeAt = (w: SymbolWindow, index: number) => w.closes[index & MASK]!;

/** Running counts of a day's per-symbol figures. */
interface Tally {
  eligibleShort: number;
  aboveShort: number;
  eligibleLong: number;
  aboveLong: number;
  eligibleYear: number;
  highs: number;
  lows: number;
}

const newTally = (): Tally => ({ eligibleShort: 0, aboveShort: 0, eligibleLong: 0, aboveLong: 0, eligibleYear: 0, highs: 0, lows: 0 });

/** One stock's part in the day's figures: its close (hundredths) against its window so far. */
function tally(t: Tally, w: SymbolWindow, close: number): void {
  const n = w.count; // the stock's previous closes
  if (n + 1 >= SMA_SHORT) {
    t.eligibleShort++;
    // The last 49 previous closes plus today's, compared as close × 50 > sum: exact.
    const sum = w.sumShort - (n >= SMA_SHORT ? closeAt(w, n - SMA_SHORT) : 0) + close;
    if (close * SMA_SHORT > sum) t.aboveShort++;
  }
  if (n + 1 >= SMA_LONG) {
    t.eligibleLong++;
    const sum = w.sumLong - (n >= SMA_LONG ? closeAt(w, n - SMA_LONG) : 0) + close;
    if (close * SMA_LONG > sum) t.aboveLong++;
  }
  if (n >= LOOKBACK) {
    t.eligibleYear++;
    if (close > closeAt(w, w.maxQueue[w.maxHead & MASK]!)) t.highs++;
    if (close < closeAt(w, w.minQueue[w.minHead & MASK]!)) t.lows++;
  }
}

/**
 * Null while no stock has enough closes: until the 50th / 200th / 252nd session, since a stock's
 * closes never outnumber the sessions (and on any later day with no such stock).
 */
function figuresOf(t: Tally): SymbolFigures {
  const pct = (above: number, eligible: number) => (eligible > 0 ? (100 * above) / eligible : null);
  return {
    pctAbove50: pct(t.aboveShort, t.eligibleShort),
    pctAbove200: pct(t.aboveLong, t.eligibleLong),
    newHighs: t.eligibleYear > 0 ? t.highs : null,
    newLows: t.eligibleYear > 0 ? t.lows : null,
  };
}

/**
 * The per-symbol figures of a day that would follow the windows, without changing them: the
 * live, provisional day's. A stock's first close has no average and no look-back.
 */
export function figuresForNextDay(windows: SymbolWindows, stocks: Iterable<SymbolClose>): SymbolFigures {
  const t = newTally();
  for (const stock of stocks) {
    const w = windows.bySymbol.get(stock.symbol);
    if (w) tally(t, w, toHundredths(stock.close));
  }
  return figuresOf(t);
}

/**
 * Adds a day's closes to the windows and returns the day's per-symbol figures (the same as
 * figuresForNextDay would have given, in one pass). Days must come in date order, each once.
 */
export function advanceDay(windows: SymbolWindows, tradeDate: string, stocks: Iterable<SymbolClose>): SymbolFigures {
  if (windows.throughDate !== null && tradeDate <= windows.throughDate) {
    throw new Error(`History days must come in date order: ${tradeDate} after ${windows.throughDate}`);
  }
  const t = newTally();
  for (const stock of stocks) {
    const close = toHundredths(stock.close);
    let w = windows.bySymbol.get(stock.symbol);
    if (w) {
      tally(t, w, close);
    } else {
      w = {
        closes: new Float64Array(RING), count: 0, sumShort: 0, sumLong: 0,
        maxQueue: new Int32Array(RING), maxHead: 0, maxTail: 0, minQueue: new Int32Array(RING), minHead: 0, minTail: 0,
      };
      windows.bySymbol.set(stock.symbol, w);
    }
    const index = w.count;
    // Read the closes leaving the averages before their slot in the ring is overwritten.
    w.sumShort += close - (index >= SMA_SHORT ? closeAt(w, index - SMA_SHORT) : 0);
    w.sumLong += close - (index >= SMA_LONG ? closeAt(w, index - SMA_LONG) : 0);
    w.closes[index & MASK] = close;
    w.count = index + 1;
    pushExtremes(w, index, close);
  }
  windows.throughDate = tradeDate;
  return figuresOf(t);
}

/**
 * Sliding-window extremes (monotonic queues): amortised O(1) per close instead of 251 compares.
 * Written out twice rather than parameterised: this runs once per stock per day.
 */
function pushExtremes(w: SymbolWindow, index: number, close: number): void {
  // The next day looks back over closes count − 251 … count − 1.
  const oldest = w.count - LOOKBACK;
  const maxQueue = w.maxQueue;
  while (w.maxTail > w.maxHead && closeAt(w, maxQueue[(w.maxTail - 1) & MASK]!) <= close) w.maxTail--;
  maxQueue[w.maxTail++ & MASK] = index;
  while (maxQueue[w.maxHead & MASK]! < oldest) w.maxHead++;
  const minQueue = w.minQueue;
  while (w.minTail > w.minHead && closeAt(w, minQueue[(w.minTail - 1) & MASK]!) >= close) w.minTail--;
  minQueue[w.minTail++ & MASK] = index;
  while (minQueue[w.minHead & MASK]! < oldest) w.minHead++;
}

// ---------------------------------------------------------------------------------------------
// Whole series

export interface HistoryInputDay {
  tradeDate: string;
  breadth: DayBreadth;
  /** The day's counted stocks' closes (countedStocks); the per-symbol figures come from them. */
  stocks: readonly SymbolClose[];
}

/** Every day's figures, in date order, from the first imported day. */
export function computeHistory(days: readonly HistoryInputDay[], windows: SymbolWindows = emptyWindows()): HistoryDay[] {
  const out: HistoryDay[] = [];
  let previous: HistoryDay | null = null;
  for (const day of days) {
    const symbolFigures = advanceDay(windows, day.tradeDate, day.stocks);
    previous = { tradeDate: day.tradeDate, ...nextCountFigures(previous, day.breadth), ...symbolFigures, provisional: false };
    out.push(previous);
  }
  return out;
}

/** Count-based figures over stored days, with each day's stored per-symbol figures. */
export function historyFromCounts(days: ReadonlyArray<DayCounts & SymbolFigures>): HistoryDay[] {
  const out: HistoryDay[] = [];
  let previous: HistoryDay | null = null;
  for (const day of days) {
    const { pctAbove50, pctAbove200, newHighs, newLows } = day;
    previous = { tradeDate: day.tradeDate, ...nextCountFigures(previous, day), pctAbove50, pctAbove200, newHighs, newLows, provisional: false };
    out.push(previous);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The live day

export interface LiveDay extends DayBreadth {
  tradeDate: string;
  /** Today's latest price per symbol, for the per-symbol figures; without it they are null. */
  prices?: ReadonlyMap<string, number> | null;
}

/**
 * The history with the live day as its last, provisional point: counts from today's latest
 * intraday snapshot, the EMAs and sums continued from the last final day, the per-symbol figures
 * from today's prices against the windows (which must end where the history ends). The history
 * must run to the last final day (read without a `to` before it). Once the day's bhavcopy is
 * imported the history holds it and the live day is left out.
 */
export function withLiveDay(history: readonly HistoryDay[], live: LiveDay, windows?: SymbolWindows | null): HistoryDay[] {
  const last = history.at(-1) ?? null;
  if (last && last.tradeDate >= live.tradeDate) return [...history];
  let symbolFigures = NO_SYMBOL_FIGURES;
  if (live.prices && windows && windows.throughDate === (last?.tradeDate ?? null)) {
    const stocks: SymbolClose[] = [];
    for (const [symbol, close] of live.prices) if (usablePrice(close)) stocks.push({ symbol, close });
    symbolFigures = figuresForNextDay(windows, stocks);
  }
  return [...history, { tradeDate: live.tradeDate, ...nextCountFigures(last, live), ...symbolFigures, provisional: true }];
}
