// Importing one session's bhavcopy into the history tables: skip identical content, replace
// different content, all in one transaction so a re-applied day never duplicates rows.
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { toHundredths } from '../../../../shared/breadth';
import type { Bhavcopy } from '../../../../shared/history/bhavcopy';
import { breadthOf, countedStocks, universeSeries, type HistoryUniverse } from '../../../../shared/history/indicators';
import { extendIfCurrent, indicatorsChangedFrom } from './symbol-figures';

export type ImportOutcome = 'imported' | 'skipped-identical' | 'replaced';

export interface ImportOptions {
  universe: HistoryUniverse;
  /** The source's name, recorded with the day ('folder', 'nse', ...). */
  source: string;
  /** sha256 (hex) of the file's content, as the source read it. */
  contentHash: string;
  /** Re-import even when the day was imported from identical content. */
  force?: boolean;
  now?: Date;
}

/** A day that cannot be imported, in one line for the job's failed items. */
export class HistoryImportError extends Error {
  override name = 'HistoryImportError';
}

/**
 * What decides which stocks counted: the series, and in symbols mode a digest of the sorted
 * symbols. Part of a day's identity, so a day imported under another universe is replaced.
 */
export function universeKey(universe: HistoryUniverse): string {
  const series = universeSeries(universe).join(',');
  if (!('symbols' in universe)) return `series:${series}`;
  const digest = createHash('sha256').update([...universe.symbols].sort().join('\n')).digest('hex').slice(0, 16);
  return `symbols:${series}:${universe.symbols.size}:${digest}`;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function importDay(db: Database.Database, bhavcopy: Bhavcopy, options: ImportOptions): ImportOutcome {
  const { tradeDate } = bhavcopy;
  if (!DATE.test(tradeDate)) throw new HistoryImportError(`The bhavcopy's trade date "${tradeDate}" is not YYYY-MM-DD`);
  const stocks = countedStocks(bhavcopy.rows, options.universe);
  if (stocks.length === 0) {
    // A day of zeros would put a false collapse into every series; it is the wrong file or universe.
    throw new HistoryImportError(`The bhavcopy of ${tradeDate} has no stock of the universe with a close and a previous close`);
  }
  const universe = universeKey(options.universe);
  const breadth = breadthOf(stocks);

  const existing = db.prepare('SELECT content_hash AS contentHash, universe FROM history_days WHERE trade_date = ?');
  const removeCloses = db.prepare('DELETE FROM history_closes WHERE trade_date = ?');
  const insertClose = db.prepare(`INSERT INTO history_closes (trade_date, symbol, series, close_paise, high_paise, low_paise, volume)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const upsertDay = db.prepare(`INSERT OR REPLACE INTO history_days
    (trade_date, advances, declines, unchanged, up_volume, down_volume, row_count, format, universe, source, content_hash, imported_at)
    VALUES (@tradeDate, @advances, @declines, @unchanged, @upVolume, @downVolume, @rowCount, @format, @universe, @source, @contentHash, @importedAt)`);
  const paise = (price: number | null) => (price !== null && Number.isFinite(price) && price > 0 ? toHundredths(price) : null);
  const volume = (v: number | null) => (v !== null && Number.isFinite(v) ? Math.round(v) : null);

  return db.transaction((): ImportOutcome => {
    const held = existing.get(tradeDate) as { contentHash: string; universe: string } | undefined;
    if (held && held.contentHash === options.contentHash && held.universe === universe && !options.force) return 'skipped-identical';
    removeCloses.run(tradeDate);
    for (const s of stocks) {
      insertClose.run(tradeDate, s.symbol, s.series, toHundredths(s.close), paise(s.high), paise(s.low), volume(s.volume));
    }
    upsertDay.run({
      tradeDate,
      ...breadth,
      rowCount: bhavcopy.rows.length,
      format: bhavcopy.format,
      universe,
      source: options.source,
      contentHash: options.contentHash,
      importedAt: (options.now ?? new Date()).toISOString(),
    });
    indicatorsChangedFrom(db, tradeDate);
    extendIfCurrent(db, tradeDate, stocks);
    return held ? 'replaced' : 'imported';
  }).immediate();
}
