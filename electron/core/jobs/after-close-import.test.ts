// The day's import after the close on simulated time: when it is queued, with what, only once, and
// never when the setting is off or the day has no session. The job queue is a recording stand-in
// of CoreJobs' two calls here; the queue itself runs for real in core-jobs.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobRecord, StartJobInput } from '../../../shared/jobs';
import { NSE_PROFILE } from '../../../shared/market-calendar';
import type { Settings } from '../../../shared/settings';
import { SimulatedClock } from '../clock/simulated-clock';
import { AfterCloseImport, dayImport } from './after-close-import';

const settle = () => new Promise((r) => setImmediate(r));

function recordingJobs(existing: JobRecord[] = []) {
  const started: StartJobInput[] = [];
  let refuse: string | null = null;
  return {
    started,
    refuseWith: (message: string | null) => (refuse = message),
    port: {
      async start(input: StartJobInput) {
        if (refuse) throw new Error(refuse);
        started.push(input);
        return { id: existing.length + started.length, kind: input.kind, params: input.params } as JobRecord;
      },
      async list() {
        return [...existing, ...started.map((s, i) => ({ id: existing.length + i + 1, kind: s.kind, params: s.params }) as JobRecord)];
      },
    },
  };
}

function setup(options: { on?: boolean; at?: string; existing?: JobRecord[] } = {}) {
  const clock = new SimulatedClock(options.at ?? '2026-11-20T09:00:00+05:30'); // a Friday morning, IST
  const settings: Pick<Settings, 'exchange' | 'history'> = { exchange: NSE_PROFILE, history: { importAfterClose: options.on ?? true } };
  const jobs = recordingJobs(options.existing);
  const problems: string[] = [];
  const importer = new AfterCloseImport({ clock, settings: () => settings, jobs: jobs.port, onProblem: (m) => problems.push(m) });
  importer.start();
  return { clock, settings, jobs, problems, importer };
}

/** Moves simulated time a minute at a time, letting the queued starts run. */
async function advance(clock: SimulatedClock, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 60_000) {
    clock.advance(Math.min(60_000, left));
    await settle();
  }
}

const at = (iso: string) => Date.parse(iso);

describe('the day\'s import after the close', () => {
  it('is queued 3 h after the close (18:30 IST), for that session only, once', async () => {
    const { clock, jobs, importer } = setup();
    await advance(clock, at('2026-11-20T18:29:00+05:30') - clock.now().getTime());
    assert.equal(jobs.started.length, 0, 'not before it is due');
    await advance(clock, 60_000);
    assert.deepEqual(jobs.started, [{ kind: 'history-import', params: { from: '2026-11-20', to: '2026-11-20', sources: [{ kind: 'nse' }], universe: { series: ['EQ'] } } }]);
    await advance(clock, 5 * 3_600_000); // the rest of the evening, past midnight, the weekend
    await advance(clock, 48 * 3_600_000);
    assert.equal(jobs.started.length, 1, 'not again that day, nothing on Saturday or Sunday');
    await advance(clock, at('2026-11-23T18:31:00+05:30') - clock.now().getTime());
    assert.deepEqual(jobs.started.map((s) => (s.params as { from: string }).from), ['2026-11-20', '2026-11-23']);
    importer.stop();
    assert.deepEqual(clock.pendingTimers(), [], 'stop leaves no timer');
  });

  it('off (the default): nothing is queued', async () => {
    const { clock, jobs, importer } = setup({ on: false });
    await advance(clock, 24 * 3_600_000);
    assert.deepEqual(jobs.started, []);
    importer.stop();
  });

  it('switched on after it was due the same evening: queued within a minute, without being told', async () => {
    const { clock, jobs, settings, importer } = setup({ on: false, at: '2026-11-20T20:00:00+05:30' });
    settings.history = { importAfterClose: true };
    await advance(clock, 60_000);
    assert.equal(jobs.started.length, 1);
    importer.stop();
  });

  it('after a restart the same evening it does not queue the day again', async () => {
    const queued = { id: 4, kind: 'history-import', params: { from: '2026-11-20', to: '2026-11-20' } } as JobRecord;
    const { clock, jobs, importer } = setup({ at: '2026-11-20T19:00:00+05:30', existing: [queued] });
    await advance(clock, 5 * 60_000);
    assert.deepEqual(jobs.started, []);
    importer.stop();
  });

  it('a refused start is said once and tried again at the next wake', async () => {
    const { clock, jobs, problems, importer } = setup({ at: '2026-11-20T18:45:00+05:30' });
    jobs.refuseWith('The processor is restarting');
    await advance(clock, 10 * 60_000);
    assert.deepEqual(problems, ['The day\'s import after the close could not start: The processor is restarting']);
    jobs.refuseWith(null);
    await advance(clock, 60_000);
    assert.equal(jobs.started.length, 1);
    importer.stop();
  });

  it('takes the sources and universe of the trader\'s latest import, so the series do not mix universes', () => {
    const older = { id: 1, kind: 'history-import', params: { from: 'a', to: 'b', universe: { series: ['EQ', 'BE'] } } } as JobRecord;
    const latest = { id: 2, kind: 'history-import', params: { from: 'a', to: 'b', sources: [{ kind: 'folder', dir: '/bhav' }, { kind: 'nse' }], universe: { historicalWorkbook: true } } } as JobRecord;
    const other = { id: 3, kind: 'write-rows', params: { universe: 'x' } } as JobRecord;
    assert.deepEqual(dayImport('2026-11-20', [older, latest, other]).params, {
      from: '2026-11-20', to: '2026-11-20', sources: [{ kind: 'folder', dir: '/bhav' }, { kind: 'nse' }], universe: { historicalWorkbook: true },
    });
  });
});
