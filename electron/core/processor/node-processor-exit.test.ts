// The Node launcher's voice, on real child processes: how each ended (a SIGKILL, an abort, V8
// running out of heap, a Node that cannot be spawned) in Electron's words, and its output heard
// line by line — also a processor that writes megabytes, which must keep running cycles.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ProcessorSettings } from '../../../shared/processor-protocol';
import { tempDir, writeDataFolder } from '../../test-support/workbooks';
import type { OutputLine } from './output-tail';
import { launchNodeProcessor, processorEntry } from './node-processor';
import { ProcessorClient, type ProcessorHandle } from './processor-client';
import type { ProcessorExit } from './processor-exit';

const GENEROUS_MS = 60_000; // a bound for liveness on a loaded machine, not a speed target

/** Node options that run `code` in the processor before its own entry (a test's way in). */
function hook(code: string): string[] {
  return ['--import', `data:text/javascript,${encodeURIComponent(code)}`];
}

/** The real processor, with extra Node options. */
function launchWith(...execArgv: string[]): ProcessorHandle {
  const entry = processorEntry();
  return launchNodeProcessor({ ...entry, execArgv: [...entry.execArgv, ...execArgv] });
}

function exitOf(client: ProcessorClient): Promise<ProcessorExit> {
  return new Promise((resolve) => client.onExit((_code, exit) => resolve(exit)));
}

async function configured(client: ProcessorClient): Promise<void> {
  const dir = await tempDir('livebreadth-exit-');
  await writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]);
  const settings: ProcessorSettings = { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath: path.join(dir, 'db.sqlite'), exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] };
  await client.ready;
  await client.request({ type: 'configure', settings });
}

/** Dies in the middle of its next cycle, the way `how` says. */
const ON_CYCLE = (how: string) => hook(`process.on('message', (m) => { if (m && m.type === 'runCycle') { ${how} } });`);

describe('launchNodeProcessor: how a processor ended', () => {
  it('SIGKILLed from outside: killed, by SIGKILL', { timeout: GENEROUS_MS }, async (t) => {
    const client = new ProcessorClient(launchNodeProcessor());
    t.after(() => client.kill());
    await client.ready;
    const exited = exitOf(client);
    process.kill(client.pid!, 'SIGKILL');
    assert.deepEqual(await exited, { code: null, signal: 'SIGKILL', reason: 'killed' });
    assert.equal(client.exitDescription, 'was killed by SIGKILL (killed)');
  });

  it('aborting mid-cycle (process.abort()): crashed, by SIGABRT, and the cycle is rejected saying so', { timeout: GENEROUS_MS }, async (t) => {
    const client = new ProcessorClient(launchWith(...ON_CYCLE('process.abort();')));
    t.after(() => client.kill());
    await configured(client);
    const exited = exitOf(client);
    await assert.rejects(client.request({ type: 'runCycle', trigger: 'manual' }), { message: 'The processor crashed with SIGABRT (crashed)' });
    assert.deepEqual(await exited, { code: null, signal: 'SIGABRT', reason: 'crashed' });
  });

  it('running out of heap mid-cycle (a real 48 MB heap filled): oom, and V8\'s own line is kept as what it said', { timeout: GENEROUS_MS }, async (t) => {
    const client = new ProcessorClient(launchWith('--max-old-space-size=48', ...ON_CYCLE('const hoard = []; for (;;) hoard.push(new Array(100000).fill(0));')));
    t.after(() => client.kill());
    await configured(client);
    const exited = exitOf(client);
    const started = performance.now();
    await assert.rejects(client.request({ type: 'runCycle', trigger: 'manual' }), { message: 'The processor ran out of memory (oom)' });
    const exit = await exited;
    t.diagnostic(`cycle start to the out-of-memory exit: ${Math.round(performance.now() - started)} ms`);
    // V8 aborts: by the signal alone it would read as 'crashed'; the line on stderr says why.
    assert.deepEqual(exit, { code: null, signal: 'SIGABRT', reason: 'oom' });
    assert.equal(client.telltale, 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory');
    const tail = client.outputTail;
    assert.ok(tail.length > 0 && tail.length <= 20, `${tail.length} lines kept`);
    assert.ok(tail.join('\n').length <= 4096);
  });

  it('a Node that cannot be spawned: launch-failed with the system\'s words, the exit delivered and ready rejected', { timeout: GENEROUS_MS }, async () => {
    const entry = processorEntry();
    const client = new ProcessorClient(launchNodeProcessor({ ...entry, execPath: '/nonexistent/node' }));
    const exit = await exitOf(client);
    assert.deepEqual(exit, { code: null, signal: null, reason: 'launch-failed', detail: 'spawn /nonexistent/node ENOENT' });
    await assert.rejects(client.ready, { message: 'The processor could not be launched: spawn /nonexistent/node ENOENT (launch-failed)' });
    assert.equal(client.isAlive, false);
  });
});

describe('launchNodeProcessor: its output', () => {
  it('stdout and stderr reach onOutput line by line (a last line without a newline too), all before the exit', { timeout: GENEROUS_MS }, async (t) => {
    const handle = launchWith(...hook("console.log('hello from stdout'); console.error('a warning on stderr'); process.stdout.write('no newline at the end');"));
    t.after(() => handle.kill());
    const heard: OutputLine[] = [];
    handle.onOutput!((line) => heard.push(line));
    const atExit = new Promise<OutputLine[]>((resolve) => handle.onExit(() => resolve([...heard])));
    const client = new ProcessorClient(handle);
    await client.ready;
    client.kill();
    const lines = await atExit;
    // Two pipes: each keeps its order, not one with the other.
    const of = (stream: string) => lines.filter((l) => l.stream === stream && !l.text.startsWith('(node:')).map((l) => l.text);
    assert.deepEqual(of('stdout'), ['hello from stdout', 'no newline at the end']);
    assert.deepEqual(of('stderr'), ['a warning on stderr']);
  });

  it('a processor writing megabytes to stdout and stderr keeps running cycles (its pipes are always read)', { timeout: GENEROUS_MS }, async (t) => {
    // 2 MB before it is ready and 512 KB with every cycle: a pipe holds 64 KB, so an unread one
    // blocks the processor's next write, and with it the ready message or the cycle.
    const line = 'x'.repeat(1023);
    const handle = launchWith(...hook(`
      const line = '${line}';
      const say = (n) => { for (let i = 0; i < n; i++) { process.stdout.write(line + '\\n'); process.stderr.write(line + '\\n'); } };
      say(1024);
      process.on('message', (m) => { if (m && m.type === 'runCycle') say(256); });
    `));
    t.after(() => handle.kill());
    let heard = 0;
    handle.onOutput!(() => heard++);
    const client = new ProcessorClient(handle);
    await configured(client);
    for (let i = 0; i < 5; i++) assert.notEqual((await client.request({ type: 'runCycle', trigger: 'manual' })).status, 'failed');
    assert.ok(heard >= 2 * 1024, `${heard} lines heard`);
    assert.deepEqual(client.outputTail.slice(-1), [line], 'the tail keeps the last lines');
  });
});
