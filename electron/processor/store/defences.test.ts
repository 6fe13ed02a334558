// The store's defences at open and close, on real files and real processes: one writer at a
// time, damaged or foreign files moved aside, the WAL checkpointed on close.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, openSync, readdirSync, statSync, writeFileSync, writeSync, closeSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { launchNodeProcessor } from '../../core/processor/node-processor';
import { ProcessorClient } from '../../core/processor/processor-client';
import type { ProcessorEvent, ProcessorSettings } from '../../../shared/processor-protocol';
import { breadth } from '../../test-support/cli';
import { tempDir, writeDataFolder } from '../../test-support/workbooks';
import { ProcessorService } from '../service';
import { openReadDatabase, openWriteDatabase, openWriterStore } from './database';
import { lockFileOf } from './writer-lock';

function settingsFor(dir: string, dbPath = path.join(dir, 'livebreadth.db')): ProcessorSettings {
  return { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath, exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] };
}

/** A real processor process configured on `settings` (it holds the writer lock), killed after the test. */
async function runningProcessor(t: { after(fn: () => void): void }, settings: ProcessorSettings): Promise<ProcessorClient> {
  const client = new ProcessorClient(launchNodeProcessor());
  t.after(() => client.kill());
  await client.ready;
  await client.request({ type: 'configure', settings });
  return client;
}

describe('one writer at a time', () => {
  it('refuses a second writer while a real processor process holds the database, naming it; takes over once that process is killed', async (t) => {
    const dir = await tempDir();
    await writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]);
    const settings = settingsFor(dir);
    const client = await runningProcessor(t, settings);
    assert.equal((await client.request({ type: 'runCycle', trigger: 'manual' })).status, 'ok');

    const second = new ProcessorService(() => undefined);
    await assert.rejects(second.handle({ id: 1, type: 'configure', settings }), (error: Error) => {
      assert.match(error.message, new RegExp(`^The database is in use by LiveBreadth \\(pid ${client.pid}, serve, since \\d\\d:\\d\\d IST\\): stop it first$`));
      return true;
    });
    // The refusal touched nothing: the first writer's snapshot is there and it keeps writing.
    await writeDataFolder(dir, null, [['TCS', 102]]);
    assert.equal((await client.request({ type: 'runCycle', trigger: 'manual' })).status, 'ok');

    const exited = new Promise((resolve) => client.onExit(resolve));
    client.kill(); // SIGKILL: no chance to remove its lock file
    await exited;
    assert.ok(existsSync(lockFileOf(settings.dbPath)), 'the killed writer left its lock behind');
    await second.handle({ id: 2, type: 'configure', settings }); // stale: its process is gone
    await writeDataFolder(dir, null, [['TCS', 103]]);
    const report = (await second.handle({ id: 3, type: 'runCycle', trigger: 'manual' })) as { status: string };
    assert.equal(report.status, 'ok');
    second.close();
    assert.equal(existsSync(lockFileOf(settings.dbPath)), false, 'closing releases the lock');
    const db = openReadDatabase(settings.dbPath);
    assert.equal(db.prepare('SELECT COUNT(*) FROM snapshots').pluck().get(), 3);
    db.close();
  });

  it('the same process cannot open a second writer either, until the first closes', async () => {
    const file = path.join(await tempDir(), 'livebreadth.db');
    const first = openWriterStore(file, { app: 'once' });
    assert.throws(() => openWriterStore(file, { app: 'serve' }), /in use by LiveBreadth \(pid \d+, once, since/);
    first.close();
    openWriterStore(file, { app: 'serve' }).close();
  });
});

/** A database with enough rows that its tables are several levels deep. */
function bigDatabase(file: string): { pageSize: number; interiorPage: number } {
  const db = openWriteDatabase(file);
  const insert = db.prepare(`INSERT INTO runs (trigger, started_at, duration_ms, trade_date, status, message) VALUES ('auto', ?, 5, '2026-11-20', 'failed', ?)`);
  db.transaction(() => {
    for (let i = 0; i < 4000; i++) insert.run(new Date(Date.UTC(2026, 10, 20, 4) + i * 1000).toISOString(), `cycle ${i} `.repeat(12));
  })();
  const root = db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'runs'`).pluck().get() as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  // The table's root is an interior b-tree page (type 5) once the table spans many pages.
  const fd = openSync(file, 'r');
  const header = Buffer.alloc(1);
  readSync(fd, header, 0, 1, (root - 1) * pageSize);
  closeSync(fd);
  assert.equal(header[0], 5, 'the runs table root is an interior page');
  assert.ok(statSync(file).size > 100 * pageSize);
  return { pageSize, interiorPage: root };
}

function overwrite(file: string, at: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, bytes.length, at);
  closeSync(fd);
}

const garbage = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + 7) % 256));

describe('a damaged or foreign database at start', () => {
  for (const [name, damage, reason] of [
    ['its header overwritten', (file: string) => { bigDatabase(file); overwrite(file, 0, garbage(100)); }, /damaged or not a database \(file is not a database\)/],
    ['an interior b-tree page in the middle overwritten with garbage', (file: string) => {
      const { pageSize, interiorPage } = bigDatabase(file);
      overwrite(file, (interiorPage - 1) * pageSize, garbage(pageSize));
    }, /damaged/],
    ['a text file named livebreadth.db', (file: string) => writeFileSync(file, 'symbol,price\nTCS,101\n'.repeat(300)), /damaged or not a database \(file is not a database\)/],
    ['a database from a newer LiveBreadth', (file: string) => { const db = new Database(file); db.pragma('user_version = 999'); db.close(); }, /written by a newer LiveBreadth \(schema 999/],
  ] as const) {
    it(`is moved aside with a timestamp and a fresh one started: ${name}`, async () => {
      const dir = await tempDir();
      const file = path.join(dir, 'livebreadth.db');
      damage(file);
      const before = readFileSync(file);
      const now = new Date('2026-11-23T10:15:00.250Z');
      const store = openWriterStore(file, { app: 'serve', now });
      assert.ok(store.recovered, 'the damage was found at open');
      assert.equal(store.recovered.movedTo, `${file}.corrupt-2026-11-23T10-15-00Z`);
      assert.match(store.recovered.reason, reason);
      assert.deepEqual(readFileSync(store.recovered.movedTo), before, 'the damaged file is kept as it was');
      assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(store.db.prepare('SELECT COUNT(*) FROM runs').pluck().get(), 0);
      store.close();
      // Opened again, the fresh database is healthy: nothing more is moved.
      const again = openWriterStore(file, { app: 'serve' });
      assert.equal(again.recovered, null);
      again.close();
      assert.deepEqual(readdirSync(dir).filter((f) => f.includes('corrupt')), ['livebreadth.db.corrupt-2026-11-23T10-15-00Z']);
    });
  }

  it('moves the -wal and -shm with the database', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'livebreadth.db');
    bigDatabase(file);
    const holder = new Database(file); // a reader keeps the -wal and -shm in place
    holder.prepare('SELECT 1').get();
    overwrite(file, 0, garbage(100));
    const store = openWriterStore(file, { app: 'serve', now: new Date('2026-11-23T10:15:00Z') });
    holder.close();
    assert.ok(existsSync(`${store.recovered!.movedTo}-wal`) && existsSync(`${store.recovered!.movedTo}-shm`));
    store.close();
  });

  it('through the processor: configure reports the recovery and logs it instead of failing', async () => {
    const dir = await tempDir();
    const settings = settingsFor(dir);
    writeFileSync(settings.dbPath, 'not a database at all');
    const events: ProcessorEvent[] = [];
    const service = new ProcessorService((e) => events.push(e));
    const result = (await service.handle({ id: 1, type: 'configure', settings })) as { recovered: { movedTo: string; reason: string } | null };
    service.close();
    assert.match(result.recovered!.movedTo, /livebreadth\.db\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
    assert.deepEqual(events.map((e) => e.type), ['log']);
    assert.match((events[0] as { message: string }).message, /^The database could not be used \(it is damaged or not a database .*\); it was moved to .*corrupt.* and a new one started$/);
  });

  it('a path that cannot be opened for another reason fails configure in one line and is left alone', async () => {
    const dir = await tempDir();
    const settings = settingsFor(dir, path.join(dir, 'a-folder'));
    mkdirSync(settings.dbPath);
    writeFileSync(path.join(settings.dbPath, 'keep.txt'), 'mine');
    const service = new ProcessorService(() => undefined);
    await assert.rejects(service.handle({ id: 1, type: 'configure', settings }), (error: Error) => {
      assert.match(error.message, /^Cannot open the database .*a-folder: .+$/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
    assert.deepEqual(readdirSync(dir).sort(), ['a-folder']);
    assert.equal(readFileSync(path.join(settings.dbPath, 'keep.txt'), 'utf8'), 'mine');
    assert.equal(existsSync(lockFileOf(settings.dbPath)), false, 'a failed open releases the lock');
  });
});

describe('closing the writer', () => {
  it('checkpoints the WAL into the database, though a reader in another connection keeps the -wal open', async () => {
    const dir = await tempDir();
    await writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]);
    const settings = settingsFor(dir);
    const service = new ProcessorService(() => undefined);
    await service.handle({ id: 1, type: 'configure', settings });
    const reader = openReadDatabase(settings.dbPath); // the dashboard's queries
    await service.handle({ id: 2, type: 'runCycle', trigger: 'manual' });
    assert.equal(reader.prepare('SELECT COUNT(*) FROM snapshots').pluck().get(), 1);
    assert.ok(statSync(`${settings.dbPath}-wal`).size > 0, 'the cycle is in the WAL');
    await service.handle({ id: 3, type: 'shutdown' });
    assert.equal(statSync(`${settings.dbPath}-wal`).size, 0, 'the WAL was checkpointed and truncated');
    reader.close();
    // The database file alone holds the cycle.
    const copy = path.join(dir, 'copy.db');
    writeFileSync(copy, readFileSync(settings.dbPath));
    const db = new Database(copy, { readonly: true });
    assert.equal(db.prepare('SELECT COUNT(*) FROM snapshots').pluck().get(), 1);
    db.close();
  });
});

describe('breadth once and a running writer', () => {
  it('once is refused in one line (exit 2) while a processor process writes the same database', async (t) => {
    const dir = await tempDir();
    await writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]);
    const settings = settingsFor(dir);
    const client = await runningProcessor(t, settings);
    const result = await breadth(['once', '--data', dir, '--db', settings.dbPath]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, `breadth: The database is in use by LiveBreadth (pid ${client.pid}, serve, since ${/since (.*?)\)/.exec(result.stderr)?.[1]}): stop it first\n`);
    await client.request({ type: 'shutdown' });
    assert.equal((await breadth(['once', '--data', dir, '--db', settings.dbPath])).code, 0, 'runs once the writer has stopped');
  });
});

describe('breadth once on a damaged database', () => {
  it('moves it aside as <db>.corrupt-<UTC>, says so in one line, and stores the snapshot in a fresh database (exit 0)', async () => {
    const dir = await tempDir();
    await writeDataFolder(dir, [['TCS', 100], ['ITC', 50], ['INFY', 1500]], [['TCS', 101], ['ITC', 49], ['INFY', 1500]]);
    const dbPath = path.join(dir, 'livebreadth.db');
    bigDatabase(dbPath);
    overwrite(dbPath, 0, garbage(100)); // the header: no longer "SQLite format 3"
    const damaged = readFileSync(dbPath);
    const before = new Date();
    const result = await breadth(['once', '--data', dir, '--db', dbPath, '--json']);
    const after = new Date();
    assert.equal(result.code, 0, result.stderr);
    // Before the line: the damaged file vanished from its name without a word.
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    const said = /^breadth: the database was unusable \(it is damaged or not a database \(file is not a database\)\); moved to (.+)$/.exec(lines[0]!);
    assert.ok(said, `the moved-aside line: ${result.stderr}`);
    const movedTo = said[1]!;
    const stamp = /^(.+)\.corrupt-(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)Z$/.exec(movedTo);
    assert.ok(stamp, movedTo);
    assert.equal(stamp[1], dbPath);
    const at = new Date(`${stamp[2]}:${stamp[3]}:${stamp[4]}Z`);
    assert.ok(at.getTime() >= Math.floor(before.getTime() / 1000) * 1000 && at <= after, `stamped ${at.toISOString()} (UTC), run between ${before.toISOString()} and ${after.toISOString()}`);
    assert.deepEqual(readFileSync(movedTo), damaged, 'the damaged file is kept as it was');
    const snapshot = JSON.parse(result.stdout) as { status: string; advances: number; declines: number; unchanged: number };
    assert.deepEqual([snapshot.status, snapshot.advances, snapshot.declines, snapshot.unchanged], ['ok', 1, 1, 1]);
    assert.equal(existsSync(lockFileOf(dbPath)), false);
    const db = openReadDatabase(dbPath);
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(db.prepare('SELECT COUNT(*) FROM runs').pluck().get(), 1, 'a fresh database: only this run, none of the 4,000 old ones');
      assert.deepEqual(db.prepare('SELECT advances, declines, unchanged FROM snapshots').raw().all(), [[1, 1, 1]]);
    } finally {
      db.close();
    }
  });
});
