// The supervisor restarting processors, with real child processes and real signals: one that
// refuses its database (restarted only after the backoff, never two at a time), one killed
// mid-cycle (its lost cycle written by the next), a restart that fails and the next that works,
// the backoff on the injected clock. Fake nothing: the processes, the database and the files are real.
import assert from 'node:assert/strict';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { delay, startTestCore } from '../../test-support/core';
import { tempDir, writeDataFolder } from '../../test-support/workbooks';
import { SimulatedClock } from '../clock/simulated-clock';
import { launchNodeProcessor } from './node-processor';
import { ProcessorSupervisor } from './supervisor';
import { ProcessorStartError } from './supervision';
import { GENEROUS_MS, isAlive, recordingLauncher, settingsFor, until } from './supervisor-test-support';


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

describe('supervisor: a processor killed mid-cycle', () => {
  it('a processor killed mid-cycle: "Cycle interrupted", and the restarted one writes the failed run to the run log', { timeout: GENEROUS_MS }, async (t) => {
    const { core } = await startTestCore({ autoStart: false }, {}, (dir) => writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]));
    const supervisor = core.processorSupervisor;
    const pid = supervisor.pid!;
    t.after(() => supervisor.killNow());
    const pending = core.processNow();
    process.kill(pid, 'SIGKILL'); // a crash, from outside
    const interrupted = await pending;
    assert.equal(interrupted.status, 'failed');
    assert.equal(interrupted.message, 'Cycle interrupted: the processor was killed by SIGKILL (killed)');
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

describe('supervisor: the restart backoff runs on the injected clock', () => {
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
});
