// Opening the database: the processor's one write connection, and read-only connections for
// the UI. WAL lets readers run while the processor writes.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations';
import { inspectDatabaseFile, moveAside, StoreOpenError, type Recovery } from './integrity';
import { acquireWriterLock, type WriterLock } from './writer-lock';

/**
 * The live writer waits this long for another process's write lock, then journals the cycle
 * (journal.ts) rather than holding the cycle for seconds.
 */
export const WRITER_BUSY_TIMEOUT_MS = 400;

export function openWriteDatabase(file: string, options: { busyTimeoutMs?: number } = {}): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // durable at checkpoints; a power cut loses at most the last cycles
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  // The writer touches only the ends of its tables and one board row per cycle: 4 MB of page
  // cache holds that many times over, where better-sqlite3's default of 16 MB fills with pages
  // it never reads again and stays resident in the processor all day.
  db.pragma('cache_size = -4000');
  migrate(db);
  return db;
}

export interface WriterStore {
  db: Database.Database;
  /** Set when the file at the path was unusable and has been moved aside for a fresh one. */
  recovered: Recovery | null;
  /** Checkpoints the WAL into the database (so the -wal file is empty), closes, releases the lock. */
  close(): void;
}

/**
 * The writer's database: its lock taken first (so nothing moves a file another writer is
 * using), the file checked, moved aside when damaged or foreign, then opened and migrated.
 * Throws DatabaseInUseError when another LiveBreadth writes it, StoreOpenError (one line) when it
 * cannot be opened.
 */
export function openWriterStore(file: string, options: { app: string; busyTimeoutMs?: number; now?: Date }): WriterStore {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new StoreOpenError(`Cannot create the database's folder ${path.dirname(file)}: ${(error as Error).message}`);
  }
  const lock: WriterLock = acquireWriterLock(file, options.app, options.now);
  try {
    let recovered: Recovery | null = null;
    const problem = inspectDatabaseFile(file);
    if (problem) recovered = { movedTo: moveAside(file, options.now), reason: problem };
    let db: Database.Database;
    try {
      db = openWriteDatabase(file, { busyTimeoutMs: options.busyTimeoutMs });
    } catch (error) {
      throw new StoreOpenError(`Cannot open the database ${file}: ${(error as Error).message}`);
    }
    return {
      db,
      recovered,
      close: () => {
        try {
          // Without it the last cycles stay in the -wal file while readers in other processes
          // keep it open, and a copy of the .sqlite file alone would miss them.
          db.pragma('wal_checkpoint(TRUNCATE)');
        } catch {
          /* busy or read-only: SQLite checkpoints at the next open */
        }
        db.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

export function openReadDatabase(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}
