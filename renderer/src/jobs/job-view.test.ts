import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobRecord, JobState, QueueStats } from '../../../shared/jobs';
import { countsLine, describeJob, elapsedSeconds, etaLabel, humanDuration, jobActions, jobTime, resultLine, statsLine, upsertJob } from './job-view';

function job(id: number, patch: Partial<JobRecord> = {}): JobRecord {
  return {
    id, kind: 'history-import', params: { from: '2025-11-01', to: '2026-11-20' }, state: 'running',
    progress: { done: 0, failed: 0, total: 0, percent: 0, currentItem: null, itemsPerSecond: null, etaSeconds: null },
    attempts: 1, maxAttempts: 3, nextAttemptAt: null, lastError: null, createdAt: '2026-11-20T10:00:00.000Z',
    startedAt: '2026-11-20T10:00:01.000Z', updatedAt: '2026-11-20T10:00:02.000Z', finishedAt: null, result: null, ...patch,
  };
}

describe('the Jobs panel: what it says about a job', () => {
  it('offers only what the queue allows in each state', () => {
    const offered = (state: JobState, failed = 0) => {
      const a = jobActions(job(1, { state, progress: { ...job(1).progress, failed } }));
      return (['cancel', 'retry', 'dismiss'] as const).filter((k) => a[k]);
    };
    assert.deepEqual(offered('queued'), ['cancel']);
    assert.deepEqual(offered('running'), ['cancel']);
    assert.deepEqual(offered('failed'), ['cancel', 'retry']);
    assert.deepEqual(offered('dead'), ['retry', 'dismiss']);
    assert.deepEqual(offered('cancelled'), ['retry', 'dismiss']);
    assert.deepEqual(offered('completed'), ['dismiss']);
    assert.deepEqual(offered('completed', 2), ['retry', 'dismiss']);
  });

  it('names an import by its range, sources in order, universe and force', () => {
    assert.deepEqual(describeJob(job(1, { params: { from: '2025-11-01', to: '2026-11-20', sources: [{ kind: 'folder', dir: 'D:\\bhav' }, { kind: 'nse' }], universe: { series: ['EQ', 'BE'] }, force: true } })), {
      title: 'History import 2025-11-01 → 2026-11-20',
      detail: 'folder D:\\bhav, then NSE archive · EQ + BE · forced',
    });
    assert.equal(describeJob(job(1)).detail, 'NSE archive · EQ', 'the defaults');
    assert.equal(describeJob(job(1, { params: { from: 'a', to: 'b', universe: { historicalWorkbook: true } } })).detail, 'NSE archive · Historical workbook symbols');
    assert.deepEqual(describeJob(job(1, { kind: 'write-rows', params: { items: 3 } })), { title: 'write-rows', detail: null });
  });

  it('says durations and time left as a person reads them', () => {
    assert.deepEqual([0, 42, 60, 200, 3600, 7300].map(humanDuration), ['0 s', '42 s', '1 min', '3 min 20 s', '1 h', '2 h 1 min']);
    assert.deepEqual([null, 3, 42, 61, 200, 5000].map(etaLabel), [null, 'a few seconds left', 'about 50 s left', 'about 2 min left', 'about 4 min left', 'about 1 h 30 min left']);
    const now = Date.parse('2026-11-20T10:02:01.000Z');
    assert.equal(elapsedSeconds(job(1), now), 120);
    assert.equal(elapsedSeconds(job(1, { finishedAt: '2026-11-20T10:00:31.000Z' }), now), 30, 'a finished job stops counting');
    assert.equal(elapsedSeconds(job(1, { startedAt: null }), now), null);
  });

  it('shows times in the exchange zone (IST), not the computer\'s', () => {
    assert.equal(jobTime('2026-11-20T10:00:01.000Z', 'Asia/Kolkata'), '20 Nov 15:30:01 IST');
    assert.equal(jobTime(null, 'Asia/Kolkata'), null);
  });

  it('counts, results and queue statistics in one line each', () => {
    assert.equal(countsLine(job(1)), 'planning…');
    assert.equal(countsLine(job(1, { progress: { ...job(1).progress, done: 1200, failed: 3, total: 2500 } })), '1,200 of 2,500 done · 3 failed');
    const result = { sessions: 250, imported: 240, skipped: 5, replaced: 0, notPublished: 2, failed: 3, fromCache: 10, sources: { nse: 245 }, bytesDownloaded: 1, indicatorsPendingFrom: null };
    assert.equal(resultLine(job(1, { state: 'completed', result })), '250 sessions · 240 imported · 5 already there · 2 not published · 3 failed · 10 from the cache');
    assert.equal(resultLine(job(1, { kind: 'write-rows', result: { rows: 9 } })), '{"rows":9}');
    const stats: QueueStats = { byState: { queued: 2, running: 1, completed: 4, failed: 0, cancelled: 0, dead: 1 }, running: null, throughput: 3.456, dead: [] };
    assert.equal(statsLine(stats), '1 running · 2 queued · 1 dead · 4 completed · 3.5 items/s over the last minute');
    assert.equal(statsLine({ ...stats, byState: { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0, dead: 0 }, throughput: 0 }), 'no jobs');
  });

  it('keeps one record per job, newest first, and never goes back to an older version', () => {
    const older = job(1, { updatedAt: '2026-11-20T10:00:05.000Z', progress: { ...job(1).progress, done: 5 } });
    const newer = job(1, { updatedAt: '2026-11-20T10:00:06.000Z', progress: { ...job(1).progress, done: 6 } });
    let list = upsertJob([], older);
    list = upsertJob(list, job(2));
    assert.deepEqual(list.map((j) => j.id), [2, 1]);
    list = upsertJob(list, newer);
    assert.equal(list.find((j) => j.id === 1)!.progress.done, 6);
    list = upsertJob(list, older); // a list read that left before the last event
    assert.equal(list.find((j) => j.id === 1)!.progress.done, 6);
    assert.equal(list.length, 2);
  });
});
