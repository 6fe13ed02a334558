// The job queue in a real processor child process: killed with SIGKILL mid-job, started again,
// the job resumes where it stopped and the rows end exactly right.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { launchNodeProcessor, processorEntry } from '../../core/processor/node-processor';
import { ProcessorClient } from '../../core/processor/processor-client';
import type { JobRecord } from '../../../shared/jobs';
import { tempDir } from '../../test-support/workbooks';
import { waitFor } from './test-support/harness';
import { WRITE_ROWS_KIND } from './test-support/write-rows-job';

const testEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-support/processor-with-test-jobs.ts');

async function startProcessor(dir: string, dbPath: string): Promise<{ client: ProcessorClient; jobs: JobRecord[] }> {
  const client = new ProcessorClient(launchNodeProcessor({ ...processorEntry('source'), file: testEntry }));
  const jobs: JobRecord[] = [];
  client.onEvent((event) => event.type === 'jobProgress' && jobs.push(event.job));
  await client.ready;
  await client.request({
    type: 'configure',
    settings: { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath, exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] },
  });
  return { client, jobs };
}

describe('jobs in the processor process', () => {
  it('a job killed mid-way (SIGKILL) resumes at the next start and ends with exactly the right rows', async (t) => {
    const dir = await tempDir();
    const dbPath = path.join(dir, 'db.sqlite');
    const items = 150;
    const rowsPerItem = 7;

    const first = await startProcessor(dir, dbPath);
    t.after(() => first.client.kill());
    const job = await first.client.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items, rowsPerItem, prepareMs: 4, applyMs: 2 } });
    await waitFor(() => first.jobs.some((j) => j.progress.done >= 20), 'twenty items done', 20_000);
    const exited = new Promise<number | null>((resolve) => first.client.onExit(resolve));
    first.client.kill(); // SIGKILL: no shutdown, no checkpoint, the job left running
    assert.equal(await exited, null, 'killed by a signal');

    const look = new Database(dbPath, { readonly: true });
    const atKill = look.prepare('SELECT state, paused, done FROM jobs WHERE id = ?').get(job.id) as { state: string; paused: number; done: number };
    const committed = look.prepare('SELECT COUNT(*) FROM job_items WHERE job_id = ?').pluck().get(job.id) as number;
    const rowsAtKill = look.prepare('SELECT COUNT(*) FROM job_test_rows WHERE job_id = ?').pluck().get(job.id) as number;
    look.close();
    assert.deepEqual([atKill.state, atKill.paused], ['running', 0], 'left running, not stopped cleanly');
    assert.ok(committed >= 20 && committed < items, `killed mid-job (${committed} of ${items} items stored)`);
    assert.equal(rowsAtKill, committed * rowsPerItem, 'each stored item has all its rows and no more');

    const second = await startProcessor(dir, dbPath);
    t.after(() => second.client.kill());
    await waitFor(() => second.jobs.some((j) => j.id === job.id && j.state === 'completed'), 'the resumed job to complete', 30_000);
    const { job: done } = await second.client.request({ type: 'getJob', jobId: job.id });
    assert.deepEqual([done.state, done.progress.done, done.progress.failed, done.attempts], ['completed', items, 0, 1]);
    assert.deepEqual(done.result, { rows: items * rowsPerItem });

    const db = new Database(dbPath, { readonly: true });
    t.after(() => db.close());
    const rows = db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT item || \'/\' || k) AS distinctRows, COUNT(DISTINCT item) AS itemsWithRows FROM job_test_rows WHERE job_id = ?').get(job.id);
    assert.deepEqual(rows, { n: items * rowsPerItem, distinctRows: items * rowsPerItem, itemsWithRows: items });
    // Every item applied once, in the first process or the second: the done ones were skipped.
    const applies = db.prepare('SELECT item, COUNT(*) AS n, COUNT(DISTINCT pid) AS pids FROM job_test_applies WHERE job_id = ? GROUP BY item').all(job.id) as Array<{ n: number }>;
    assert.equal(applies.length, items);
    assert.ok(applies.every((a) => a.n === 1), 'no item applied twice');
    const byProcess = db.prepare('SELECT pid, COUNT(*) AS n FROM job_test_applies WHERE job_id = ? GROUP BY pid ORDER BY MIN(rowid)').all(job.id) as Array<{ pid: number; n: number }>;
    assert.deepEqual(byProcess.map((p) => p.pid), [first.client.pid, second.client.pid]);
    assert.equal(byProcess[0]!.n, committed, 'the first process\'s work was kept, not redone');
    assert.equal(db.prepare('SELECT crashes FROM jobs WHERE id = ?').pluck().get(job.id), 0, 'the crash count clears once an item finishes');
    await second.client.request({ type: 'shutdown' });
  });
});
