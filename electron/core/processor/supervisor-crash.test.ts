// Why the processor died, in the status: a core put together as serve and the desktop app put it
// together (createCore: a user-data folder, the processor's log), with real processors that are
// SIGKILLed, abort mid-cycle and run out of heap mid-cycle. The status names the reason, keeps
// the last lines of output, says where the log is; the log has the lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { AppStatus } from '../../../shared/api';
import { tempDir, writeDataFolder } from '../../test-support/workbooks';
import { createCore, ROUND_THE_CLOCK } from '../launch-core';
import { launchNodeProcessor, processorEntry } from './node-processor';
import { GENEROUS_MS, until } from './supervisor-test-support';

/** A core from createCore on a temp user-data folder, its processors started with extra Node options. */
async function coreWith(t: TestContext, ...execArgv: string[]) {
  const home = await tempDir('livebreadth-crash-');
  const dataDir = path.join(home, 'live_data');
  await mkdir(dataDir);
  await writeDataFolder(dataDir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]);
  const entry = processorEntry();
  const { core, processorLog } = createCore({
    userDataDir: home,
    overrides: { dataDir, exchange: ROUND_THE_CLOCK, autoStart: false, intervalSeconds: 3600 },
    launch: () => launchNodeProcessor({ ...entry, execArgv: [...entry.execArgv, ...execArgv] }),
  });
  t.after(async () => {
    await core.shutdown();
    await processorLog.close();
  });
  await core.init();
  return { core, home, logFile: processorLog.file };
}

/** Node options that run `code` in the processor before its own entry. */
const hook = (code: string) => ['--import', `data:text/javascript,${encodeURIComponent(code)}`];
/** Says something on stdout and stderr, then dies the way `how` says in its next cycle. */
const dyingInACycle = (how: string) => hook(`process.on('message', (m) => { if (m && m.type === 'runCycle') { console.log('cycle asked'); console.error('about to go'); ${how} } });`);

async function crashed(core: Awaited<ReturnType<typeof coreWith>>['core']): Promise<AppStatus['processor']> {
  await until(async () => (await core.getStatus()).processor.restarts > 0, 'the crash in the status');
  return (await core.getStatus()).processor;
}

describe('the status says why the processor died', () => {
  it('SIGKILLed from outside: killed, by SIGKILL; the status says where the log is', { timeout: GENEROUS_MS }, async (t) => {
    const { core, home, logFile } = await coreWith(t);
    const supervisor = core.processorSupervisor;
    const pid = supervisor.pid!;
    process.kill(pid, 'SIGKILL');
    const processor = await crashed(core);
    assert.equal(processor.lastCrashReason, 'killed');
    assert.equal(processor.lastCrash, 'The processor stopped unexpectedly: it was killed by SIGKILL (killed); restarting in 0.2 s');
    assert.equal(processor.logFile, path.join(home, 'logs', 'processor.log'));
    assert.equal(logFile, processor.logFile);
    await until(() => supervisor.healthInfo.health === 'up', 'the restart');
    assert.equal((await core.processNow()).status, 'ok');
  });

  it('aborting mid-cycle: crashed, by SIGABRT; the cycle fails saying so; its last lines kept with the crash and in the log', { timeout: GENEROUS_MS }, async (t) => {
    const { core, logFile } = await coreWith(t, ...dyingInACycle('process.abort();'));
    const pid = core.processorSupervisor.pid!;
    const report = await core.processNow();
    assert.equal(report.status, 'failed');
    assert.equal(report.message, 'Cycle interrupted: the processor crashed with SIGABRT (crashed)');
    const processor = await crashed(core);
    assert.equal(processor.lastCrashReason, 'crashed');
    assert.match(processor.lastCrash!, /^The processor stopped unexpectedly: it crashed with SIGABRT \(crashed\); restarting in 0\.2 s$/);
    assert.ok(processor.lastCrashOutput!.includes('cycle asked') && processor.lastCrashOutput!.includes('about to go'), JSON.stringify(processor.lastCrashOutput));
    await until(() => readFileSync(logFile, 'utf8').includes(`[pid ${pid}] parent: processor crashed with SIGABRT (crashed)`), 'the end in the log');
    const log = readFileSync(logFile, 'utf8');
    assert.match(log, new RegExp(`\\[pid ${pid}\\] stdout: cycle asked\\n`));
    assert.match(log, new RegExp(`\\[pid ${pid}\\] stderr: about to go\\n`));
  });

  it('out of heap mid-cycle (a real 48 MB heap filled): oom, and the status line quotes V8', { timeout: GENEROUS_MS }, async (t) => {
    const { core } = await coreWith(t, '--max-old-space-size=48', ...dyingInACycle('const hoard = []; for (;;) hoard.push(new Array(100000).fill(0));'));
    const report = await core.processNow();
    assert.equal(report.message, 'Cycle interrupted: the processor ran out of memory (oom)');
    const processor = await crashed(core);
    assert.equal(processor.lastCrashReason, 'oom');
    assert.equal(processor.lastCrash, 'The processor stopped unexpectedly: it ran out of memory (oom); restarting in 0.2 s; last output: FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory');
    const output = processor.lastCrashOutput!;
    assert.ok(output.length > 0 && output.length <= 20 && output.join('\n').length <= 4096, `${output.length} lines kept`);
    // The one-line status error is the crash line; the tail is not dumped into it.
    assert.ok(!(await core.getStatus()).error?.includes('\n'));
  });
});
