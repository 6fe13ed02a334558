// The supervisor with cycles that do not complete, on real child processes: a cycle the
// processor answers with an error (no restart), a processor frozen with SIGSTOP mid-cycle
// (killed at the cycle deadline, on the real clock and on the injected one).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delay, startTestCore } from '../../test-support/core';
import { tempDir, writeDataFolder } from '../../test-support/workbooks';
import { failedCycleReport } from '../cycles/cycle-runner';
import { SimulatedClock } from '../clock/simulated-clock';
import { launchNodeProcessor } from './node-processor';
import { ProcessorSupervisor } from './supervisor';
import { CycleLostError } from './supervision';
import { GENEROUS_MS, isAlive, settingsFor, until } from './supervisor-test-support';


describe('supervisor: cycles that do not complete', () => {
  it('an error reply from the processor is the cycle failing, not the processor: same process, no restart', { timeout: GENEROUS_MS }, async (t) => {
    const dir = await tempDir('livebreadth-supervisor-');
    await writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]);
    // A zone the processor cannot use: configure accepts it, the cycle throws on it.
    const supervisor = new ProcessorSupervisor({ launch: launchNodeProcessor, settings: () => settingsFor(dir, { exchangeZone: 'Mars/Olympus' }), backoffMs: [100] });
    t.after(() => supervisor.killNow());
    await supervisor.start();
    const pid = supervisor.pid!;
    const error = await supervisor.runCycle('manual').then(() => assert.fail('the cycle should fail'), (e: Error) => e);
    assert.ok(!(error instanceof CycleLostError), `an answer, not a lost cycle: ${error.message}`);
    assert.equal(failedCycleReport('manual', error, new Date()).message, 'Cycle failed: Unknown time zone "Mars/Olympus"');
    assert.equal(supervisor.pid, pid);
    assert.equal(supervisor.healthInfo.health, 'up');
    assert.equal(supervisor.healthInfo.restarts, 0);
    await supervisor.stop();
    assert.equal(isAlive(pid), false);
  });

  it('a processor frozen mid-cycle (SIGSTOP) is killed at the cycle deadline and restarted; process now answers; later cycles work', { timeout: GENEROUS_MS }, async (t) => {
    const { core, dataDir, events } = await startTestCore({ autoStart: false }, { cycleTimeoutMs: 3_000 }, (dir) => writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 50]]));
    const supervisor = core.processorSupervisor;
    assert.equal((await core.processNow()).status, 'ok');
    const frozen = supervisor.pid!;
    t.after(() => {
      if (isAlive(frozen)) process.kill(frozen, 'SIGKILL'); // a failed assertion must not leave it behind
    });
    process.kill(frozen, 'SIGSTOP'); // as stuck as a workbook pinning the CPU for minutes
    const stalled = core.processNow();
    await writeDataFolder(dataDir, null, [['TCS', 102], ['ITC', 49]]); // a good Live replaces the one it choked on
    const report = await stalled;
    const reason = 'A cycle took longer than 3 s; the processor was restarted';
    assert.equal(report.status, 'failed');
    assert.equal(report.message, reason);
    assert.equal(isAlive(frozen), false, 'the frozen processor was killed');
    const status = await core.getStatus();
    assert.equal(status.processor.lastCrash, reason);
    assert.equal(status.error, reason);
    assert.ok(events.error.some((e) => e.message === reason), 'the stall is an error event');

    await until(() => supervisor.healthInfo.health === 'up', 'the restart');
    assert.notEqual(supervisor.pid, frozen);
    const next = await core.processNow();
    assert.equal(next.status, 'ok');
    assert.deepEqual([next.snapshot!.advances, next.snapshot!.declines], [1, 1]);
    assert.equal((await core.getStatus()).error, null);
    const runs = await core.getRuns();
    assert.ok(runs.some((r) => r.status === 'failed' && r.message === reason), 'the stalled cycle is in the run log');
  });
});

describe('supervisor: the cycle deadline runs on the injected clock', () => {
  const START = '2026-01-23T04:00:00.000Z';

  it('a stuck cycle is lost at the deadline on the clock, its start and duration in the clock\'s time', { timeout: GENEROUS_MS }, async (t) => {
    const dir = await tempDir('livebreadth-supervisor-');
    await writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]);
    const clock = new SimulatedClock(START);
    const supervisor = new ProcessorSupervisor({ launch: launchNodeProcessor, settings: () => settingsFor(dir), clock, cycleTimeoutMs: 20_000, backoffMs: [100] });
    t.after(() => supervisor.killNow());
    await supervisor.start();
    const pid = supervisor.pid!;
    t.after(() => {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    });
    process.kill(pid, 'SIGSTOP'); // it will never answer
    let settled = false;
    const cycle = supervisor.runCycle('manual').then(() => assert.fail('the cycle should be lost'), (e: Error) => e).finally(() => (settled = true));
    await until(() => clock.pendingTimers().includes(20_000), 'the cycle deadline on the clock');
    await delay(300);
    assert.equal(settled, false, 'still waiting: the deadline has not passed on the clock');
    const advancedAt = Date.now();
    clock.advance(20_000);
    const error = await cycle;
    assert.ok(error instanceof CycleLostError, error.message);
    assert.equal(error.message, 'A cycle took longer than 20 s; the processor was restarted');
    assert.deepEqual([error.startedAt, error.durationMs], [START, 20_000]);
    assert.ok(Date.now() - advancedAt < 5_000, 'lost when the clock passed the deadline, not 20 real seconds later');
    assert.equal(isAlive(pid), false, 'the stuck processor was killed');
  });
});
