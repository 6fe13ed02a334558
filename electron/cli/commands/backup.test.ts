// `breadth backup` as a user runs it, while a real processor process keeps writing the database.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { launchNodeProcessor } from '../../core/processor/node-processor';
import { ProcessorClient } from '../../core/processor/processor-client';
import { assertOneLineError, breadth } from '../../test-support/cli';
import { tempDir, writeDataFolder } from '../../test-support/workbooks';

describe('breadth backup', () => {
  it('copies the database while a processor process writes it, without taking its lock; the copy is whole', async (t) => {
    const dir = await tempDir();
    const dataDir = path.join(dir, 'live_data');
    mkdirSync(dataDir);
    const dbPath = path.join(dir, 'livebreadth.db');
    await writeDataFolder(dataDir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]);
    const client = new ProcessorClient(launchNodeProcessor());
    t.after(() => client.kill());
    await client.ready;
    await client.request({ type: 'configure', settings: { dataDir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath, exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] } });
    for (let i = 0; i < 3; i++) {
      await writeDataFolder(dataDir, null, [['TCS', 101 + i], ['ITC', 49 - i]]);
      assert.equal((await client.request({ type: 'runCycle', trigger: 'schedule' })).status, 'ok');
    }
    // Cycles keep running while the backup is taken.
    let writing = true;
    const writer = (async () => {
      for (let i = 3; writing; i++) {
        await writeDataFolder(dataDir, null, [['TCS', 101 + i], ['ITC', 49 - i]]);
        assert.equal((await client.request({ type: 'runCycle', trigger: 'schedule' })).status, 'ok');
      }
    })();
    const target = path.join(dir, 'backups', 'copy.db');
    mkdirSync(path.dirname(target));
    const result = await breadth(['backup', '--db', dbPath, '--to', target]);
    writing = false;
    await writer;
    assert.equal(result.code, 0, result.stderr);
    const copied = Number(/: (\d+) snapshots over 1 trading day\n$/.exec(result.stdout)?.[1]);
    assert.ok(copied >= 3, result.stdout);
    assert.match(result.stdout, new RegExp(`^Backed up ${dbPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\\s+to ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    const copy = new Database(target, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(copy.prepare('SELECT COUNT(*) FROM snapshots').pluck().get(), copied);
    assert.equal(copy.prepare('SELECT snapshots FROM day_summary').pluck().get(), copied, 'snapshots and summary from one consistent moment');
    copy.close();
    assert.deepEqual(readdirSync(path.dirname(target)), ['copy.db'], 'one self-contained file, nothing partial left');
    // The processor still writes: the backup took no lock from it.
    await writeDataFolder(dataDir, null, [['TCS', 150], ['ITC', 20]]);
    assert.equal((await client.request({ type: 'runCycle', trigger: 'schedule' })).status, 'ok');
  });

  it('refuses to overwrite without --force, replaces with it; a bad path or a missing database is one line and exit 2', async () => {
    const dir = await tempDir();
    const dbPath = path.join(dir, 'livebreadth.db');
    const db = new Database(dbPath);
    db.exec('CREATE TABLE snapshots (id INTEGER PRIMARY KEY); CREATE TABLE day_summary (trade_date TEXT); INSERT INTO snapshots DEFAULT VALUES;');
    db.close();
    const target = path.join(dir, 'copy.db');
    writeFileSync(target, 'an older backup');
    assertOneLineError(await breadth(['backup', '--db', dbPath, '--to', target]), /copy\.db already exists: choose another name, or add --force to replace it$/);
    assert.equal(readFileSync(target, 'utf8'), 'an older backup', 'left as it was');
    const forced = await breadth(['backup', '--db', dbPath, '--to', target, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /: 1 snapshots over 0 trading days\n$/);
    assertOneLineError(await breadth(['backup', '--db', dbPath, '--to', path.join(dir, 'no', 'such', 'folder', 'x.db')]), /^breadth: Cannot write .*x\.db: the folder .*folder does not exist$/);
    assertOneLineError(await breadth(['backup', '--db', path.join(dir, 'missing.db'), '--to', path.join(dir, 'y.db')]), /^breadth: There is no database at .*missing\.db \(choose one with --db\)$/);
    assertOneLineError(await breadth(['backup', '--db', dbPath]), /^breadth: --to is required$/);
    assert.equal(existsSync(path.join(dir, 'y.db')), false);
  });
});
