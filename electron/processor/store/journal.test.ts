// The zero-loss journal under real faults: another process holding the database's write lock,
// a full file system, a read-only database file, a crash in the middle of a replay.
import assert from 'node:assert/strict';
import { execFileSync, fork } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { processorEntry, launchNodeProcessor } from '../../core/processor/node-processor';
import { ProcessorClient, type ProcessorHandle } from '../../core/processor/processor-client';
import type { ProcessorMessage, ProcessorSettings } from '../../../shared/processor-protocol';
import { tempDir, writeDataFolder } from '../../test-support/workbooks';
import { BreadthProcessor, type CycleResult } from '../cycle';
import { openReadDatabase, openWriteDatabase, openWriterStore, WRITER_BUSY_TIMEOUT_MS } from './database';
import { CycleJournal, journalFileOf } from './journal';
import { BreadthWriter } from './writer';
import { holdWriteLock } from './hold-write-lock';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const HISTORICAL: Array<[string, number]> = [['TCS', 100], ['ITC', 50], ['SBIN', 80]];
/** Cycle i's Live: prices and volumes that move differently per symbol, so ticks differ per cycle. */
function liveAt(i: number): Array<[string, number, number]> {
  return [['TCS', 100 + i, 1000 + 10 * i], ['ITC', 49 + (i % 2), 500], ['SBIN', 80 - i / 2, 300 + (i > 2 ? 50 : 0)]];
}
const base = Date.parse('2026-11-20T04:00:00Z');
const at = (i: number) => new Date(base + i * 6000);

function settingsFor(dir: string, dataDir: string): ProcessorSettings {
  return { dataDir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath: path.join(dir, 'livebreadth.db'), exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] };
}

type TestContext = { after(fn: () => void): void };

/** A writer with its journal on a fresh database (closed after the test), and its data folder. */
async function journaledProcessor(t: TestContext, journalBounds?: { maxEntries: number; maxBytes: number }, dir?: string) {
  dir ??= await tempDir();
  const dataDir = path.join(dir, 'live_data');
  mkdirSync(dataDir);
  const file = path.join(dir, 'livebreadth.db');
  const store = openWriterStore(file, { app: 'serve', busyTimeoutMs: WRITER_BUSY_TIMEOUT_MS });
  const journal = CycleJournal.open(journalFileOf(file), journalBounds);
  t.after(() => { journal.close(); store.close(); });
  const processor = new BreadthProcessor(store.db, { dataDir }, journal);
  return { dir, dataDir, file, store, journal, processor };
}

/** The same cycles on a database nobody disturbs: what "written live" means. */
function controlProcessor(t: TestContext, dir: string, dataDir: string) {
  const controlFile = path.join(dir, 'control.db');
  const controlDb = openWriteDatabase(controlFile);
  t.after(() => controlDb.close());
  return { controlFile, control: new BreadthProcessor(controlDb, { dataDir }) };
}

/** What the day holds, without row ids: the same whether cycles were written live or replayed. */
function dayContent(file: string) {
  const db = openReadDatabase(file);
  const all = (sql: string) => db.prepare(sql).all();
  const content = {
    snapshots: all('SELECT trade_date, poll_time, advances, declines, unchanged, ad_ratio, sentiment FROM snapshots ORDER BY id'),
    ticks: all('SELECT s.poll_time, t.symbol, t.ltp, t.ref_price, t.change_pct, t.volume FROM ticks t JOIN snapshots s ON s.id = t.snapshot_id ORDER BY t.id'),
    board: all('SELECT q.trade_date, s.poll_time, q.symbols, q.sectors, q.times, hex(q.numbers) AS numbers FROM quote_boards q JOIN snapshots s ON s.id = q.snapshot_id'),
    summary: all('SELECT * FROM day_summary'),
    runs: all('SELECT trigger, started_at, trade_date, status, message, rows_read, rows_valid, content_hash, snapshot_id IS NOT NULL AS has_snapshot FROM runs ORDER BY id'),
  };
  db.close();
  return content;
}

const count = (file: string, sql: string) => {
  const db = openReadDatabase(file);
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
};

describe('the journal keeps every cycle the database cannot take', () => {
  it('another process holds the write lock: every snapshot reaches the caller, and afterwards the day is exactly as if written live', async (t) => {
    const { dir, dataDir, file, processor } = await journaledProcessor(t);
    const { controlFile, control } = controlProcessor(t, dir, dataDir);
    const cycle = async (i: number, live = liveAt(i)): Promise<[CycleResult, CycleResult]> => {
      await writeDataFolder(dataDir, i === 0 ? HISTORICAL : null, live);
      return [await processor.runCycle('schedule', at(i)), await control.runCycle('schedule', at(i))];
    };

    const [first] = await cycle(0);
    assert.ok(first.runId > 0);
    const holder = await holdWriteLock(file);
    let released = false;
    t.after(() => (released ? undefined : holder.release()));
    for (const i of [1, 2, 3]) {
      const [kept, live] = await cycle(i);
      assert.equal(kept.status, 'ok', 'the trader sees a good cycle');
      assert.deepEqual(kept.snapshot, live.snapshot, 'with its snapshot');
      assert.equal(kept.runId, 0, 'not stored yet');
      assert.deepEqual(kept.journal, { pending: i, full: false });
      assert.match(kept.message!, new RegExp(`^Stored later: another program is writing the database; ${i} cycles wait to be written$`));
    }
    // A re-save with the same prices is still seen as unchanged against the waiting cycles.
    const [same] = await cycle(4, liveAt(3));
    assert.equal(same.status, 'unchanged');
    assert.equal(same.journal.pending, 4);
    assert.equal(count(file, 'SELECT COUNT(*) FROM snapshots'), 1, 'nothing reached the database while it was locked');

    await holder.release();
    released = true;
    const [after] = await cycle(5);
    assert.ok(after.runId > 0, 'written live again');
    assert.deepEqual(after.journal, { pending: 0, full: false });
    assert.deepEqual(dayContent(file), dayContent(controlFile));
    assert.equal(count(file, 'SELECT COUNT(*) FROM snapshots'), 5);
    assert.equal(statSync(journalFileOf(file)).size, 0, 'the journal is emptied');
    assert.equal(count(file, 'SELECT COUNT(*) FROM journal_applied'), 0);
  });

  it('a crash in the middle of a replay stores no cycle twice when the replay starts again', async (t) => {
    const dir = await tempDir();
    const dataDir = path.join(dir, 'live_data');
    mkdirSync(dataDir);
    const file = path.join(dir, 'livebreadth.db');
    let store = openWriterStore(file, { app: 'serve', busyTimeoutMs: WRITER_BUSY_TIMEOUT_MS });
    let journal = CycleJournal.open(journalFileOf(file));
    const processor = new BreadthProcessor(store.db, { dataDir }, journal);
    await writeDataFolder(dataDir, HISTORICAL, liveAt(0));
    await processor.runCycle('schedule', at(0));
    const holder = await holdWriteLock(file);
    for (const i of [1, 2, 3]) {
      await writeDataFolder(dataDir, null, liveAt(i));
      assert.equal((await processor.runCycle('schedule', at(i))).runId, 0);
    }
    await holder.release();
    journal.close();
    store.close();

    // The next start stores two of the three, then dies before the journal is emptied.
    store = openWriterStore(file, { app: 'serve' });
    journal = CycleJournal.open(journalFileOf(file));
    assert.equal(journal.pending, 3, 'the waiting cycles survived the restart');
    const writer = new BreadthWriter(store.db);
    for (const { entry } of journal.entries().slice(0, 2)) assert.equal(writer.applyJournalEntry(entry), true);
    journal.close();
    store.close();

    store = openWriterStore(file, { app: 'serve' });
    journal = CycleJournal.open(journalFileOf(file));
    t.after(() => { journal.close(); store.close(); });
    assert.equal(new BreadthProcessor(store.db, { dataDir }, journal).drainJournal(), true);
    assert.equal(journal.pending, 0);
    assert.deepEqual(
      store.db.prepare('SELECT status, COUNT(*) AS n FROM runs GROUP BY status').all(),
      [{ status: 'ok', n: 4 }],
      'each cycle stored once, and no replay failed',
    );
    assert.deepEqual(store.db.prepare('SELECT poll_time FROM snapshots ORDER BY id').pluck().all(), [0, 1, 2, 3].map((i) => at(i).toISOString()));
  });

  it('a processor killed with cycles waiting replays them once when it starts again (real processes)', async (t) => {
    const dir = await tempDir();
    const dataDir = path.join(dir, 'live_data');
    mkdirSync(dataDir);
    const settings = settingsFor(dir, dataDir);
    await writeDataFolder(dataDir, HISTORICAL, liveAt(0));
    let client = new ProcessorClient(launchNodeProcessor());
    t.after(() => client.kill());
    await client.ready;
    await client.request({ type: 'configure', settings });
    const holder = await holdWriteLock(settings.dbPath);
    const pollTimes: string[] = [];
    for (const i of [0, 1]) {
      await writeDataFolder(dataDir, null, liveAt(i));
      const report = await client.request({ type: 'runCycle', trigger: 'schedule' });
      assert.deepEqual([report.status, report.runId, report.journal], ['ok', 0, { pending: i + 1, full: false }]);
      pollTimes.push(report.snapshot!.pollTime);
    }
    const exited = new Promise((resolve) => client.onExit(resolve));
    client.kill();
    await exited;
    await holder.release();

    client = new ProcessorClient(launchNodeProcessor());
    await client.ready;
    const configured = await client.request({ type: 'configure', settings });
    assert.deepEqual(configured.journal, { pending: 0, full: false }, 'replayed at start');
    await writeDataFolder(dataDir, null, liveAt(2));
    const next = await client.request({ type: 'runCycle', trigger: 'schedule' });
    assert.ok(next.runId > 0);
    await client.request({ type: 'shutdown' });
    assert.deepEqual(
      JSON.parse(JSON.stringify(openReadDatabase(settings.dbPath).prepare('SELECT poll_time FROM snapshots ORDER BY id').pluck().all())),
      [...pollTimes, next.snapshot!.pollTime],
    );
  });

  it('SQLite reports the database full (its page limit reached): cycles wait, and are stored once it has room', async (t) => {
    const { dir, dataDir, file, store, processor } = await journaledProcessor(t);
    const { controlFile, control } = controlProcessor(t, dir, dataDir);
    // 300 symbols: a cycle's ticks and board need new pages.
    const symbols = Array.from({ length: 300 }, (_, k) => `S${k}`);
    const wide = (i: number): Array<[string, number, number]> => symbols.map((s, k) => [s, 100 + k + i, 1000 + i]);
    await writeDataFolder(dataDir, symbols.map((s, k) => [s, 100 + k]), wide(0));
    await processor.runCycle('schedule', at(0));
    await control.runCycle('schedule', at(0));
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    for (const i of [1, 2]) {
      await writeDataFolder(dataDir, null, wide(i));
      const r = await processor.runCycle('schedule', at(i));
      assert.deepEqual([r.status, r.runId, r.journal.pending], ['ok', 0, i]);
      assert.match(r.message!, /^Stored later: the disk is full; /);
      await control.runCycle('schedule', at(i));
    }
    store.db.pragma('max_page_count = 1073741823');
    await writeDataFolder(dataDir, null, wide(3));
    assert.ok((await processor.runCycle('schedule', at(3))).runId > 0);
    await control.runCycle('schedule', at(3));
    // A write that failed part-way left the writer's board ahead of the database; the replay
    // must still store the same ticks and board as live writing did.
    assert.deepEqual(dayContent(file), dayContent(controlFile));
  });

  it('when the journal is full, the cycle fails loudly and the waiting cycles are still stored later', async (t) => {
    const { dataDir, file, store, processor } = await journaledProcessor(t, { maxEntries: 2, maxBytes: 1e9 });
    await writeDataFolder(dataDir, HISTORICAL, liveAt(0));
    const holder = await holdWriteLock(file);
    const results: CycleResult[] = [];
    for (const i of [0, 1, 2]) {
      await writeDataFolder(dataDir, null, liveAt(i));
      results.push(await processor.runCycle('schedule', at(i)));
    }
    await holder.release();
    assert.deepEqual(results.map((r) => r.status), ['ok', 'ok', 'failed']);
    assert.equal(results[2]!.message, '2 cycles wait to be written; the journal is full — free disk space / close the program locking the database');
    assert.deepEqual(results[2]!.journal, { pending: 2, full: true });
    await writeDataFolder(dataDir, null, liveAt(3));
    assert.ok((await processor.runCycle('schedule', at(3))).runId > 0);
    assert.deepEqual(store.db.prepare('SELECT poll_time FROM snapshots ORDER BY id').pluck().all(), [0, 1, 3].map((i) => at(i).toISOString()));
  });
});

describe('the journal on real file-system faults (root only: mounts and a second user)', () => {
  const isRoot = process.getuid?.() === 0;

  it('a full file system: cycles wait (in memory while even the journal cannot grow), and are stored once space is freed', async (t) => {
    if (!isRoot) return t.skip('mounting a small tmpfs needs root');
    const dir = await tempDir();
    // Not inside the temp dir, whose removal would otherwise meet the mount still in place.
    const mount = mkdtempSync(path.join(os.tmpdir(), 'livebreadth-small-disk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      rmdirSync(mount);
      return t.skip('mount -t tmpfs is not permitted here; SQLITE_FULL is covered by the page-limit test');
    }
    const dataDir = path.join(dir, 'live_data');
    mkdirSync(dataDir);
    const file = path.join(mount, 'livebreadth.db');
    const store = openWriterStore(file, { app: 'serve', busyTimeoutMs: WRITER_BUSY_TIMEOUT_MS });
    const journal = CycleJournal.open(journalFileOf(file));
    t.after(() => {
      journal.close();
      store.close();
      execFileSync('umount', [mount]);
      rmdirSync(mount);
    });
    const processor = new BreadthProcessor(store.db, { dataDir }, journal);
    await writeDataFolder(dataDir, HISTORICAL, liveAt(0));
    await processor.runCycle('schedule', at(0));
    // Fill the disk to the last byte.
    const filler = path.join(mount, 'filler');
    const fd = openSync(filler, 'w');
    const chunk = Buffer.alloc(4096, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
    } finally {
      closeSync(fd);
    }
    for (const i of [1, 2]) {
      await writeDataFolder(dataDir, null, liveAt(i));
      const r = await processor.runCycle('schedule', at(i));
      assert.deepEqual([r.status, r.runId, r.journal.pending], ['ok', 0, i], r.message ?? '');
      assert.ok(r.snapshot);
    }
    assert.equal(journal.inMemory, 2, 'the journal file could not grow either');
    unlinkSync(filler);
    await writeDataFolder(dataDir, null, liveAt(3));
    const after = await processor.runCycle('schedule', at(3));
    assert.ok(after.runId > 0);
    assert.deepEqual(store.db.prepare('SELECT poll_time FROM snapshots ORDER BY id').pluck().all(), [0, 1, 2, 3].map((i) => at(i).toISOString()));
  });

  it('a read-only database file: a processor running as another user keeps its cycles, and the next start stores them', async (t) => {
    if (!isRoot) return t.skip('a file root cannot write needs a second user, which needs root to start');
    const dir = await tempDir();
    const dataDir = path.join(dir, 'live_data');
    mkdirSync(dataDir);
    const settings = settingsFor(dir, dataDir);
    await writeDataFolder(dataDir, HISTORICAL, liveAt(0));
    const setup = openWriterStore(settings.dbPath, { app: 'once' });
    await new BreadthProcessor(setup.db, { dataDir }).runCycle('cli', at(0));
    setup.close();
    const nobody = 65534;
    chownSync(dir, nobody, nobody);
    chownSync(settings.dbPath, nobody, nobody);
    chmodSync(settings.dbPath, 0o444);

    const entry = processorEntry();
    const child = fork(entry.file, [], { execArgv: entry.execArgv, cwd: root, uid: nobody, gid: nobody, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    const handle: ProcessorHandle = {
      pid: child.pid,
      postMessage: (m) => child.send(m),
      onMessage: (l) => (child.on('message', (m) => l(m as ProcessorMessage)), () => undefined),
      onExit: (l) => (child.on('exit', (code) => l(code)), () => undefined),
      kill: () => child.kill('SIGKILL'),
    };
    const client = new ProcessorClient(handle);
    t.after(() => client.kill());
    await client.ready;
    await client.request({ type: 'configure', settings });
    await writeDataFolder(dataDir, null, liveAt(1));
    const kept = await client.request({ type: 'runCycle', trigger: 'schedule' });
    assert.deepEqual([kept.status, kept.runId, kept.journal], ['ok', 0, { pending: 1, full: false }]);
    assert.match(kept.message!, /^Stored later: the database is read-only; 1 cycles wait to be written$/);
    await client.request({ type: 'shutdown' });
    assert.ok(existsSync(journalFileOf(settings.dbPath)) && statSync(journalFileOf(settings.dbPath)).size > 0);

    chmodSync(settings.dbPath, 0o644);
    const store = openWriterStore(settings.dbPath, { app: 'serve' });
    const journal = CycleJournal.open(journalFileOf(settings.dbPath));
    t.after(() => { journal.close(); store.close(); });
    assert.equal(new BreadthProcessor(store.db, { dataDir }, journal).drainJournal(), true);
    assert.deepEqual(store.db.prepare('SELECT poll_time FROM snapshots ORDER BY id').pluck().all(), [at(0).toISOString(), kept.snapshot!.pollTime]);
  });
});
