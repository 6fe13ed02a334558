// Opening the database: the processor's one write connection, and read-only connections for
// the UI. WAL lets readers run while the processor writes.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations';

export function openWriteDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // durable at checkpoints; a power cut loses at most the last cycles
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // The writer touches only the ends of its tables and one board row per cycle: 4 MB of page
  // cache holds that many times over, where better-sqlite3's default of 16 MB fills with pages
  // it never reads again and stays resident in the processor all day.
  db.pragma('cache_size = -4000');
  migrate(db);
  return db;
}

export function openReadDatabase(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}
