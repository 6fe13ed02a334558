// Human-readable output for the terminal.
import type { CycleResult } from '../processor/cycle';

const fmt = (n: number | null, digits = 2) => (n === null ? '—' : n.toFixed(digits));

export function formatSnapshot(result: CycleResult): string {
  const s = result.snapshot!;
  const c = s.coverage;
  const lines = [
    `Trade date ${s.tradeDate}  polled ${s.pollTime}  (${result.status}, ${result.durationMs.toFixed(1)} ms)`,
    `Advances   ${String(s.advances).padStart(6)}  ${fmt(s.advPct)}%`,
    `Declines   ${String(s.declines).padStart(6)}  ${fmt(s.declPct)}%`,
    `Unchanged  ${String(s.unchanged).padStart(6)}  ${fmt(s.unchPct)}%`,
    `A/D ratio  ${fmt(s.adRatio).padStart(6)}   A−D ${s.adDiff}   ${s.sentiment}`,
    `Coverage   ${c.priced} / ${c.universe} priced, ${c.missing} missing, ${c.unknown} unknown, ${c.rejected} rejected rows`,
  ];
  for (const r of result.rejected.slice(0, 10)) {
    lines.push(`  rejected ${r.file} row ${r.row}${r.symbol ? ` (${r.symbol})` : ''}: ${r.reason}`);
  }
  if (result.rejected.length > 10) lines.push(`  … and ${result.rejected.length - 10} more rejected rows`);
  return `${lines.join('\n')}\n`;
}
