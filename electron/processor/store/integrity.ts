// The database's health at start: a damaged or foreign file is moved aside (with its -wal and
// -shm) and a fresh database takes its place, so the app starts instead of failing every
// configure. A file that cannot be opened for another reason (permissions, a folder) is not
// touched: that is the user's to fix, and the reason is given in one line.
import Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { SCHEMA_VERSION } from './migrations';

export interface Recovery {
  /** Where the unusable file went. */
  movedTo: string;
  /** Why, in one line. */
  reason: string;
}

export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}

const DAMAGE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/** Damaged: SQLite says the file is not a database or is corrupt (any extended corrupt code). */
export function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && [...DAMAGE_CODES].some((c) => code === c || code.startsWith(`${c}_`));
}

/**
 * Why the database file cannot be used as ours, or null when it can (or does not exist yet).
 * `PRAGMA quick_check` reads every page once (no index cross-checks): a corrupt page anywhere is
 * found at start rather than mid-session.
 */
export function inspectDatabaseFile(file: string): string | null {
  if (file === ':memory:' || !existsSync(file)) return null;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { fileMustExist: true });
    const problems = (db.pragma('quick_check(5)') as Array<{ quick_check: string }>).map((r) => r.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') return `it is damaged (${problems.slice(0, 2).join('; ')})`;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) return `it was written by a newer LiveBreadth (schema ${version}, this version knows ${SCHEMA_VERSION})`;
    if (version === 0) {
      const tables = db.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`).pluck().get() as number;
      if (tables > 0) return 'it is not a LiveBreadth database (it holds tables of another program)';
    }
    return null;
  } catch (error) {
    if (isDamage(error)) return `it is damaged or not a database (${(error as Error).message})`;
    throw new StoreOpenError(`Cannot open the database ${file}: ${(error as Error).message}`);
  } finally {
    db?.close();
  }
}

/** `2026-11-23T10-15-00Z`: sortable, and valid in a file name on every system. */
export function corruptStamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/** Moves the file and its -wal/-shm to `<file>.corrupt-<stamp>`; returns the new name. */
export function moveAside(file: string, now: Date = new Date()): string {
  const base = `${file}.corrupt-${corruptStamp(now)}`;
  let target = base;
  for (let n = 2; existsSync(target); n++) target = `${base}-${n}`;
  renameSync(file, target);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}
