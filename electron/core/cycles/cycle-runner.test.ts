// The cycle runner's queue and breaker. The processor is out of the picture here (the core's
// tests run it for real): each cycle is a promise the test settles, on a simulated clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunTrigger } from '../../../shared/domain';
import type { CycleReport } from '../../../shared/processor-protocol';
import { SimulatedClock } from '../clock/simulated-clock';
import { CycleLostError } from '../processor/supervision';
import { CycleRunner } from './cycle-runner';

const START = '2026-01-23T04:30:00.000Z';
const settle = () => new Promise((resolve) => setImmediate(resolve));

function report(trigger: RunTrigger, status: CycleReport['status'] = 'ok', message: string | null = null): CycleReport {
  return { runId: 1, status, trigger, message, startedAt: START, durationMs: 5, snapshot: null, rejectedCount: 0, rejectedSample: [], ticksStored: 0 };
}

/** A runner whose cycles wait until the test ends them; it records what ran and whether two overlapped. */
function harness() {
  const clock = new SimulatedClock(START);
  const running: Array<{ trigger: RunTrigger; end: (outcome: CycleReport | Error) => void }> = [];
  const started: RunTrigger[] = [];
  const finished: CycleReport[] = [];
  const paused: string[] = [];
  let overlapped = false;
  const runner = new CycleRunner({
    clock,
    breaker: { failureThreshold: 3, pauseMs: 60_000 },
    run: (trigger) => new Promise<CycleReport>((resolve, reject) => {
      if (running.length > 0) overlapped = true;
      started.push(trigger);
      const entry = {
        trigger,
        end: (outcome: CycleReport | Error) => {
          running.splice(running.indexOf(entry), 1);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      };
      running.push(entry);
    }),
    onFinished: (r) => finished.push(r),
    onPaused: (message) => paused.push(message),
  });
  /** Ends the running cycle, and lets the next one start. */
  const end = async (outcome?: CycleReport | Error) => {
    await settle();
    const current = running[0];
    assert.ok(current, 'a cycle is running');
    current.end(outcome ?? report(current.trigger));
    await settle();
  };
  return { clock, runner, started, finished, paused, end, overlapped: () => overlapped };
}

describe('CycleRunner', () => {
  it('one cycle at a time; automatic requests while one waits are that one; process now queues behind', async () => {
    const h = harness();
    const first = h.runner.requestAutomatic('schedule');
    await settle();
    const waiting = h.runner.requestAutomatic('watcher');
    assert.equal(h.runner.requestAutomatic('schedule'), waiting, 'a second automatic request joins the waiting one');
    assert.equal(h.runner.requestAutomatic('close'), waiting);
    const manual = h.runner.runNow();
    await h.end();
    await h.end();
    await h.end();
    assert.deepEqual(h.started, ['schedule', 'watcher', 'manual']);
    assert.equal(h.overlapped(), false);
    assert.deepEqual([(await first)?.trigger, (await waiting)?.trigger, (await manual).trigger], ['schedule', 'watcher', 'manual']);
    assert.deepEqual(h.finished.map((r) => r.trigger), ['schedule', 'watcher', 'manual']);
    assert.equal(h.runner.lastRun?.trigger, 'manual');
  });

  it('a cycle the processor did not complete is a failed report: its error in one line, or the lost cycle as it was', async () => {
    const h = harness();
    const refused = h.runner.runNow();
    await h.end(new Error('The processor could not start: Cannot open the database'));
    assert.deepEqual(await refused, { ...report('manual', 'failed', 'Cycle failed: The processor could not start: Cannot open the database'), runId: 0, durationMs: 0 });
    const lost = h.runner.runNow();
    await h.end(new CycleLostError('A cycle took longer than 20 s; the processor was restarted', '2026-01-23T04:29:40.000Z', 20_000));
    const r = await lost;
    assert.deepEqual([r.status, r.message, r.startedAt, r.durationMs], ['failed', 'A cycle took longer than 20 s; the processor was restarted', '2026-01-23T04:29:40.000Z', 20_000]);
  });

  it('after 3 failures in a row automatic cycles pause (said once); process now still runs; after the pause one trial, and a success resumes', async () => {
    const h = harness();
    for (let i = 0; i < 3; i++) {
      const cycle = h.runner.requestAutomatic('schedule');
      await h.end(report('schedule', 'failed', 'Live.xlsx is not an Excel workbook'));
      assert.equal((await cycle)?.status, 'failed');
    }
    assert.deepEqual(h.paused, ['3 cycles failed in a row; automatic cycles pause for a minute. Last: Live.xlsx is not an Excel workbook']);
    assert.deepEqual(h.runner.breakerAt(h.clock.now()), { state: 'open', consecutiveFailures: 3, retryAt: Date.parse(START) + 60_000 });
    assert.equal(await h.runner.requestAutomatic('watcher'), null, 'paused: it does not run');
    assert.equal(h.started.length, 3);
    const manual = h.runner.runNow();
    await h.end(report('manual', 'failed', 'still bad'));
    assert.equal((await manual).status, 'failed');

    h.clock.advance(60_000);
    assert.equal(h.runner.breakerAt(h.clock.now()).state, 'half-open');
    const trial = h.runner.requestAutomatic('schedule');
    await h.end();
    assert.equal((await trial)?.status, 'ok');
    assert.deepEqual(h.runner.breakerAt(h.clock.now()), { state: 'closed', consecutiveFailures: 0, retryAt: null });
    assert.equal(h.paused.length, 1);
  });

  it('closed (quitting): the automatic cycle waiting does not run; idle() waits for the running one', async () => {
    const h = harness();
    const running = h.runner.requestAutomatic('schedule');
    await settle();
    const waiting = h.runner.requestAutomatic('watcher');
    h.runner.close();
    let idle = false;
    const done = h.runner.idle().then(() => (idle = true));
    await settle();
    assert.equal(idle, false, 'the running cycle is still running');
    await h.end();
    await done;
    assert.equal((await running)?.status, 'ok');
    assert.equal(await waiting, null);
    assert.deepEqual(h.started, ['schedule']);
  });
});
