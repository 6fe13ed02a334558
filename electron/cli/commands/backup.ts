// `backup`: a consistent copy of the database while the app runs, with SQLite's online backup
// API (pages copied in steps, restarted if the writer changes them). Reads only: it never takes
// the writer lock, so the running app keeps writing.
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { defaultDatabasePath } from '../../core/paths';
import { openReadDatabase } from '../../processor/store/database';
import { requireOption, UsageError } from '../usage';

export interface BackupOptions {
  to?: string;
  db?: string;
  force?: boolean;
}

export async function runBackup(options: BackupOptions): Promise<number> {
  const target = path.resolve(requireOption(options.to, 'to'));
  const source = options.db ? path.resolve(options.db) : defaultDatabasePath();
  if (!existsSync(source)) throw new UsageError(`There is no database at ${source} (choose one with --db)`);
  if (target === source) throw new UsageError('--to must be another file than the database itself');
  const folder = path.dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`Cannot write ${target}: the folder ${folder} does not exist`);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new UsageError(`Cannot write ${target}: it is a folder`);
    if (!options.force) throw new UsageError(`${target} already exists: choose another name, or add --force to replace it`);
  }

  let db: Database.Database;
  try {
    db = openReadDatabase(source);
  } catch (error) {
    throw new UsageError(`Cannot open the database ${source}: ${(error as Error).message}`);
  }
  // Into a temporary file beside the target, renamed when whole: a failed or interrupted backup
  // never leaves a half file under the target's name, nor destroys the one --force replaces.
  const partial = `${target}.partial-${process.pid}`;
  try {
    await db.backup(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new UsageError(`Cannot write ${target}: ${(error as Error).message}`);
  } finally {
    db.close();
  }
  const copy = new Database(partial);
  copy.pragma('journal_mode = DELETE'); // one self-contained file, no -wal or -shm beside it
  const snapshots = copy.prepare('SELECT COUNT(*) FROM snapshots').pluck().get() as number;
  const days = copy.prepare('SELECT COUNT(*) FROM day_summary').pluck().get() as number;
  copy.close();
  renameSync(partial, target);
  process.stdout.write(`Backed up ${source}\n     to ${target}: ${snapshots} snapshots over ${days} trading day${days === 1 ? '' : 's'}\n`);
  return 0;
}
