// One processing cycle: find the files, read them (Historical from cache when unchanged),
// match, compute, and store the snapshot and its run in one transaction.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import { tradeDateOf, DEFAULT_EXCHANGE_ZONE } from '../../shared/exchange-time';
import type { PricedSymbol, RejectedRow, RunStatus, RunTrigger, Snapshot, SourceFile } from '../../shared/domain';
import { DataError, isDataError, readPriceFile, type DataFile, type DataFileNames, type QuoteRow, type WorkbookEngine } from './reader';
import { findDataFilesSync } from './reader/files';
import { buildReference, matchQuotes, type Reference } from './universe';
import { buildSnapshot } from './snapshot';
import { BreadthWriter, type RunInput } from './store/writer';
import { isStorageUnavailable, unavailableReason, type CycleJournal, type JournalState, type JournalWrite } from './store/journal';

export interface CycleResult {
  runId: number;
  status: RunStatus;
  trigger: RunTrigger;
  /** One line for the status bar when the run failed or was unchanged. */
  message: string | null;
  startedAt: string;
  durationMs: number;
  /** The computed figures: stored when status is ok, the same as the stored ones when unchanged. */
  snapshot: Snapshot | null;
  rejected: RejectedRow[];
  /** Ticks stored: symbols whose price or volume changed since their previous tick. */
  ticksStored: number;
  /** Writes waiting in the journal for the database (runId is 0 when this cycle's is one of them). */
  journal: JournalState;
}

const NO_JOURNAL: JournalState = { pending: 0, full: false };

export function journalFullMessage(pending: number): string {
  return `${pending} cycles wait to be written; the journal is full — free disk space / close the program locking the database`;
}

export interface ProcessorConfig {
  dataDir: string;
  /** Base names of the Live and Historical files (default Live, Historical). */
  fileNames?: DataFileNames;
  /** IANA zone of the exchange; the trade date is the date there. */
  exchangeZone?: string;
  /**
   * Waits before re-reading a file that looked mid-save (locked, missing, truncated). Excel
   * holds the file for a few tens of milliseconds; a network share can take longer.
   */
  retryDelaysMs?: readonly number[];
  /** Workbook reader; the fast one unless a comparison asks for exceljs. */
  workbookEngine?: WorkbookEngine;
}

interface CachedReference {
  key: string;
  reference: Reference;
}

function sourceOf(file: DataFile | null): SourceFile | null {
  return file && { path: file.path, modifiedAt: new Date(file.mtimeMs).toISOString(), size: file.size };
}

/**
 * What Live held, so an unchanged re-save (new bytes, same prices) stores nothing new. Numbers
 * are hashed as their eight bytes rather than as text: formatting 40,000 numbers a cycle at
 * 5,000 symbols cost more than the hashing itself.
 */
export function contentHash(rows: readonly QuoteRow[], referenceKey: string): string {
  const numbers = new Float64Array(rows.length * 6);
  const symbols: Array<string | null> = new Array(rows.length);
  const times: Array<string | null> = new Array(rows.length);
  for (let i = 0, k = 0; i < rows.length; i++) {
    const r = rows[i]!;
    symbols[i] = r.symbol;
    times[i] = r.time;
    // A missing value is NaN, never 0: a price that goes blank is a change.
    numbers[k++] = r.price ?? NaN;
    numbers[k++] = r.prevClose ?? NaN;
    numbers[k++] = r.volume ?? NaN;
    numbers[k++] = r.open ?? NaN;
    numbers[k++] = r.high ?? NaN;
    numbers[k++] = r.low ?? NaN;
  }
  return createHash('sha1')
    .update(referenceKey)
    .update('\0')
    .update(symbols.join('\n'))
    .update('\0')
    .update(times.join('\n'))
    .update(new Uint8Array(numbers.buffer))
    .digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class BreadthProcessor {
  private referenceCache: CachedReference | null = null;
  private readonly writer: BreadthWriter;
  private readonly zone: string;

  /** Why the database last refused a write, while writes wait in the journal. */
  private unavailable = '';

  constructor(
    private readonly db: Database.Database,
    private readonly config: ProcessorConfig,
    /** Where writes go while the database cannot take them; without one, such errors are thrown. */
    private readonly journal: CycleJournal | null = null,
  ) {
    this.writer = new BreadthWriter(db);
    this.zone = config.exchangeZone ?? DEFAULT_EXCHANGE_ZONE;
  }

  async runCycle(trigger: RunTrigger, now: Date = new Date()): Promise<CycleResult> {
    const started = performance.now();
    const tradeDate = tradeDateOf(now, this.zone);
    const run: RunInput = {
      trigger,
      startedAt: now.toISOString(),
      durationMs: 0,
      tradeDate,
      message: null,
      live: null,
      historical: null,
      rowsRead: 0,
      rowsValid: 0,
      rejected: [],
      contentHash: null,
    };
    const finish = (status: RunStatus, runId: number, snapshot: Snapshot | null, rejected: RejectedRow[], ticksStored: number): CycleResult => ({
      runId, status, trigger, message: run.message, startedAt: run.startedAt, durationMs: run.durationMs,
      snapshot, rejected, ticksStored, journal: this.journal?.state ?? NO_JOURNAL,
    });
    // Writes kept while the database was unavailable go first, so the day stays in order.
    const drained = this.drainJournal();

    let computed: { snapshot: Snapshot; symbols: PricedSymbol[]; rejected: RejectedRow[] };
    try {
      const { live, historical, reference, referenceKey } = await this.readInputs(tradeDate, run);
      run.rowsRead = live.length;
      run.contentHash = contentHash(live, referenceKey);
      computed = buildSnapshot(matchQuotes(live, reference), now, tradeDate);
      run.rejected = computed.rejected;
      run.rowsValid = computed.symbols.length;
      if (computed.symbols.length === 0) {
        throw new DataError(`No symbol could be priced: ${describeRejections(computed.rejected, historical !== null)}`);
      }
    } catch (error) {
      if (!isDataError(error)) throw error;
      run.message = error.message;
      run.durationMs = performance.now() - started;
      return finish('failed', this.storeRun(run, 'failed', drained), null, run.rejected as RejectedRow[], 0);
    }

    if (run.contentHash === this.lastContentHash(tradeDate)) {
      run.message = 'Live has not changed since the previous cycle';
      run.durationMs = performance.now() - started;
      // The figures are still the current ones; they are just not stored again.
      return finish('unchanged', this.storeRun(run, 'unchanged', drained), computed.snapshot, computed.rejected, 0);
    }
    const elapsed = () => performance.now() - started;
    if (drained) {
      try {
        const { runId, ticks } = this.writer.recordSnapshot(computed.snapshot, computed.symbols, run, elapsed);
        run.durationMs = elapsed(); // the whole cycle: read, compute and store, commit included
        return finish('ok', runId, computed.snapshot, computed.rejected, ticks);
      } catch (error) {
        if (!this.journal || !isStorageUnavailable(error)) throw error;
        this.unavailable = unavailableReason(error);
      }
    }
    run.durationMs = elapsed();
    // The trader still gets the snapshot; the database gets it when it can take it.
    if (!this.journal!.append({ kind: 'cycle', snapshot: computed.snapshot, quotes: computed.symbols, run: { ...run } })) {
      run.message = journalFullMessage(this.journal!.pending);
      return finish('failed', 0, null, computed.rejected, 0);
    }
    run.message = `Stored later: ${this.unavailable}; ${this.journal!.pending} cycles wait to be written`;
    return finish('ok', 0, computed.snapshot, computed.rejected, 0);
  }

  /**
   * Replays the journal's waiting writes in order, each exactly once; true when none is left.
   * O(1) when the journal is empty: its count is kept in memory.
   */
  drainJournal(): boolean {
    const journal = this.journal;
    if (!journal || journal.pending === 0) return true;
    for (const { entry, done } of journal.entries()) {
      try {
        this.writer.applyJournalEntry(entry);
      } catch (error) {
        if (isStorageUnavailable(error)) {
          this.unavailable = unavailableReason(error);
          return false;
        }
        // Not the disk's fault (a bug, a constraint): replaying it again would fail for ever
        // and hold back every later cycle, so it is passed over, and said so in the run log.
        this.writer.recordRun({ ...entry.run, message: `A cycle kept while the database was unavailable could not be stored: ${(error as Error).message}` }, 'failed');
      }
      done();
    }
    try {
      this.writer.forgetJournalKeys();
    } catch (error) {
      if (!isStorageUnavailable(error)) throw error; // harmless: the keys are forgotten next time
    }
    return true;
  }

  /** The last stored (or waiting) content hash of the day; null when it cannot be read now. */
  private lastContentHash(tradeDate: string): string | null {
    const waiting = this.journal?.lastContentHash(tradeDate);
    if (waiting !== undefined) return waiting;
    try {
      return this.writer.lastContentHash(tradeDate);
    } catch (error) {
      if (!this.journal || !isStorageUnavailable(error)) throw error;
      return null;
    }
  }

  /** A run without a snapshot (failed, unchanged): stored, or journaled when it cannot be. 0 when not stored yet. */
  private storeRun(run: RunInput, status: 'failed' | 'unchanged', drained: boolean): number {
    if (drained) {
      try {
        return this.writer.recordRun(run, status);
      } catch (error) {
        if (!this.journal || !isStorageUnavailable(error)) throw error;
        this.unavailable = unavailableReason(error);
      }
    }
    const write: JournalWrite = { kind: 'run', status, run: { ...run } };
    if (!this.journal!.append(write)) {
      // The run log misses this row; the trader is told, in the run's own message.
      run.message = `${run.message ?? ''} (${journalFullMessage(this.journal!.pending)})`.trim();
    }
    return 0;
  }

  private async readInputs(tradeDate: string, run: RunInput) {
    const files = await this.withRetries(async () => findDataFilesSync(this.config.dataDir, this.config.fileNames));
    run.live = sourceOf(files.live);
    run.historical = sourceOf(files.historical);
    let reference: Reference | null = null;
    let referenceKey = 'none';
    if (files.historical) {
      const h = files.historical;
      referenceKey = `${h.path}|${h.size}|${h.mtimeMs}`;
      if (this.referenceCache?.key !== referenceKey) {
        // Historical changes once a day: parse it again only when its size or mtime moved.
        const table = await this.withRetries(() => readPriceFile(h.path, 'historical', undefined, this.config.workbookEngine));
        this.referenceCache = { key: referenceKey, reference: buildReference(table.rows) };
      }
      reference = this.referenceCache!.reference;
    }
    const liveTable = await this.withRetries(() => readPriceFile(files.live.path, 'live', tradeDate, this.config.workbookEngine));
    return { live: liveTable.rows, historical: files.historical, reference, referenceKey };
  }

  private async withRetries<T>(read: () => Promise<T>): Promise<T> {
    const delays = this.config.retryDelaysMs ?? [];
    for (let attempt = 0; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (!isDataError(error) || !error.transient || attempt >= delays.length) throw error;
        await sleep(delays[attempt]!);
      }
    }
  }
}

function describeRejections(rejected: readonly RejectedRow[], hasHistorical: boolean): string {
  const live = rejected.filter((r) => r.file === 'live');
  if (live.length === 0) return 'Live has no data rows';
  const counts = new Map<string, number>();
  for (const r of live) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  const reasons = [...counts].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${n} × ${reason}`);
  const hint = !hasHistorical && counts.has('no previous close') ? ' (no Historical file, and Live has no Prev Close column)' : '';
  return `${live.length} rows rejected (${reasons.slice(0, 3).join('; ')})${hint}`;
}
