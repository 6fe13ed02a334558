// Figures beside the charts: breadth per sector (the sector table) and each tile's change since
// the day's first snapshot. Pure.
import { round2 } from '../../../shared/breadth';
import type { PricedSymbol, SeriesPoint, Snapshot } from '../../../shared/domain';

export interface SectorBreadth {
  sector: string;
  advances: number;
  declines: number;
  unchanged: number;
  total: number;
}

/**
 * Advances, declines and unchanged per sector. Stocks without a sector (null or blank) are left
 * out; names are trimmed. Sorted by total, largest first, then by name.
 */
export function sectorBreadth(stocks: ReadonlyArray<Pick<PricedSymbol, 'sector' | 'status'>>): SectorBreadth[] {
  const bySector = new Map<string, SectorBreadth>();
  for (const stock of stocks) {
    const sector = stock.sector?.trim();
    if (!sector) continue;
    let row = bySector.get(sector);
    if (!row) {
      row = { sector, advances: 0, declines: 0, unchanged: 0, total: 0 };
      bySector.set(sector, row);
    }
    if (stock.status === 'advance') row.advances++;
    else if (stock.status === 'decline') row.declines++;
    else row.unchanged++;
    row.total++;
  }
  return [...bySector.values()].sort(
    (a, b) => b.total - a.total || (a.sector < b.sector ? -1 : a.sector > b.sector ? 1 : 0),
  );
}

// ── change since the first snapshot ─────────────────────────────────────────────────────────

/**
 * latest[key] − first[key], rounded to two decimals; null when either snapshot or either value
 * is missing (null, or not a finite number).
 */
export function changeSince(
  first: SeriesPoint | undefined,
  latest: Snapshot | null,
  key: 'advances' | 'declines' | 'unchanged' | 'adRatio' | 'adDiff' | 'advPct' | 'declPct' | 'unchPct' | 'volumeRatio',
): number | null {
  if (!first || !latest) return null;
  const from = first[key];
  const to = latest[key];
  if (from === null || to === null || !Number.isFinite(from) || !Number.isFinite(to)) return null;
  const change = round2(to - from);
  return change === 0 ? 0 : change; // never -0
}
