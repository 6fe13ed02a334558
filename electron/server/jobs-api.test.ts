// Jobs and the daily history over a real WebSocket, on a real core whose processor runs the test
// job kind: the new calls and events need no wiring of their own in the server.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { JobRecord } from '../../shared/jobs';
import { connectWsApi, type WebSocketLike } from '../../shared/ws-client';
import { WS_PATH } from '../../shared/ws-protocol';
import { launchWithTestJobs, until, WRITE_ROWS_KIND } from '../core/jobs/test-support/launcher';
import { startTestCore } from '../test-support/core';
import { writeDataFolder } from '../test-support/workbooks';
import { startHeadlessServer } from './headless-server';

describe('headless server: jobs and history', () => {
  it('starts, watches, cancels and dismisses a job, and reads the history with its live point', async () => {
    const { core } = await startTestCore({ autoStart: false }, { launch: launchWithTestJobs }, (dir) =>
      writeDataFolder(dir, [['TCS', 100], ['ITC', 50], ['INFY', 20]], [['TCS', 101], ['ITC', 49], ['INFY', 21]]));
    const server = await startHeadlessServer({ api: core, port: 0 });
    after(() => server.close());
    const api = connectWsApi(new WebSocket(`${server.url.replace('http', 'ws')}${WS_PATH}`) as unknown as WebSocketLike);
    after(() => api.close());
    await api.opened;

    const pushed: JobRecord[] = [];
    const removed: Array<{ id: number }> = [];
    api.on('jobProgress', (job) => pushed.push(job));
    api.on('jobRemoved', (r) => removed.push(r));
    const job = await api.startJob({ kind: WRITE_ROWS_KIND, params: { items: 200, prepareMs: 20 } });
    await until(() => pushed.some((j) => j.id === job.id && j.progress.done >= 3), 'progress over the WebSocket');
    assert.equal((await api.getJobStats()).running?.id, job.id);
    assert.equal((await api.cancelJob(job.id)).state, 'cancelled');
    await until(() => pushed.some((j) => j.id === job.id && j.state === 'cancelled'), 'the cancelled event');
    assert.deepEqual(await api.dismissJob(job.id), { id: job.id });
    await until(() => removed.length > 0, 'the jobRemoved event');
    assert.deepEqual(removed, [{ id: job.id }]);
    assert.deepEqual(await api.listJobs(), []);
    await assert.rejects(api.call('startJob', [{ kind: WRITE_ROWS_KIND, params: { items: 'many' } }]), {
      code: 'bad-input', message: /^Bad parameters for a write-rows job: items: /,
    });

    // No bhavcopy imported: the history is the intraday day alone, provisional.
    const report = await api.processNow();
    assert.equal(report.status, 'ok', report.message ?? '');
    const history = await api.getHistory();
    assert.deepEqual(history.map((d) => [d.tradeDate, d.advances, d.declines, d.provisional]), [[report.snapshot!.tradeDate, 2, 1, true]]);
    assert.deepEqual(await api.getHistory({ to: '2000-01-03' }), []);
    await assert.rejects(api.call('getHistory', [{ from: 'last year' }]), { code: 'bad-input', message: /^getHistory: from: / });
  });
});
