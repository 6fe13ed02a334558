// The supervisor with real processor child processes and real signals: a processor frozen with
// SIGSTOP mid-cycle, one that refuses its database, one killed mid-cycle, one that answers a
// cycle with an error, one the kernel's freezer keeps alive through SIGKILL; and what stays
// attached to each processor. Fake nothing: the processes, the database and the files are real.
import assert from 'node:assert/strict';
import { mkdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ProcessorSettings } from '../../../shared/processor-protocol';
import { delay, startTestCore } from '../../test-support/core';
import { tempDir, writeDataFolder } from '../../test-support/workbooks';
import { failedCycleReport } from '../cycles/cycle-runner';
import { SimulatedClock } from '../clock/simulated-clock';
import { launchNodeProcessor } from './node-processor';
import type { ProcessorLauncher } from './processor-client';
import { ProcessorSupervisor } from './supervisor';
import { CycleLostError, ProcessorStartError } from './supervision';

const GENEROUS_MS = 60_000; // a bound for liveness on a loaded machine, not a speed target

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** A real launcher that remembers every processor it started, and when. */
function recordingLauncher(): { launch: ProcessorLauncher; launched: Array<{ pid: number; at: number; othersAlive: number[] }> } {
  const launched: Array<{ pid: number; at: number; othersAlive: number[] }> = [];
  return {
    launched,
    launch: () => {
      const othersAlive = launched.map((l) => l.pid).filter(isAlive);
      const handle = launchNodeProcessor();
      launched.push({ pid: handle.pid!, at: Date.now(), othersAlive });
      return handle;
    },
  };
}

function settingsFor(dir: string, overrides: Partial<ProcessorSettings> = {}): ProcessorSettings {
  return { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath: path.join(dir, 'db.sqlite'), exchangeZone: 'Asia/Kolkata', retryDelaysMs: [], ...overrides };
}

/** Waits (generously) until `check` holds. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = GENEROUS_MS): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await delay(50);
  }
}

describe('supervisor: a processor that cannot open its database', () => {
  it('is killed, restarted only after the backoff, never two at a time, and the reason is in the status', { timeout: GENEROUS_MS }, async (t) => {
    const dir = await tempDir('livebreadth-supervisor-');
    const dbPath = path.join(dir, 'db.sqlite');
    await mkdir(dbPath); // a folder where the database file should be: every configure fails
    const { launch, launched } = recordingLauncher();
    const backoffMs = [300, 600, 1_200];
    const supervisor = new ProcessorSupervisor({ launch, settings: () => settingsFor(dir), backoffMs });
    t.after(() => supervisor.killNow());
    const crashes: string[] = [];
    supervisor.on('crash', ({ message }) => crashes.push(message));

    // Cycles every 100 ms for 3.5 s, as a short interval would ask for them.
    const errors: Error[] = [];
    const end = Date.now() + 3_500;
    while (Date.now() < end) {
      await supervisor.runCycle('schedule').then(
        () => assert.fail('a cycle cannot succeed without a database'),
        (error: Error) => errors.push(error),
      );
      await delay(100);
    }
    assert.ok(errors.every((e) => e instanceof ProcessorStartError), errors.map((e) => e.message).join('; '));
    assert.match(errors[0]!.message, /^The processor could not start: Cannot open the database .*db\.sqlite/);
    // Before: one new processor per cycle (~30 here), none of them killed.
    assert.ok(launched.length >= 2 && launched.length <= 5, `${launched.length} processors started in 3.5 s with a ${backoffMs.join('/')} ms backoff`);
    for (const [i, l] of launched.entries()) {
      assert.deepEqual(l.othersAlive, [], `processor ${i + 1} started while an earlier one was alive`);
      if (i > 0) {
        const gap = l.at - launched[i - 1]!.at;
        assert.ok(gap >= backoffMs[Math.min(i - 1, backoffMs.length - 1)]!, `restart ${i} came ${gap} ms after the previous start: the backoff was not applied`);
      }
    }
    const health = supervisor.healthInfo;
    assert.equal(health.health, 'restarting');
    assert.match(health.lastCrash!, /^The processor could not start: Cannot open the database .*; next try in \d+(\.\d)? s$/);
    assert.equal(crashes.length, health.restarts);
    assert.ok(crashes.length >= launched.length - 1, 'every failed start is reported (the last may be under way)');

    await supervisor.stop();
    assert.equal(supervisor.healthInfo.health, 'stopped');
    for (const { pid } of launched) assert.equal(isAlive(pid), false, `processor ${pid} outlived stop()`);
    const count = launched.length;
    await delay(1_500);
    assert.equal(launched.length, count, 'no restart after stop()');
  });
});

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

  it('a processor killed mid-cycle: "Cycle interrupted", and the restarted one writes the failed run to the run log', { timeout: GENEROUS_MS }, async (t) => {
    const { core } = await startTestCore({ autoStart: false }, {}, (dir) => writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]));
    const supervisor = core.processorSupervisor;
    const pid = supervisor.pid!;
    t.after(() => supervisor.killNow());
    const pending = core.processNow();
    process.kill(pid, 'SIGKILL'); // a crash, from outside
    const interrupted = await pending;
    assert.equal(interrupted.status, 'failed');
    assert.equal(interrupted.message, 'Cycle interrupted: the processor stopped (killed by a signal)');
    await until(() => supervisor.healthInfo.health === 'up', 'the restart');
    const next = await core.processNow();
    assert.equal(next.status, 'ok');
    const runs = await core.getRuns();
    const lost = runs.find((r) => r.status === 'failed');
    assert.ok(lost, `the interrupted cycle has a run-log row: ${JSON.stringify(runs.map((r) => [r.status, r.message]))}`);
    assert.equal(lost.message, interrupted.message);
    assert.equal(lost.trigger, 'manual');
    assert.equal(lost.startedAt, interrupted.startedAt);
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

  it('shutdown with the processor frozen mid-cycle ends within a few seconds and leaves no processor', { timeout: GENEROUS_MS }, async (t) => {
    const { core } = await startTestCore({ autoStart: false }, { shutdownTimeoutMs: 1_000, cycleTimeoutMs: 120_000 }, (dir) => writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]));
    const supervisor = core.processorSupervisor;
    const frozen = supervisor.pid!;
    t.after(() => {
      if (isAlive(frozen)) process.kill(frozen, 'SIGKILL');
    });
    process.kill(frozen, 'SIGSTOP');
    const pending = core.processNow();
    await delay(200);
    // Before: shutdown waited for the stuck cycle, for ever.
    const closed = await Promise.race([core.shutdown().then(() => 'closed'), delay(15_000).then(() => 'still waiting')]);
    assert.equal(closed, 'closed');
    assert.equal(isAlive(frozen), false);
    const report = await pending;
    assert.equal(report.status, 'failed');
    assert.equal(supervisor.healthInfo.health, 'stopped');
  });
});

describe('core: what the processor says reaches the status', () => {
  it('a damaged database moved aside at start: the processor\'s warning is the status error', { timeout: GENEROUS_MS }, async () => {
    const { core } = await startTestCore({ autoStart: false }, {}, async (dir) => {
      await writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]);
      await writeFile(path.join(dir, '..', 'breadth.sqlite'), 'SQLite format 2\0 this header was overwritten'.padEnd(4096, '\0'));
    });
    await until(async () => (await core.getStatus()).error !== null, 'the warning in the status', 20_000);
    assert.match((await core.getStatus()).error!, /^The database could not be used \(.*\); it was moved to .*breadth\.sqlite.* and a new one started$/);
    assert.equal((await core.processNow()).status, 'ok');
  });

  it('a restart that fails (the database cannot be opened any more) is in the status and the error events, and the next good restart works', { timeout: GENEROUS_MS }, async (t) => {
    const { core, home, events } = await startTestCore({ autoStart: false }, { backoffMs: [300] }, (dir) => writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]));
    const supervisor = core.processorSupervisor;
    t.after(() => supervisor.killNow());
    const dbPath = path.join(home, 'breadth.sqlite');
    assert.equal((await core.processNow()).status, 'ok');
    await rename(dbPath, `${dbPath}.away`);
    await mkdir(dbPath);
    process.kill(supervisor.pid!, 'SIGKILL');
    await until(() => /could not start/.test(supervisor.healthInfo.lastCrash ?? ''), 'the failed restart');
    const status = await core.getStatus();
    assert.match(status.processor.lastCrash!, /^The processor could not start: Cannot open the database .*breadth\.sqlite.*; next try in 0\.3 s$/);
    assert.equal(status.processor.health, 'restarting');
    assert.ok(events.error.some((e) => /could not start: Cannot open the database/.test(e.message)), `the failed restart is an error event: ${JSON.stringify(events.error)}`);
    const refused = await core.processNow();
    assert.equal(refused.status, 'failed');
    assert.match(refused.message!, /^Cycle failed: The processor could not start/);

    await rm(dbPath, { recursive: true });
    await rename(`${dbPath}.away`, dbPath);
    await until(() => supervisor.healthInfo.health === 'up', 'a good restart');
    assert.equal((await core.processNow()).status, 'unchanged', 'the same Live as before the crash, read by the restarted processor');
  });
});

// ── what stays attached to a processor ─────────────────────────────────────────────────────

interface CountedHandle {
  pid: number;
  /** Listeners added through the handle and not yet removed. */
  attached: () => number;
  exited: () => boolean;
}

/**
 * A real launcher whose handles count the listeners attached through them: each onExit and
 * onMessage adds one, calling the returned function removes it. Everything the client and the
 * supervisor listen for goes through these two calls.
 */
function countingLauncher(): { launch: ProcessorLauncher; handles: CountedHandle[] } {
  const handles: CountedHandle[] = [];
  return {
    handles,
    launch: () => {
      const handle = launchNodeProcessor();
      let attached = 0;
      let exited = false;
      handle.onExit(() => (exited = true)); // the counter's own, not counted
      const counted = <L>(subscribe: (listener: L) => () => void) => (listener: L) => {
        const off = subscribe(listener);
        attached++;
        let removed = false;
        return () => {
          if (!removed) attached--;
          removed = true;
          off();
        };
      };
      handles.push({ pid: handle.pid!, attached: () => attached, exited: () => exited });
      return { get pid() { return handle.pid; }, postMessage: (m) => handle.postMessage(m), onMessage: counted(handle.onMessage), onExit: counted(handle.onExit), kill: () => handle.kill() };
    },
  };
}

describe('supervisor: listeners do not pile up on processors', () => {
  it('after many starts and stops, crashes and stuck cycles, no exited processor keeps a listener and the live one has its three', { timeout: 2 * GENEROUS_MS }, async (t) => {
    const dir = await tempDir('livebreadth-supervisor-');
    await writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]);
    const { launch, handles } = countingLauncher();
    const supervisor = new ProcessorSupervisor({ launch, settings: () => settingsFor(dir), backoffMs: [50], cycleTimeoutMs: 1_000 });
    t.after(() => supervisor.killNow());
    for (let i = 0; i < 4; i++) {
      await supervisor.start();
      await supervisor.stop();
    }
    await supervisor.start();
    for (let i = 0; i < 2; i++) {
      const pid = supervisor.pid!;
      supervisor.killForTest(); // a crash
      await until(() => supervisor.healthInfo.health === 'up' && supervisor.pid !== pid, 'the restart');
    }
    for (let i = 0; i < 2; i++) {
      const pid = supervisor.pid!;
      process.kill(pid, 'SIGSTOP'); // stuck: killed at the cycle deadline
      await assert.rejects(supervisor.runCycle('manual'), CycleLostError);
      await until(() => supervisor.healthInfo.health === 'up' && supervisor.pid !== pid, 'the restart');
    }
    assert.equal(handles.length, 9);
    const live = handles.filter((h) => !h.exited());
    assert.equal(live.length, 1);
    // The client's message and exit listeners, and the supervisor's exit listener.
    assert.equal(live[0]!.attached(), 3);
    // Before: each exited processor kept the client's two and the supervisor's one or two.
    assert.deepEqual(handles.filter((h) => h.exited()).map((h) => h.attached()), new Array(8).fill(0));
    await supervisor.stop();
    assert.deepEqual(handles.map((h) => [h.exited(), h.attached()]), new Array(9).fill([true, 0]));
  });

  it('a processor that SIGKILL cannot end yet (frozen by the kernel, as in I/O on a vanished network drive): each cycle deadline kills it again without adding a listener, stop() returns within its bound', { timeout: 2 * GENEROUS_MS }, async (t) => {
    const freezer = '/sys/fs/cgroup/freezer';
    const group = path.join(freezer, `livebreadth-test-${process.pid}`);
    try {
      await mkdir(group);
    } catch (error) {
      t.skip(`needs a writable cgroup v1 freezer (root): ${(error as Error).message}`);
      return;
    }
    const setState = (state: 'FROZEN' | 'THAWED') => writeFile(path.join(group, 'freezer.state'), state);
    t.after(async () => {
      await setState('THAWED').catch(() => undefined);
      await until(async () => (await readFile(path.join(group, 'cgroup.procs'), 'utf8')).trim() === '', 'the frozen processor to end', 10_000).catch(() => undefined);
      await rmdir(group).catch(() => undefined);
    });
    const dir = await tempDir('livebreadth-supervisor-');
    await writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]);
    const { launch, handles } = countingLauncher();
    const supervisor = new ProcessorSupervisor({ launch, settings: () => settingsFor(dir), backoffMs: [50], cycleTimeoutMs: 300, shutdownTimeoutMs: 300 });
    t.after(() => supervisor.killNow());
    const warnings: string[] = [];
    supervisor.on('log', ({ level, message }) => level === 'warn' && warnings.push(message));
    await supervisor.start();
    assert.equal((await supervisor.runCycle('manual')).status, 'ok');
    const pid = supervisor.pid!;
    await writeFile(path.join(group, 'cgroup.procs'), String(pid));
    await setState('FROZEN');
    await until(async () => (await readFile(path.join(group, 'freezer.state'), 'utf8')).trim() === 'FROZEN', 'the freeze');
    const [frozen] = handles;
    const before = frozen!.attached();
    for (let i = 0; i < 3; i++) {
      await assert.rejects(supervisor.runCycle('manual'), CycleLostError);
      assert.equal(isAlive(pid), true, 'SIGKILLed, and still there');
      assert.equal(supervisor.pid, pid, 'not replaced while it lives (never two at a time)');
    }
    // Before: one more exit listener per kill (here 3), for as long as the process lived.
    assert.equal(frozen!.attached(), before);

    const stopping = Date.now();
    // Before: stop() waited for the exit, for as long as the kernel held the process.
    const stopped = await Promise.race([supervisor.stop().then(() => 'stopped'), delay(15_000).then(() => 'still waiting')]);
    assert.equal(stopped, 'stopped');
    assert.ok(Date.now() - stopping < 8_000, `stop took ${Date.now() - stopping} ms`);
    assert.match(warnings.at(-1) ?? '', new RegExp(`^The processor \\(pid ${pid}\\) was killed but has not ended yet`));
    assert.equal(frozen!.attached(), before, 'stop() no longer listens; the client and the supervisor still do');

    await setState('THAWED'); // the I/O returns: the pending SIGKILL ends it
    await until(() => frozen!.exited(), 'the thawed processor to end', 10_000);
    assert.equal(frozen!.attached(), 0);
  });
});

describe('supervisor: time comes from the injected clock', () => {
  const START = '2026-01-23T04:00:00.000Z';

  it('a crash is stamped with the clock\'s time, and the restart waits for the backoff on that clock', { timeout: GENEROUS_MS }, async (t) => {
    const dir = await tempDir('livebreadth-supervisor-');
    await writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]);
    const clock = new SimulatedClock(START);
    const supervisor = new ProcessorSupervisor({ launch: launchNodeProcessor, settings: () => settingsFor(dir), clock, backoffMs: [1_000] });
    t.after(() => supervisor.killNow());
    await supervisor.start();
    const pid = supervisor.pid!;
    clock.advance(60_000);
    process.kill(pid, 'SIGKILL'); // a crash
    await until(() => supervisor.healthInfo.health === 'restarting', 'the crash');
    assert.equal(supervisor.healthInfo.lastCrashAt, '2026-01-23T04:01:00.000Z');
    await delay(1_500); // longer than the backoff, in real time
    assert.equal(supervisor.healthInfo.health, 'restarting', 'no restart before the clock has moved by the backoff');
    clock.advance(1_000);
    await until(() => supervisor.healthInfo.health === 'up', 'the restart');
    assert.notEqual(supervisor.pid, pid);
  });

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
