// Jobs through the API contract with a real core and a real processor child process (the real
// processor entry with the test job kind registered): progress reaches the API's listeners as
// events, cancel / retry / dismiss work through the boundary, and malformed or refused calls
// come back as one line.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ApiErrorShape } from '../../../shared/api';
import type { JobDetail, JobRecord, QueueStats } from '../../../shared/jobs';
import { HISTORY_IMPORT_KIND as PROCESSOR_HISTORY_IMPORT_KIND } from '../../processor/history/import-job';
import { NSE_PROFILE } from '../../../shared/market-calendar';
import { startTestCore } from '../../test-support/core';
import { tempDir } from '../../test-support/workbooks';
import { SimulatedClock } from '../clock/simulated-clock';
import { dispatchApiCall } from '../api-dispatch';
import type { LiveBreadthCore } from '../app-core';
import { HISTORY_IMPORT_KIND, jobReachesOutside } from './job-access';
import { launchWithTestJobs, until, WRITE_ROWS_KIND } from './test-support/launcher';

const LOCAL = { local: true };
const NETWORK = { local: false };

async function coreWithTestJobs(settings: Parameters<typeof startTestCore>[0] = {}, clock?: SimulatedClock) {
  const started = await startTestCore(settings, { launch: launchWithTestJobs, clock });
  const progress: JobRecord[] = [];
  const removed: Array<{ id: number }> = [];
  started.core.on('jobProgress', (job) => progress.push(job));
  started.core.on('jobRemoved', (r) => removed.push(r));
  return { ...started, progress, removed };
}

const call = <T>(core: LiveBreadthCore, method: string, ...args: unknown[]) => dispatchApiCall(core, method, args, LOCAL) as Promise<T>;

/** The refusal a call got, as the dashboard sees it. */
async function refusal(work: Promise<unknown>): Promise<ApiErrorShape> {
  try {
    await work;
  } catch (error) {
    return { code: (error as ApiErrorShape).code, message: (error as Error).message };
  }
  return assert.fail('the call was not refused');
}

describe('jobs through the API', () => {
  it('a started job pushes its progress to the API listener until it completes; list, detail and stats agree', async () => {
    const { core, progress } = await coreWithTestJobs();
    const started = await call<JobRecord>(core, 'startJob', { kind: WRITE_ROWS_KIND, params: { items: 24, prepareMs: 40, failItems: ['item-00003'] } });
    assert.equal(started.state, 'queued');
    await until(() => progress.some((j) => j.id === started.id && j.state === 'completed'), 'the job to complete');

    const mine = progress.filter((j) => j.id === started.id);
    const states = mine.map((j) => j.state).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(states, ['queued', 'running', 'completed']);
    const running = mine.filter((j) => j.state === 'running' && j.progress.total > 0);
    assert.ok(running.length >= 2, `progress arrived while it ran (${running.length} events)`);
    const finished = running.map((j) => j.progress.done + j.progress.failed);
    assert.deepEqual(finished, [...finished].sort((a, b) => a - b), 'progress only moves forward');
    // Throttled by the processor: ~24 items at 40 ms is ~1 s of work, at most ~4 progress events a second.
    assert.ok(running.length <= 12, `${running.length} progress events for ~1 s of work`);

    const last = mine.at(-1)!;
    assert.deepEqual([last.progress.done, last.progress.failed, last.progress.total], [23, 1, 24]);
    const [listed] = await call<JobRecord[]>(core, 'listJobs');
    assert.deepEqual(listed, last);
    const detail = await call<JobDetail>(core, 'getJob', started.id);
    assert.deepEqual(detail.failures.map((f) => [f.item, f.reason]), [['item-00003', 'item-00003 is broken in the test source']]);
    const stats = await call<QueueStats>(core, 'getJobStats');
    assert.equal(stats.byState.completed, 1);
    assert.equal(stats.running, null);
  });

  it('cancel stops a running job, retry runs it again to the end, dismiss removes it with a jobRemoved event', async () => {
    const { core, progress, removed } = await coreWithTestJobs();
    const job = await call<JobRecord>(core, 'startJob', { kind: WRITE_ROWS_KIND, params: { items: 60, prepareMs: 30 } });
    await until(() => progress.some((j) => j.id === job.id && j.progress.done >= 5), 'five items done');

    const cancelled = await call<JobRecord>(core, 'cancelJob', job.id);
    assert.equal(cancelled.state, 'cancelled');
    assert.ok(cancelled.progress.done >= 5 && cancelled.progress.done < 60, `stopped part-way (${cancelled.progress.done})`);
    await until(() => progress.some((j) => j.id === job.id && j.state === 'cancelled'), 'the cancelled event');
    const doneAtCancel = cancelled.progress.done;

    // Dismissing is refused while it runs; after the retry completes it is allowed.
    const retried = await call<JobRecord>(core, 'retryJob', job.id);
    assert.equal(retried.state, 'queued');
    assert.equal(retried.progress.done, doneAtCancel, 'done items stay done');
    await until(() => progress.some((j) => j.id === job.id && j.state === 'running' && j.updatedAt > retried.updatedAt), 'it to run again');
    const notYet = await refusal(call(core, 'dismissJob', job.id));
    assert.equal(notYet.code, 'bad-input');
    assert.equal(notYet.message, `Job ${job.id} is running; cancel it before dismissing it`);
    await until(() => progress.some((j) => j.id === job.id && j.state === 'completed'), 'the retried job to complete');

    assert.deepEqual(await call(core, 'dismissJob', job.id), { id: job.id });
    assert.deepEqual(removed, [{ id: job.id }]);
    assert.deepEqual(await call(core, 'listJobs'), []);
    const gone = await refusal(call(core, 'getJob', job.id));
    assert.deepEqual(gone, { code: 'bad-input', message: `There is no job ${job.id}` });
  });

  it('a malformed or refused startJob is bad-input in one line, and nothing is queued', async () => {
    const { core } = await coreWithTestJobs();
    const cases: Array<[unknown[], RegExp]> = [
      [[], /^startJob: arguments: /],
      [[{ kind: '', params: {} }], /^startJob: kind: must name a job kind$/],
      [[{ kind: WRITE_ROWS_KIND }], /^startJob: params: /],
      [[{ kind: WRITE_ROWS_KIND, params: {}, extra: 1 }], /^startJob: .*extra/],
      [[{ kind: WRITE_ROWS_KIND, params: {}, maxAttempts: 0 }], /^startJob: maxAttempts: /],
      [[{ kind: 'no-such-kind', params: {} }], /^Unknown job kind "no-such-kind" \(this processor runs .*write-rows/],
      [[{ kind: WRITE_ROWS_KIND, params: { items: -1 } }], /^Bad parameters for a write-rows job: items: /],
      [[{ kind: HISTORY_IMPORT_KIND, params: { from: '2026-13-01', to: '2026-01-01' } }], /^Bad parameters for a history-import job: from: must be a date like 2025-11-01/],
    ];
    for (const [args, expected] of cases) {
      const refused = await refusal(dispatchApiCall(core, 'startJob', args, LOCAL));
      assert.equal(refused.code, 'bad-input', JSON.stringify(args));
      assert.match(refused.message, expected, JSON.stringify(args));
      assert.ok(!refused.message.includes('\n'), `one line: ${refused.message}`);
    }
    for (const [method, args] of [['getJob', ['7']], ['cancelJob', [0]], ['retryJob', []], ['getHistory', [{ from: '2026-11-20', to: '2026-11-01' }]]] as const) {
      const refused = await refusal(dispatchApiCall(core, method, args, LOCAL));
      assert.equal(refused.code, 'bad-input', method);
      assert.ok(refused.message.startsWith(`${method}: `) && !refused.message.includes('\n'), refused.message);
    }
    assert.deepEqual(await call(core, 'listJobs'), []);
  });

  it('a network dashboard may not make a job read a folder or fetch another address; NSE itself it may', async () => {
    const { core } = await coreWithTestJobs();
    const input = (sources: unknown[]) => ({ kind: HISTORY_IMPORT_KIND, params: { from: '2026-11-02', to: '2026-11-06', sources } });
    for (const sources of [[{ kind: 'folder', dir: '/etc' }], [{ kind: 'nse', baseUrl: 'http://10.0.0.1/' }], [{ kind: 'nse' }, { kind: 'folder', dir: '/home' }]]) {
      const refused = await refusal(dispatchApiCall(core, 'startJob', [input(sources)], NETWORK));
      assert.equal(refused.code, 'forbidden', JSON.stringify(sources));
      assert.match(refused.message, /^sources: a folder or an archive address other than NSE's can be chosen only on the computer LiveBreadth runs on$/);
    }
    assert.deepEqual(await call(core, 'listJobs'), []);
    assert.deepEqual(jobReachesOutside(input([{ kind: 'nse' }])), []);
    assert.deepEqual(jobReachesOutside({ kind: WRITE_ROWS_KIND, params: { sources: [{ kind: 'folder', dir: '/' }] } }), []);
    // The local user may, and the kind's name is the processor's own.
    const local = await call<JobRecord>(core, 'startJob', input([{ kind: 'folder', dir: path.join(path.sep, 'nonexistent-livebreadth') }]));
    assert.equal(local.kind, PROCESSOR_HISTORY_IMPORT_KIND);
    await call(core, 'cancelJob', local.id);
  });

  it('with the setting on, the core queues the day\'s import after the close by itself, like the last import', async () => {
    const clock = new SimulatedClock('2026-11-20T18:00:00+05:30'); // a Friday, IST: due at 18:30
    const { core, progress } = await coreWithTestJobs({ exchange: NSE_PROFILE, history: { importAfterClose: true } }, clock);
    // The trader's last import read a folder (an empty one here: nothing reaches the network).
    const folder = await tempDir('livebreadth-bhav-');
    const earlier = await call<JobRecord>(core, 'startJob', { kind: HISTORY_IMPORT_KIND, params: { from: '2026-11-02', to: '2026-11-03', sources: [{ kind: 'folder', dir: folder }] } });
    await until(() => progress.some((j) => j.id === earlier.id && j.state !== 'queued' && j.state !== 'running'), 'the earlier import to end');
    for (let minute = 0; minute < 29; minute++) clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await call<JobRecord[]>(core, 'listJobs')).length, 1, 'not before 18:30 IST');
    for (let minute = 0; minute < 2; minute++) clock.advance(60_000);
    await until(() => progress.some((j) => j.id !== earlier.id), 'the day\'s import');
    const day = progress.find((j) => j.id !== earlier.id)!;
    assert.deepEqual(day.params, { from: '2026-11-20', to: '2026-11-20', sources: [{ kind: 'folder', dir: folder }], universe: { series: ['EQ'] } });
    await call(core, 'cancelJob', day.id).catch(() => undefined); // it may have ended already
  });
});
