// The writer lock: one process writes a database at a time. The desktop app, `serve` and `once`
// default to the same database, and each writer keeps the day's quote board in memory and
// rewrites it whole, so a second writer would silently overwrite the first one's updates.
//
// A lock file beside the database names its holder (pid, app, since when). It is created whole
// and atomically: written to a private temp file, then hard-linked to its name, which fails if
// the name exists (O_EXCL semantics, without the instant where another process could read an
// empty lock). A lock whose process is gone is stale and taken over.
// Why not SQLite's own locking: `locking_mode = EXCLUSIVE` in WAL mode keeps the wal-index in
// the writer's heap, which locks out the read-only connections of the app's other processes.
import { fsyncSync, linkSync, openSync, closeSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { DEFAULT_EXCHANGE_ZONE, exchangeClockLabel, tradeDateOf } from '../../../shared/exchange-time';

export interface LockHolder {
  pid: number;
  /** Which LiveBreadth: "desktop app", "serve", "once". */
  app: string;
  /** ISO UTC. */
  since: string;
}

export interface WriterLock {
  readonly file: string;
  readonly holder: LockHolder;
  release(): void;
}

export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
  constructor(readonly holder: LockHolder, now: Date = new Date()) {
    super(`The database is in use by LiveBreadth (pid ${holder.pid}, ${holder.app}, since ${sinceLabel(holder.since, now)}): stop it first`);
  }
}

/** Lock files this process holds, so a lock naming our own pid from an earlier life is seen as stale. */
const held = new Set<string>();
let exitHookInstalled = false;

export function lockFileOf(dbFile: string): string {
  return `${dbFile}.lock`;
}

/** "10:15 IST" today (exchange time), "23 Nov 10:15 IST" on another day. */
export function sinceLabel(since: string, now: Date, zone = DEFAULT_EXCHANGE_ZONE): string {
  const t = new Date(since);
  if (Number.isNaN(t.getTime())) return 'an unknown time';
  const sameDay = tradeDateOf(t, zone) === tradeDateOf(now, zone);
  return exchangeClockLabel(t, zone, sameDay ? 'HH:mm' : 'd LLL HH:mm');
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** Decides whether a lock file's holder still holds it (pure apart from the liveness probe). */
export function isStale(holder: LockHolder | null, file: string, alive: (pid: number) => boolean = processAlive): boolean {
  if (!holder) return true; // unreadable: never written by us whole
  if (holder.pid === process.pid) return !held.has(file); // our pid, reused after a restart
  return !alive(holder.pid);
}

function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.app !== 'string' || typeof parsed.since !== 'string') return null;
    return { pid: parsed.pid, app: parsed.app, since: parsed.since };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    return null;
  }
}

function writeWhole(file: string, text: string): void {
  const fd = openSync(file, 'wx');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Takes the lock for this process, or throws DatabaseInUseError naming the holder. */
export function acquireWriterLock(dbFile: string, app: string, now: Date = new Date()): WriterLock {
  const file = lockFileOf(dbFile);
  const holder: LockHolder = { pid: process.pid, app, since: now.toISOString() };
  const temp = `${file}.${process.pid}.tmp`;
  for (let attempt = 0; attempt < 5; attempt++) {
    try { unlinkSync(temp); } catch { /* not there */ }
    try {
      writeWhole(temp, JSON.stringify(holder));
      linkSync(temp, file);
      unlinkSync(temp);
      held.add(file);
      installExitHook();
      return { file, holder, release: () => releaseLock(file, holder) };
    } catch (error) {
      try { unlinkSync(temp); } catch { /* not there */ }
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new Error(`Cannot create the database's writer lock ${file}: ${(error as Error).message}`);
    }
    let current: LockHolder | null;
    try {
      current = readHolder(file);
    } catch {
      continue; // released between our attempt and the read: try again
    }
    if (!isStale(current, file)) throw new DatabaseInUseError(current!, now);
    // Its process is gone (a crash, a SIGKILL): the lock is ours to take.
    try { unlinkSync(file); } catch { /* another starter removed it first */ }
  }
  throw new Error(`Cannot take the database's writer lock ${file}: it keeps changing hands`);
}

function releaseLock(file: string, holder: LockHolder): void {
  if (!held.delete(file)) return;
  try {
    const current = readHolder(file);
    // Never remove a lock someone else took over.
    if (current && current.pid === holder.pid && current.since === holder.since) unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A process that exits without closing its store (process.exit after a reply) leaves no lock.
  process.on('exit', () => {
    for (const file of [...held]) {
      held.delete(file);
      try {
        if (readHolder(file)?.pid === process.pid) unlinkSync(file);
      } catch {
        /* gone */
      }
    }
  });
}
