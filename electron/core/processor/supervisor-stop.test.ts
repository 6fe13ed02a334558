// Stopping the supervisor and what stays attached to its processors, with real child processes:
// a shutdown with the processor frozen mid-cycle, many starts, stops, crashes and stuck cycles
// (no listener left on an exited processor), and one the kernel's freezer keeps alive through SIGKILL.
import assert from 'node:assert/strict';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { delay, startTestCore } from '../../test-support/core';
import { tempDir, writeDataFolder } from '../../test-support/workbooks';
import { ProcessorSupervisor } from './supervisor';
import { CycleLostError } from './supervision';
import { GENEROUS_MS, countingLauncher, isAlive, settingsFor, until } from './supervisor-test-support';


describe('supervisor: stopping', () => {
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

describe('supervisor: listeners do not pile up on processors', () => {
  it('after many starts and stops, crashes and stuck cycles, no exited processor keeps a listener and the live one has its four', { timeout: 2 * GENEROUS_MS }, async (t) => {
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
    // The client's message, output and exit listeners, and the supervisor's exit listener.
    assert.equal(live[0]!.attached(), 4);
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
