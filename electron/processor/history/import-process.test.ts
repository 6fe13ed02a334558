// The history import in a real processor child process (the app's entry, its registered kinds):
// killed with SIGKILL in the middle, started again, the job resumes and ends with exactly the rows
// a clean import gives — no day missing, none stored twice, the same figures.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { launchNodeProcessor, processorEntry } from '../../core/processor/node-processor';
import { ProcessorClient } from '../../core/processor/processor-client';
import type { JobRecord } from '../../../shared/jobs';
import { tempDir } from '../../test-support/workbooks';
import { readHistory } from './store';
import { startArchiveServer } from './sources/testing/archive-server';
import { count, importHarness, waitFor } from './test-support/import-harness';

async function startProcessor(dir: string, dbPath: string): Promise<{ client: ProcessorClient; jobs: JobRecord[] }> {
  const client = new ProcessorClient(launchNodeProcessor(processorEntry('source')));
  const jobs: JobRecord[] = [];
  client.onEvent((event) => event.type === 'jobProgress' && jobs.push(event.job));
  await client.ready;
  await client.request({
    type: 'configure',
    settings: { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath, exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] },
  });
  return { client, jobs };
}

function snapshot(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    return {
      days: count(db, 'history_days'),
      closes: count(db, 'history_closes'),
      distinctCloses: db.prepare('SELECT COUNT(*) FROM (SELECT DISTINCT trade_date, symbol FROM history_closes)').pluck().get(),
      history: readHistory(db),
    };
  } finally {
    db.close();
  }
}

describe('history import in the processor process', () => {
  it('killed mid-import (SIGKILL) resumes at the next start and ends with exactly the rows of a clean import', async (t) => {
    const server = await startArchiveServer({ symbols: 1000, from: '2024-09-02', to: '2025-06-30' });
    t.after(() => server.close());
    const sessions = server.archive.sessions.slice(0, 100);
    const params = { from: sessions[0]!, to: sessions.at(-1)!, sources: [{ kind: 'nse' as const, baseUrl: server.baseUrl }], rateLimitPerSecond: 1000 };
    const dir = await tempDir();
    const dbPath = path.join(dir, 'breadth.sqlite');

    const first = await startProcessor(dir, dbPath);
    t.after(() => first.client.kill());
    const job = await first.client.request({ type: 'startJob', kind: 'history-import', params });
    await waitFor(() => first.jobs.some((j) => j.progress.done >= 25), 'a quarter of the days stored', 60_000);
    const exited = new Promise<number | null>((resolve) => first.client.onExit(resolve));
    first.client.kill(); // SIGKILL: no shutdown, no checkpoint, the job left running
    assert.equal(await exited, null, 'killed by a signal');
    const atKill = snapshot(dbPath);
    assert.ok(atKill.days >= 25 && atKill.days < 100, `killed mid-import (${atKill.days} of 100 days stored)`);

    const second = await startProcessor(dir, dbPath);
    t.after(() => second.client.kill());
    await waitFor(() => second.jobs.some((j) => j.id === job.id && j.state === 'completed'), 'the resumed import to complete', 60_000);
    const { job: done } = await second.client.request({ type: 'getJob', jobId: job.id });
    await second.client.request({ type: 'shutdown' });
    assert.deepEqual([done.state, done.attempts, done.progress.failed], ['completed', 1, 0]);
    const result = done.result as { fromCache: number; bytesDownloaded: number };
    assert.deepEqual(done.result, {
      sessions: 100, imported: 100, skipped: 0, replaced: 0, notPublished: 0, failed: 0,
      sources: { nse: 100 }, bytesDownloaded: result.bytesDownloaded, fromCache: result.fromCache, indicatorsPendingFrom: null,
    });
    // The day in hand at the kill may have been downloaded (and cached) but not stored: it is then
    // read from the cache. Nothing else is fetched twice.
    assert.ok(result.fromCache <= 1, `${result.fromCache} days from the cache`);
    const downloads = server.requests.length;
    assert.ok(downloads >= 100 && downloads <= 101, `${downloads} requests for 100 days`);

    // A clean import of the same range, never interrupted.
    const clean = await importHarness();
    const cleanJob = await clean.start(params);
    await clean.until(cleanJob.id, ['completed'], 60_000);
    await clean.close();
    const resumed = snapshot(dbPath);
    const reference = snapshot(clean.dbPath);
    assert.deepEqual([resumed.days, resumed.closes, resumed.distinctCloses], [reference.days, reference.closes, reference.closes]);
    assert.equal(resumed.days, 100);
    assert.deepEqual(resumed.history, reference.history);
    // Every day was imported once: none re-applied over itself (that would read as replaced or skipped).
    const db = new Database(dbPath, { readonly: true });
    t.after(() => db.close());
    assert.deepEqual(db.prepare('SELECT outcome, COUNT(*) AS n FROM history_import_days GROUP BY outcome').all(), [{ outcome: 'imported', n: 100 }]);
  });
});
