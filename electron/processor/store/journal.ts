// The zero-loss journal: when the database cannot be written (another program holds its write
// lock, the disk is full, the file is read-only, an I/O error), a cycle's write goes here
// instead, and the trader still gets the cycle's snapshot. Entries are JSON lines beside the
// database, appended and fsynced, numbered in order; they are replayed in that order, exactly
// once (each carries a key the database records with the replayed rows), when writing works
// again, then the file is emptied. Bounded: when full, the cycle fails loudly; nothing is
// dropped silently. Entries that could not reach the disk (the disk is full) wait in memory.
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { RunStatus, Snapshot } from '../../../shared/domain';
import type { JournalState } from '../../../shared/processor-protocol';
import type { RunInput, StoredQuote } from './writer';

export interface JournalLimits {
  maxEntries: number;
  maxBytes: number;
}

/** 10,000 cycles, or 128 MB (about 6 hours at 204 symbols every 6 s, 20 minutes at 5,000). */
export const DEFAULT_JOURNAL_LIMITS: JournalLimits = { maxEntries: 10_000, maxBytes: 128 * 1024 * 1024 };

/** symbol, ltp, refPrice, changePct, volume, open, high, low, sector, time: what the writer stores. */
type QuoteTuple = [string, number, number, number, number | null, number | null, number | null, number | null, string | null, string | null];

export type JournalWrite =
  | { kind: 'cycle'; snapshot: Snapshot; quotes: readonly StoredQuote[]; run: RunInput }
  | { kind: 'run'; status: Exclude<RunStatus, 'ok'>; run: RunInput };

export type JournalEntry = JournalWrite & { seq: number; key: string };

interface StoredLine {
  seq: number;
  key: string;
  kind: 'cycle' | 'run';
  status?: Exclude<RunStatus, 'ok'>;
  snapshot?: Snapshot;
  quotes?: QuoteTuple[];
  run: RunInput;
}

export type { JournalState };

export function journalFileOf(dbFile: string): string {
  return `${dbFile}.pending.jsonl`;
}

function toLine(entry: JournalEntry): string {
  const line: StoredLine = entry.kind === 'cycle'
    ? {
        seq: entry.seq, key: entry.key, kind: 'cycle', snapshot: entry.snapshot, run: entry.run,
        quotes: entry.quotes.map((q) => [q.symbol, q.ltp, q.refPrice, q.changePct, q.volume, q.open, q.high, q.low, q.sector, q.time]),
      }
    : { seq: entry.seq, key: entry.key, kind: 'run', status: entry.status, run: entry.run };
  return `${JSON.stringify(line)}\n`;
}

function fromLine(text: string): JournalEntry {
  const line = JSON.parse(text) as StoredLine;
  if (typeof line.seq !== 'number' || typeof line.key !== 'string' || !line.run) throw new Error('not a journal entry');
  if (line.kind === 'run') return { seq: line.seq, key: line.key, kind: 'run', status: line.status!, run: line.run };
  const quotes = line.quotes!.map(([symbol, ltp, refPrice, changePct, volume, open, high, low, sector, time]) => ({ symbol, ltp, refPrice, changePct, volume, open, high, low, sector, time }));
  return { seq: line.seq, key: line.key, kind: 'cycle', snapshot: line.snapshot!, quotes, run: line.run };
}

/** The lines of a journal file's bytes: whole lines only; a torn last line (a crash mid-append) ends them. */
export function parseJournal(bytes: Buffer): { entries: JournalEntry[]; sizes: number[]; goodLength: number } {
  const entries: JournalEntry[] = [];
  const sizes: number[] = [];
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(10, start);
    if (end < 0) break;
    try {
      entries.push(fromLine(bytes.toString('utf8', start, end)));
      sizes.push(end + 1 - start);
    } catch {
      break; // never acknowledged: its cycle did not return
    }
    start = end + 1;
  }
  return { entries, sizes, goodLength: start };
}

export class CycleJournal {
  private fd: number | null = null;
  /** Bytes of whole entries in the file. */
  private fileBytes = 0;
  /** Bytes at the file's start whose entries the database already holds (a replay in progress). */
  private doneBytes = 0;
  /** Entries in the file, and those only in memory because the file could not take them. */
  private fileEntries = 0;
  private memory: JournalEntry[] = [];
  private memoryBytes = 0;
  private nextSeq = 1;
  /** The last journaled content hash per trade date, for the cycle's unchanged check. */
  private lastHash: { tradeDate: string; hash: string | null } | null = null;

  private constructor(readonly file: string, private readonly limits: JournalLimits) {}

  /** Opens the journal, reading what a previous run left (the only time the file is read whole but for replays). */
  static open(file: string, limits: JournalLimits = DEFAULT_JOURNAL_LIMITS): CycleJournal {
    const journal = new CycleJournal(file, limits);
    if (existsSync(file)) {
      const { entries, goodLength } = journal.readFile();
      journal.fileEntries = entries.length;
      journal.fileBytes = goodLength;
      const last = entries.at(-1);
      if (last) {
        journal.nextSeq = last.seq + 1;
        journal.lastHash = { tradeDate: last.run.tradeDate, hash: last.run.contentHash };
      }
      if (journal.fd !== null && fstatSync(journal.fd).size !== goodLength) ftruncateSync(journal.fd, goodLength);
    }
    return journal;
  }

  get pending(): number {
    return this.fileEntries + this.memory.length;
  }

  get full(): boolean {
    return this.pending >= this.limits.maxEntries || this.fileBytes + this.memoryBytes >= this.limits.maxBytes;
  }

  get state(): JournalState {
    return { pending: this.pending, full: this.full };
  }

  /** Entries held only in memory: lost if the process dies before the disk takes them. */
  get inMemory(): number {
    return this.memory.length;
  }

  /** The content hash of the last waiting cycle of that trade date, when one waits. */
  lastContentHash(tradeDate: string): string | null | undefined {
    return this.pending && this.lastHash?.tradeDate === tradeDate ? this.lastHash.hash : undefined;
  }

  /** Keeps a write for later. False when the journal is full (the write is not kept). */
  append(write: JournalWrite): boolean {
    if (this.full) return false;
    const entry = { ...write, seq: this.nextSeq++, key: randomUUID() } as JournalEntry;
    const line = Buffer.from(toLine(entry));
    this.flushMemory();
    if (this.memory.length === 0 && this.writeLine(line)) this.fileEntries++;
    else {
      this.memory.push(entry);
      this.memoryBytes += line.length;
    }
    this.lastHash = { tradeDate: write.run.tradeDate, hash: write.run.contentHash };
    return true;
  }

  /**
   * Every waiting entry, in order; after storing each, the caller calls `done` with it, so a
   * replay cut short resumes after the last stored entry without reading it again.
   */
  entries(): Array<{ entry: JournalEntry; done: () => void }> {
    this.flushMemory();
    const list: Array<{ entry: JournalEntry; done: () => void }> = [];
    if (this.fileEntries) {
      const { entries, sizes } = this.readFile(this.doneBytes);
      entries.forEach((entry, i) => list.push({ entry, done: () => { this.doneBytes += sizes[i]!; this.fileEntries--; this.afterDone(); } }));
    }
    for (const entry of this.memory) {
      list.push({ entry, done: () => { this.memory.shift(); this.memoryBytes -= Buffer.byteLength(toLine(entry)); this.afterDone(); } });
    }
    return list;
  }

  private afterDone(): void {
    if (this.pending === 0) this.clear();
  }

  /** Empties the journal once the database holds every entry. */
  clear(): void {
    this.memory = [];
    this.memoryBytes = 0;
    this.fileEntries = 0;
    this.lastHash = null;
    if (this.fd !== null && this.fileBytes > 0) {
      ftruncateSync(this.fd, 0);
      fsyncSync(this.fd);
    }
    this.fileBytes = 0;
    this.doneBytes = 0;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): number {
    this.fd ??= openSync(this.file, 'a+');
    return this.fd;
  }

  /** Appends one whole line and fsyncs it; on failure (disk full) takes the partial line back off. */
  private writeLine(line: Buffer): boolean {
    try {
      const fd = this.open();
      let written = 0;
      while (written < line.length) written += writeSync(fd, line, written, line.length - written, null);
      fsyncSync(fd);
      this.fileBytes += line.length;
      return true;
    } catch {
      try {
        if (this.fd !== null) ftruncateSync(this.fd, this.fileBytes);
      } catch {
        /* the torn line is dropped at the next open */
      }
      return false;
    }
  }

  /** Moves entries kept in memory to the file, in order, once the disk takes them again. */
  private flushMemory(): void {
    while (this.memory.length) {
      const line = Buffer.from(toLine(this.memory[0]!));
      if (!this.writeLine(line)) return;
      this.memory.shift();
      this.memoryBytes -= line.length;
      this.fileEntries++;
    }
  }

  private readFile(from = 0): { entries: JournalEntry[]; sizes: number[]; goodLength: number } {
    const fd = this.open();
    const size = Math.max(0, fstatSync(fd).size - from);
    const bytes = Buffer.allocUnsafe(size);
    for (let at = 0; at < size; ) {
      const n = readSync(fd, bytes, at, size - at, from + at);
      if (n === 0) break;
      at += n;
    }
    return parseJournal(bytes);
  }
}

const UNAVAILABLE = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_PROTOCOL'];

/**
 * The database cannot be written just now, for a reason outside the data (a lock held by another
 * program, a full disk, a read-only file, an I/O error): the write is journaled, not lost.
 * Anything else (a constraint, a bug) is not the disk's fault and is thrown as before.
 */
export function isStorageUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE.some((c) => code === c || code.startsWith(`${c}_`));
}

/** The one line a trader reads when a cycle was journaled: what happened, in their words. */
export function unavailableReason(error: unknown): string {
  const code = String((error as { code?: unknown }).code ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'another program is writing the database';
  if (code.startsWith('SQLITE_FULL')) return 'the disk is full';
  if (code.startsWith('SQLITE_READONLY')) return 'the database is read-only';
  return `the database cannot be written (${(error as Error).message})`;
}
