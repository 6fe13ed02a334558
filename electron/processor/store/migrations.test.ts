// Steps 8–10 (the job queue, the daily history, the import's per-day outcomes) on a database the
// app already has: one at schema 7, with its data, as the previous release left it.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test-support/workbooks';
import { openWriteDatabase } from './database';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { JOBS_SCHEMA } from '../jobs/schema';

const PREVIOUS_RELEASE = 7;

/** A database as the previous release wrote it: steps 1–7 and a run in its log. */
async function databaseAtSchema7(): Promise<string> {
  const file = path.join(await tempDir(), 'breadth.sqlite');
  const old = new Database(file);
  for (const step of MIGRATIONS.slice(0, PREVIOUS_RELEASE)) {
    if (typeof step === 'string') old.exec(step);
    else step(old);
  }
  old.pragma(`user_version = ${PREVIOUS_RELEASE}`);
  old.prepare(`INSERT INTO runs (trigger, started_at, duration_ms, trade_date, status, message)
    VALUES ('manual', '2026-11-20T04:00:00.000Z', 5, '2026-11-20', 'failed', 'kept across the upgrade')`).run();
  old.close();
  return file;
}

const tables = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]);

describe('migrations 8–10: jobs and the daily history', () => {
  it('follow step 7 in order, and SCHEMA_VERSION counts them', () => {
    assert.equal(SCHEMA_VERSION, 10);
    assert.equal(MIGRATIONS.length, SCHEMA_VERSION);
  });

  it('bring a schema-7 database to 10 with its data, and usable: a job, a day and its outcome', async () => {
    const file = await databaseAtSchema7();
    const db = openWriteDatabase(file);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    for (const table of ['jobs', 'job_items', 'history_days', 'history_closes', 'history_indicators', 'history_import_days']) {
      assert.ok(tables(db).includes(table), `${table} exists`);
    }
    assert.equal(db.prepare('SELECT message FROM runs').pluck().get(), 'kept across the upgrade');
    const now = '2026-11-20T10:00:00.000Z';
    const jobId = Number(db.prepare(`INSERT INTO jobs (kind, params, state, max_attempts, created_at, updated_at)
      VALUES ('history-import', '{}', 'queued', 3, ?, ?)`).run(now, now).lastInsertRowid);
    db.prepare(`INSERT INTO history_import_days (job_id, trade_date, outcome, source, from_cache, bytes) VALUES (?, '2026-11-19', 'imported', 'nse', 0, 1000)`).run(jobId);
    // Dismissing a job removes what it recorded (foreign keys are on in the writer).
    db.prepare('DELETE FROM jobs WHERE id = ?').run(jobId);
    assert.equal(db.prepare('SELECT COUNT(*) FROM history_import_days').pluck().get(), 0);
    db.close();
    const again = openWriteDatabase(file); // nothing applied twice
    assert.equal(again.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    again.close();
  });

  it('migrate a development database whose job tables were made by hand before step 8 existed', async () => {
    const file = await databaseAtSchema7();
    const old = new Database(file);
    old.exec(JOBS_SCHEMA);
    old.prepare(`INSERT INTO jobs (kind, params, state, max_attempts, created_at, updated_at)
      VALUES ('history-import', '{}', 'dead', 3, '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z')`).run();
    old.close();
    const db = openWriteDatabase(file);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.prepare('SELECT state FROM jobs').pluck().get(), 'dead');
    db.close();
  });
});
