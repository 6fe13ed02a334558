// `history show`: the stored daily breadth history, as a table or (--json) as one object
// { "days": [...] } in date order, with null where a figure does not exist yet. Reads through a
// read-only connection, so it works while the app or an import writes the database.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { defaultDatabasePath } from '../../core/paths';
import { readHistory } from '../../processor/history/store';
import { openReadDatabase } from '../../processor/store/database';
import { dateOption, UsageError } from '../usage';
import { dayJson, daysTable } from './history-format';

export interface HistoryShowOptions {
  from?: string;
  to?: string;
  db?: string;
  json?: boolean;
}

/** A database from before the history existed (not yet opened by this version) has no days. */
function hasHistory(db: Database.Database): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'history_days'`).get() !== undefined;
}

export function runHistoryShow(options: HistoryShowOptions): number {
  const from = dateOption(options.from, 'from');
  const to = dateOption(options.to, 'to');
  if (from !== undefined && to !== undefined && to < from) throw new UsageError(`--to (${to}) is before --from (${from})`);
  const dbPath = options.db ? path.resolve(options.db) : defaultDatabasePath();
  if (!existsSync(dbPath)) throw new UsageError(`There is no database at ${dbPath}`);
  let db: Database.Database;
  try {
    db = openReadDatabase(dbPath);
  } catch (error) {
    throw new UsageError(`Cannot open the database ${dbPath}: ${(error as Error).message}`);
  }
  try {
    const days = hasHistory(db) ? readHistory(db, { from, to }) : [];
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ days: days.map(dayJson) })}\n`);
    } else if (days.length === 0) {
      process.stdout.write('No daily history in this range. Import some with: npm run breadth -- history import --from D --to D\n');
    } else {
      process.stdout.write(daysTable(days));
    }
    return 0;
  } finally {
    db.close();
  }
}
