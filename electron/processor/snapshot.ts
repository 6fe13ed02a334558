// From matched quotes to a snapshot: pure, so the whole computation is unit-testable.
import { computeBreadth, priceSymbol } from '../../shared/breadth';
import type { PricedSymbol, RejectedRow, Snapshot } from '../../shared/domain';
import type { MatchResult } from './universe';

export interface ComputedSnapshot {
  snapshot: Snapshot;
  symbols: PricedSymbol[];
  rejected: RejectedRow[];
}

export function buildSnapshot(match: MatchResult, pollTime: Date, tradeDate: string): ComputedSnapshot {
  const symbols = match.quotes.map(priceSymbol);
  const figures = computeBreadth(symbols);
  return {
    symbols,
    rejected: match.rejected,
    snapshot: {
      tradeDate,
      pollTime: pollTime.toISOString(),
      ...figures,
      coverage: {
        universe: match.universe,
        priced: symbols.length,
        missing: match.missingSymbols.length,
        unknown: match.unknownSymbols.length,
        rejected: match.rejected.length,
        missingSymbols: match.missingSymbols,
        unknownSymbols: match.unknownSymbols,
      },
    },
  };
}
