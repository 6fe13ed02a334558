// Test support for the chart modules' tests: snapshots built from their counts, and a seeded
// PRNG for random series.
import { countFigures } from '../../../../shared/breadth';
import type { Snapshot } from '../../../../shared/domain';

export const OPEN = Date.parse('2026-11-20T03:45:00Z'); // 09:15 in Mumbai

/** A snapshot at `t` (epoch ms) with the given counts; the other figures follow from them. */
export function snap(t: number, advances: number, declines: number, extra: Partial<Snapshot> = {}): Snapshot {
  const counts = countFigures(advances, declines, 10);
  const total = counts.total;
  return {
    ...counts,
    upVolume: null,
    downVolume: null,
    volumeRatio: null,
    sentiment: 'NEUTRAL',
    tradeDate: '2026-11-20',
    pollTime: new Date(t).toISOString(),
    coverage: { universe: total, priced: total, missing: 0, unknown: 0, rejected: 0, missingSymbols: [], unknownSymbols: [] },
    ...extra,
  };
}

/** Deterministic PRNG (mulberry32), so a failing random case can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
