// shared/: code imported by both the main side and the renderer. Domain types, breadth math,
// the exchange clock and the contracts. Nothing here may import node, electron or react.

/** How a symbol's live price stands against its reference price (previous close). */
export type PriceStatus = 'advance' | 'decline' | 'unchanged';

export type Sentiment =
  | 'STRONG BULLISH'
  | 'BULLISH'
  | 'SLIGHTLY BULLISH'
  | 'NEUTRAL'
  | 'SLIGHTLY BEARISH'
  | 'BEARISH'
  | 'STRONG BEARISH';

/** A symbol that counts towards breadth: in the universe, with a live and a reference price > 0. */
export interface PricedSymbol {
  symbol: string;
  ltp: number;
  refPrice: number;
  change: number;
  changePct: number;
  status: PriceStatus;
  volume: number | null;
  open: number | null;
  high: number | null;
  low: number | null;
  sector: string | null;
  /** Last trade time as the feed wrote it (HH:MM:SS), when present. */
  time: string | null;
}

/** A row that did not count, with the reason: never silently dropped. */
export interface RejectedRow {
  file: 'live' | 'historical';
  /** 1-based worksheet row number, as Excel shows it. */
  row: number;
  symbol: string | null;
  reason: string;
}

export interface Coverage {
  /** Symbols that should be priced: Historical's symbols, or Live's that carry a previous close. */
  universe: number;
  priced: number;
  missing: number;
  unknown: number;
  rejected: number;
  missingSymbols: string[];
  unknownSymbols: string[];
}

export interface BreadthFigures {
  advances: number;
  declines: number;
  unchanged: number;
  total: number;
  advPct: number;
  declPct: number;
  unchPct: number;
  adDiff: number;
  /** advances / declines; null when there are no declines (the ratio is undefined, not infinite). */
  adRatio: number | null;
  upVolume: number | null;
  downVolume: number | null;
  volumeRatio: number | null;
  sentiment: Sentiment;
}

export interface Snapshot extends BreadthFigures {
  /** Exchange-local date of the cycle, YYYY-MM-DD. */
  tradeDate: string;
  /** When the cycle read Live, ISO-8601 UTC. */
  pollTime: string;
  coverage: Coverage;
}

export type RunTrigger = 'manual' | 'cli' | 'watcher' | 'schedule' | 'close';
export type RunStatus = 'ok' | 'unchanged' | 'failed';

export interface SourceFile {
  path: string;
  /** ISO-8601 UTC modification time. */
  modifiedAt: string;
  size: number;
}

/** One processing run: the audit log entry every cycle leaves, whatever its outcome. */
export interface RunRecord {
  id: number;
  trigger: RunTrigger;
  startedAt: string;
  durationMs: number;
  tradeDate: string;
  status: RunStatus;
  message: string | null;
  live: SourceFile | null;
  historical: SourceFile | null;
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  snapshotId: number | null;
}

/** A point of a day's series: the breadth figures the charts and the "since open" deltas need. */
export type SeriesPoint = Pick<
  Snapshot,
  'tradeDate' | 'pollTime' | 'advances' | 'declines' | 'unchanged' | 'advPct' | 'declPct' | 'unchPct' | 'adDiff' | 'adRatio' | 'volumeRatio'
>;
