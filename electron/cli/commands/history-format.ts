// How `history import` and `history show` look in a terminal: the progress line, the summary
// table at the end, the daily rows. Pure: strings in, strings out.
import type { JobItemFailure, JobRecord } from '../../../shared/jobs';
import type { HistoryDay } from '../../../shared/history/indicators';
import type { HistoryImportResult } from '../../processor/history/import-summary';
import { isIndicatorsItem } from '../../processor/history/import-job';

/** 75 → "1:15", 3725 → "1:02:05". */
export function clockDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** "  123/250 items  18.2/s  ETA 0:07  2024-07-08": items done or failed of the total, pace, time left, the item in hand. */
export function progressLine(job: JobRecord): string {
  const p = job.progress;
  const parts = [`${String(p.done + p.failed).padStart(String(p.total).length)}/${p.total}`];
  if (p.failed > 0) parts.push(`(${p.failed} failed)`);
  if (p.itemsPerSecond !== null) parts.push(`${p.itemsPerSecond.toFixed(1)}/s`);
  if (p.etaSeconds !== null) parts.push(`ETA ${clockDuration(p.etaSeconds)}`);
  if (p.currentItem) parts.push(isIndicatorsItem(p.currentItem) ? 'updating the indicators' : p.currentItem);
  return `  ${parts.join('  ')}`;
}

const MB = 1024 * 1024;

export function bytesLabel(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The table printed when the job completed, with the failed days and their reasons. */
export function summaryTable(job: JobRecord, failures: readonly JobItemFailure[], seconds: number, shownFailures = 50): string {
  const r = job.result as HistoryImportResult;
  const params = job.params as { from: string; to: string };
  const rate = seconds > 0 ? ` (${(r.sessions / seconds).toFixed(1)} sessions/s)` : '';
  const sources = Object.entries(r.sources).map(([name, days]) => `${name} ${days}`).join(', ') || '—';
  const rows: Array<[string, string | number]> = [
    ['sessions', r.sessions],
    ['imported', r.imported],
    ['skipped (identical)', r.skipped],
    ['replaced', r.replaced],
    ['not published', r.notPublished],
    ['failed', r.failed],
    ['days by source', sources],
    ['downloaded', `${bytesLabel(r.bytesDownloaded)}; ${r.fromCache} days from the cache`],
  ];
  if (r.indicatorsPendingFrom) rows.push(['indicators pending from', r.indicatorsPendingFrom]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [`History import ${params.from} to ${params.to}: completed in ${clockDuration(seconds)}${rate}`];
  for (const [label, value] of rows) lines.push(`  ${label.padEnd(width)}  ${value}`);
  const days = failures.filter((f) => !isIndicatorsItem(f.item));
  if (days.length > 0) {
    lines.push('Days not imported:');
    for (const f of days.slice(0, shownFailures)) lines.push(`  ${f.item}  ${f.reason}`);
    if (days.length > shownFailures) lines.push(`  … and ${days.length - shownFailures} more (the app's Jobs panel lists them all)`);
  }
  return `${lines.join('\n')}\n`;
}

/** The figures of `history show --json`, in this order; null where a figure does not exist yet. */
export function dayJson(day: HistoryDay): Record<string, string | number | null> {
  return {
    tradeDate: day.tradeDate,
    advances: day.advances,
    declines: day.declines,
    unchanged: day.unchanged,
    netAdvances: day.netAdvances,
    adLine: day.adLine,
    mcclellanOscillator: day.mcclellanOscillator,
    summationIndex: day.summationIndex,
    pctAbove50: day.pctAbove50,
    pctAbove200: day.pctAbove200,
    newHighs: day.newHighs,
    newLows: day.newLows,
    upVolume: day.upVolume,
    downVolume: day.downVolume,
  };
}

const fixed = (value: number | null, digits: number) => (value === null ? '—' : value.toFixed(digits));

/** The daily rows as a table, oldest first. */
export function daysTable(days: readonly HistoryDay[]): string {
  const header = ['date', 'adv', 'decl', 'unch', 'net', 'A/D line', 'McClellan', 'summation', '% > 50d', '% > 200d', 'new hi', 'new lo'];
  const rows = days.map((d) => [
    d.tradeDate, String(d.advances), String(d.declines), String(d.unchanged), String(d.netAdvances), String(d.adLine),
    fixed(d.mcclellanOscillator, 2), fixed(d.summationIndex, 1), fixed(d.pctAbove50, 1), fixed(d.pctAbove200, 1),
    d.newHighs === null ? '—' : String(d.newHighs), d.newLows === null ? '—' : String(d.newLows),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
