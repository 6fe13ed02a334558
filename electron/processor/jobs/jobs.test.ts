// The job queue through the real ProcessorService: its requests, its serial queue, a real
// SQLite file. Times on the system clock unless a test needs to move them (SimulatedClock).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { SimulatedClock } from '../../core/clock/simulated-clock';
import type { JobRecord } from '../../../shared/jobs';
import { jobsHarness, waitFor, type JobsHarness } from './test-support/harness';
import { itemKey, WRITE_ROWS_KIND } from './test-support/write-rows-job';

const ids = (records: JobRecord[]) => records.map((job) => job.id);

function stateChanges(records: JobRecord[]): string[] {
  const states: string[] = [];
  for (const job of records) if (states[states.length - 1] !== job.state) states.push(job.state);
  return states;
}

/** The job once an event after the first `skip` says it ended. */
async function finished(h: JobsHarness, id: number, skip = 0): Promise<JobRecord> {
  const ended = ['completed', 'cancelled', 'dead'];
  await waitFor(() => h.jobEvents(id).slice(skip).some((job) => ended.includes(job.state)), `job ${id} to end`);
  return (await h.request({ type: 'getJob', jobId: id })).job;
}

function rowsOf(h: JobsHarness, jobId: number): Array<{ item: string; n: number }> {
  return h.query<{ item: string; n: number }>('SELECT item, COUNT(*) AS n FROM job_test_rows WHERE job_id = ? GROUP BY item ORDER BY item', jobId);
}

function appliesOf(h: JobsHarness, jobId: number): Array<{ item: string; n: number }> {
  return h.query<{ item: string; n: number }>('SELECT item, COUNT(*) AS n FROM job_test_applies WHERE job_id = ? GROUP BY item ORDER BY item', jobId);
}

describe('job queue', () => {
  it('runs a job to completion: every item applied once, the result stored, each state change pushed', async (t) => {
    const h = await jobsHarness();
    t.after(() => h.close());
    const started = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 12, rowsPerItem: 4 } });
    assert.equal(started.state, 'queued');
    assert.equal(started.maxAttempts, 3);
    const job = await finished(h, started.id);
    assert.equal(job.state, 'completed');
    assert.deepEqual(job.progress, { done: 12, failed: 0, total: 12, percent: 100, currentItem: null, itemsPerSecond: null, etaSeconds: null });
    assert.deepEqual(job.result, { rows: 48 });
    assert.equal(job.attempts, 1);
    assert.ok(job.startedAt && job.finishedAt && job.finishedAt >= job.startedAt);
    assert.equal(rowsOf(h, job.id).length, 12);
    assert.ok(rowsOf(h, job.id).every((row) => row.n === 4));
    assert.ok(appliesOf(h, job.id).every((row) => row.n === 1));
    assert.deepEqual(stateChanges(h.jobEvents(job.id)), ['queued', 'running', 'completed']);
  });

  it('runs one job at a time, oldest first', async (t) => {
    const h = await jobsHarness();
    t.after(() => h.close());
    const first = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 5, prepareMs: 5 } });
    // Both wait while the first runs; the older goes first.
    const second = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 5, prepareMs: 5 } });
    const third = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 5, prepareMs: 5 } });
    await Promise.all([first, second, third].map((job) => finished(h, job.id)));
    const running = h.events.flatMap((e) => (e.type === 'jobProgress' && e.job.state === 'running' ? [e.job.id] : []));
    // Every 'running' event of one job comes before any of the next one's.
    assert.deepEqual(running.filter((id, i) => running[i - 1] !== id), [first.id, second.id, third.id]);
    const [a, b, c] = await Promise.all([first, second, third].map((job) => finished(h, job.id)));
    assert.ok(a!.finishedAt! <= b!.startedAt! && b!.finishedAt! <= c!.startedAt!, 'each started after the one before finished');
  });

  it('refuses a bad start in one line: unknown kind, bad params, bad maxAttempts', async (t) => {
    const h = await jobsHarness();
    t.after(() => h.close());
    await assert.rejects(h.request({ type: 'startJob', kind: 'nope', params: {} }), /^Error: Unknown job kind "nope" \(this processor runs write-rows\)$/);
    const bad = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: -1, rowsPerItem: 'x' } }).catch((e: Error) => e);
    assert.ok(bad instanceof Error);
    assert.match(bad.message, /^Bad parameters for a write-rows job: items: .*; rowsPerItem: .*$/);
    assert.ok(!bad.message.includes('\n'), `one line: ${bad.message}`);
    await assert.rejects(h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 1 }, maxAttempts: 0 }), /maxAttempts must be a whole number from 1 to 20/);
    assert.deepEqual(await h.request({ type: 'listJobs' }), [], 'nothing was queued');
  });

  it('records a failing item with its reason, rolls back its writes and goes on', async (t) => {
    const h = await jobsHarness();
    t.after(() => h.close());
    const broken = [itemKey(2), itemKey(5)];
    const { id } = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 8, failItems: broken } });
    const job = await finished(h, id);
    assert.equal(job.state, 'completed');
    assert.deepEqual([job.progress.done, job.progress.failed, job.progress.total, job.progress.percent], [6, 2, 8, 100]);
    const { failures } = await h.request({ type: 'getJob', jobId: id });
    assert.deepEqual(failures.map((f) => [f.item, f.reason]), broken.map((item) => [item, `${item} is broken in the test source`]));
    assert.deepEqual(rowsOf(h, id).map((r) => r.item).filter((item) => broken.includes(item)), [], 'a failed item leaves no rows');
    assert.equal(appliesOf(h, id).length, 6);
  });

  it('cancels a running job before its next chunk; what was done stays', async (t) => {
    const h = await jobsHarness();
    t.after(() => h.close());
    const { id } = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 200, prepareMs: 5, applyMs: 2 } });
    await waitFor(() => h.jobEvents(id).some((job) => job.progress.done >= 5), 'five items done');
    const cancelled = await h.request({ type: 'cancelJob', jobId: id });
    assert.equal(cancelled.state, 'cancelled');
    const doneAtCancel = cancelled.progress.done;
    await delay(100); // the time for several more items, had it gone on
    const job = (await h.request({ type: 'getJob', jobId: id })).job;
    assert.equal(job.state, 'cancelled');
    assert.equal(job.progress.done, doneAtCancel, 'no item finished after the cancel');
    assert.equal(appliesOf(h, id).length, doneAtCancel);
    assert.equal(rowsOf(h, id).length, doneAtCancel, 'the rows are those of the done items');
    assert.ok(doneAtCancel < 200);
    await assert.rejects(h.request({ type: 'cancelJob', jobId: 999 }), /^Error: There is no job 999$/);
  });

  it('cancels within one chunk even when the kind\'s prepare ignores the signal', async (t) => {
    const h = await jobsHarness();
    t.after(() => h.close());
    const { id } = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 5, prepareMs: 2_000, ignoreSignal: true } });
    await waitFor(() => h.jobEvents(id).some((job) => job.state === 'running'), 'the job to run');
    const next = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 1 } });
    const at = Date.now();
    await h.request({ type: 'cancelJob', jobId: id });
    await finished(h, next.id);
    assert.ok(Date.now() - at < 1_000, 'the next job did not wait for the ignored 2 s prepare');
  });

  it('cancels a queued job: it never runs', async (t) => {
    const h = await jobsHarness();
    t.after(() => h.close());
    const first = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 10, prepareMs: 5 } });
    const second = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 10 } });
    await h.request({ type: 'cancelJob', jobId: second.id });
    await finished(h, first.id);
    await delay(30);
    assert.deepEqual(stateChanges(h.jobEvents(second.id)), ['queued', 'cancelled']);
    assert.equal((await h.request({ type: 'getJob', jobId: second.id })).job.startedAt, null);
  });

  it('retries a job that failed as a whole with exponential backoff and jitter, on the injected clock', async (t) => {
    const clock = new SimulatedClock('2026-03-02T10:00:00Z');
    const randoms = [0, 1 - 1e-9];
    const h = await jobsHarness({ clock, jobs: { random: () => randoms.shift() ?? 0.5, backoff: { baseMs: 10_000, maxMs: 60_000 } } });
    t.after(() => h.close());
    const { id } = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 3, fatal: { at: 'plan', times: 2 } } });
    const latest = async () => (await h.request({ type: 'getJob', jobId: id })).job;

    await waitFor(() => h.jobEvents(id).some((job) => job.state === 'failed'), 'the first failure');
    let job = await latest();
    assert.equal(job.attempts, 1);
    assert.equal(job.lastError, 'The test source is down (plan, failure 1)');
    // Attempt 1: a ceiling of 10 s, half fixed, half jitter (random 0 → 5 s).
    assert.equal(job.nextAttemptAt, '2026-03-02T10:00:05.000Z');
    clock.advance(4_999);
    await delay(20);
    assert.equal((await latest()).state, 'failed', 'not before its time');
    clock.advance(1);
    await waitFor(() => h.jobEvents(id).filter((j) => j.state === 'failed').length === 2, 'the second failure');
    job = await latest();
    assert.equal(job.attempts, 2);
    // Attempt 2: the ceiling doubles to 20 s; random ~1 → ~20 s after 10:00:05.
    assert.equal(job.nextAttemptAt, '2026-03-02T10:00:25.000Z');
    clock.advance(20_000);
    job = await finished(h, id);
    assert.equal(job.state, 'completed');
    assert.equal(job.attempts, 3);
    assert.equal(job.lastError, 'The test source is down (plan, failure 2)', 'the last failure stays visible');
    assert.deepEqual(stateChanges(h.jobEvents(id)), ['queued', 'running', 'failed', 'running', 'failed', 'running', 'completed']);
  });

  it('a job-fatal item error fails the attempt and resumes after the done items', async (t) => {
    const clock = new SimulatedClock('2026-03-02T10:00:00Z');
    const h = await jobsHarness({ clock, jobs: { random: () => 0, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
    t.after(() => h.close());
    const { id } = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 10, fatal: { at: 'item', times: 1 } } });
    await waitFor(() => h.jobEvents(id).some((job) => job.state === 'failed'), 'the attempt to fail');
    const failed = (await h.request({ type: 'getJob', jobId: id })).job;
    assert.equal(failed.progress.done, 5, 'items 0-4 were done before item 5 failed the job');
    clock.advance(1_000);
    const job = await finished(h, id);
    assert.equal(job.state, 'completed');
    assert.equal(job.progress.done, 10);
    assert.ok(appliesOf(h, id).every((row) => row.n === 1), 'the resumed attempt skipped the done items');
  });

  it('goes dead after maxAttempts, stays with its error until retried by hand or dismissed', async (t) => {
    const clock = new SimulatedClock('2026-03-02T10:00:00Z');
    const h = await jobsHarness({ clock, jobs: { random: () => 0, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
    t.after(() => h.close());
    const { id } = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 3, fatal: { at: 'finish', times: 2 } }, maxAttempts: 2 });
    await waitFor(() => h.jobEvents(id).some((job) => job.state === 'failed'), 'the first failure');
    clock.advance(500);
    await waitFor(() => h.jobEvents(id).some((job) => job.state === 'dead'), 'the job to die');
    let job = (await h.request({ type: 'getJob', jobId: id })).job;
    assert.deepEqual([job.state, job.attempts, job.nextAttemptAt, job.lastError], ['dead', 2, null, 'The test source is down (finish, failure 2)']);
    assert.ok(job.finishedAt);
    const stats = await h.request({ type: 'jobStats' });
    assert.deepEqual(ids(stats.dead), [id]);
    assert.equal(stats.byState.dead, 1);
    clock.advance(60_000);
    await delay(20);
    assert.equal((await h.request({ type: 'getJob', jobId: id })).job.state, 'dead', 'no retry of its own once dead');
    await assert.rejects(h.request({ type: 'dismissJob', jobId: 999 }), /There is no job 999/);

    const seen = h.jobEvents(id).length;
    const retried = await h.request({ type: 'retryJob', jobId: id });
    assert.deepEqual([retried.state, retried.attempts, retried.lastError, retried.finishedAt], ['queued', 0, null, null]);
    job = await finished(h, id, seen);
    assert.equal(job.state, 'completed', 'the third finish succeeds');
    assert.equal(job.attempts, 1);
    await assert.rejects(h.request({ type: 'retryJob', jobId: id }), /^Error: Job \d+ is completed with nothing failed; only a dead, failed or cancelled job can be retried$/);
    assert.deepEqual(await h.request({ type: 'dismissJob', jobId: id }), { id });
    assert.deepEqual(await h.request({ type: 'listJobs' }), []);
    assert.deepEqual(h.query('SELECT * FROM job_items WHERE job_id = ?', id), [], 'its items went with it');
  });

  it('will not dismiss a job that is not finished', async (t) => {
    const h = await jobsHarness();
    t.after(() => h.close());
    const { id } = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 100, prepareMs: 5 } });
    await waitFor(() => h.jobEvents(id).some((job) => job.state === 'running'), 'the job to run');
    await assert.rejects(h.request({ type: 'dismissJob', jobId: id }), /^Error: Job \d+ is running; cancel it before dismissing it$/);
    await h.request({ type: 'cancelJob', jobId: id });
    assert.deepEqual(await h.request({ type: 'dismissJob', jobId: id }), { id });
  });

  it('reports queue statistics: counts by state, the running job with its item, throughput', async (t) => {
    const h = await jobsHarness();
    t.after(() => h.close());
    const done = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 30 } });
    await finished(h, done.id);
    const running = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 100, prepareMs: 10 } });
    const queued = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 1 } });
    await waitFor(() => h.jobEvents(running.id).some((job) => job.progress.done >= 3), 'progress');
    const stats = await h.request({ type: 'jobStats' });
    assert.deepEqual(stats.byState, { queued: 1, running: 1, completed: 1, failed: 0, cancelled: 0, dead: 0 });
    assert.equal(stats.running?.id, running.id);
    assert.match(stats.running?.progress.currentItem ?? '', /^item-\d{5}$/, 'the item in hand');
    assert.ok(stats.throughput >= 33 / 60 && stats.throughput < 200 / 60, `throughput ${stats.throughput}/s: the last minute's items over 60 s`);
    assert.deepEqual(stats.dead, []);
    await h.request({ type: 'cancelJob', jobId: running.id });
    await finished(h, queued.id);
  });

  it('pushes progress at most about four times a second, and every state change', async (t) => {
    const h = await jobsHarness();
    t.after(() => h.close());
    const started = Date.now();
    const { id } = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 60, prepareMs: 15 } });
    const job = await finished(h, id);
    const seconds = (Date.now() - started) / 1000;
    const events = h.jobEvents(id);
    const progressOnly = events.filter((e) => e.state === 'running').length - 1; // less the state change
    assert.ok(seconds > 0.9, `the job took ${seconds} s`);
    assert.ok(progressOnly <= Math.ceil(seconds * 4) + 1, `${progressOnly} progress events in ${seconds.toFixed(2)} s`);
    assert.ok(progressOnly >= 2, 'progress is pushed while it runs');
    assert.deepEqual(stateChanges(events), ['queued', 'running', 'completed']);
    assert.equal(events.at(-1)!.state, 'completed');
    const running = events.filter((e) => e.state === 'running');
    assert.ok(running.some((e) => e.progress.itemsPerSecond !== null && e.progress.etaSeconds !== null), 'rate and time left are reported');
    assert.ok(running.every((e, i) => i === 0 || e.progress.done >= running[i - 1]!.progress.done), 'progress only moves forward');
    assert.equal(job.progress.done, 60);
  });

  it('a clean stop mid-job leaves it to resume at the next start, no crash counted, no item twice', async (t) => {
    const h = await jobsHarness();
    const { id } = await h.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 200, prepareMs: 5 } });
    await waitFor(() => h.jobEvents(id).some((job) => job.progress.done >= 5), 'progress');
    await h.close();
    const stoppedAt = h.query<{ state: string; paused: number; crashes: number; done: number }>('SELECT state, paused, crashes, done FROM jobs WHERE id = ?', id)[0]!;
    assert.deepEqual([stoppedAt.state, stoppedAt.paused, stoppedAt.crashes], ['running', 1, 0]);
    assert.ok(stoppedAt.done < 200);

    const again = await jobsHarness({}, { dir: h.dir });
    t.after(() => again.close());
    const job = await finished(again, id);
    assert.deepEqual([job.state, job.progress.done, job.attempts], ['completed', 200, 1]);
    assert.deepEqual(again.query('SELECT crashes, paused FROM jobs WHERE id = ?', id), [{ crashes: 0, paused: 0 }]);
    assert.ok(appliesOf(again, id).every((row) => row.n === 1));
    assert.equal(rowsOf(again, id).length, 200);
  });

  it('a job that keeps taking the processor down with it stops being resumed', async (t) => {
    const dirHolder = await jobsHarness();
    const { id } = await dirHolder.request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items: 3, prepareMs: 60_000 } });
    await waitFor(() => dirHolder.jobEvents(id).some((job) => job.state === 'running'), 'the job to run');
    await dirHolder.close();
    // As three crashes in a row would leave it: running, not paused, two crashes already counted.
    const db = new (await import('better-sqlite3')).default(dirHolder.dbPath);
    db.prepare('UPDATE jobs SET paused = 0, crashes = 2, attempts = 3 WHERE id = ?').run(id);
    db.close();
    const h = await jobsHarness({}, { dir: dirHolder.dir });
    t.after(() => h.close());
    const job = (await h.request({ type: 'getJob', jobId: id })).job;
    assert.equal(job.state, 'dead');
    assert.equal(job.lastError, 'The processor stopped 3 times during this job without finishing an item');
  });
});
