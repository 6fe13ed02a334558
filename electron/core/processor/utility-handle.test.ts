// The utilityProcess handle under Node: Electron's UtilityProcess and app are EventEmitter fakes
// that emit what Electron emits (the binary cannot run here) — 'exit' with a code, the app's
// child-process-gone with details and no pid, stdout/stderr as streams — in the orders Electron
// may emit them. Time is simulated.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { SimulatedClock } from '../clock/simulated-clock';
import type { OutputLine } from './output-tail';
import type { ProcessorHandle } from './processor-client';
import type { ProcessorExit } from './processor-exit';
import { utilityProcessorHandle, type GoneDetails, type UtilityChild } from './utility-handle';

const SERVICE = 'LiveBreadth processor';
const GRACE_MS = 500;

class FakeUtilityProcess extends EventEmitter implements UtilityChild {
  pid: number | undefined = 4242;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly posted: unknown[] = [];
  electronKills = 0;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.electronKills++;
    return true;
  }
  /** The process ends: its pipes close, then Electron emits 'exit' (the order Electron 45 uses). */
  async end(code: number): Promise<void> {
    this.stdout.end();
    this.stderr.end();
    await new Promise((r) => setImmediate(r));
    this.emit('exit', code);
  }
}

function setup(options: { running?: boolean } = {}) {
  const child = new FakeUtilityProcess();
  const app = new EventEmitter();
  const clock = new SimulatedClock('2026-01-23T04:00:00.000Z');
  const killed: number[] = [];
  const handle = utilityProcessorHandle(child, app, {
    serviceName: SERVICE, clock, graceMs: GRACE_MS,
    isRunning: () => options.running ?? false,
    killPid: (pid) => killed.push(pid),
  });
  const exits: ProcessorExit[] = [];
  handle.onExit((_code, exit) => exits.push(exit!));
  const gone = (details: Partial<GoneDetails>) => app.emit('child-process-gone', {}, { type: 'Utility', name: SERVICE, serviceName: 'node.mojom.NodeService', exitCode: 0, reason: 'crashed', ...details });
  return { child, app, clock, handle, exits, gone, killed };
}

const tick = () => new Promise((r) => setImmediate(r));

function heardFrom(handle: ProcessorHandle): OutputLine[] {
  const heard: OutputLine[] = [];
  handle.onOutput!((line) => heard.push(line));
  return heard;
}

describe('utilityProcessorHandle: Electron\'s reason for the end', () => {
  it('child-process-gone after the exit: the exit waits for it and carries its reason', async () => {
    const { child, exits, gone } = setup();
    await child.end(9);
    assert.deepEqual(exits, [], 'no reason yet: wait for it');
    gone({ reason: 'killed', exitCode: 9 });
    assert.deepEqual(exits, [{ code: 9, signal: null, reason: 'killed' }]);
  });

  it('child-process-gone before the exit: the exit is delivered at once with it', async () => {
    const { child, exits, gone } = setup();
    gone({ reason: 'crashed', exitCode: 11 });
    assert.deepEqual(exits, []);
    await child.end(11);
    assert.deepEqual(exits, [{ code: 11, signal: null, reason: 'crashed' }]);
  });

  it('a clean exit (code 0) is delivered without waiting: Electron reports no reason for one', async () => {
    const { child, exits } = setup();
    await child.end(0);
    assert.deepEqual(exits, [{ code: 0, signal: null, reason: 'clean-exit' }]);
  });

  it('no reason within the grace: the exit goes out as an abnormal exit, once', async () => {
    const { child, clock, exits, gone } = setup();
    await child.end(1);
    clock.advance(GRACE_MS - 1);
    assert.deepEqual(exits, []);
    clock.advance(1);
    assert.deepEqual(exits, [{ code: 1, signal: null, reason: 'abnormal-exit' }]);
    gone({ reason: 'crashed', exitCode: 1 });
    assert.equal(exits.length, 1, 'a late reason changes nothing');
  });

  it('other processes\' ends are not ours: a GPU process, another utility, and a report that comes while ours still runs', async () => {
    const running = setup({ running: true });
    running.gone({ reason: 'oom' }); // an earlier processor's late report: ours is alive
    await running.child.end(1);
    running.app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 1 });
    running.app.emit('child-process-gone', {}, { type: 'Utility', name: 'Network Service', serviceName: 'network.mojom.NetworkService', reason: 'crashed', exitCode: 1 });
    running.clock.advance(GRACE_MS);
    assert.deepEqual(running.exits, [{ code: 1, signal: null, reason: 'abnormal-exit' }]);
  });

  it('V8\'s fatal error naming the heap makes a crash an oom, and is heard as output', async () => {
    const { child, handle, exits, gone } = setup();
    const heard = heardFrom(handle);
    child.emit('error', 'FatalError', 'Reached heap limit', '{"report": "…"}');
    gone({ reason: 'crashed', exitCode: 5 });
    await child.end(5);
    assert.deepEqual(exits, [{ code: 5, signal: null, reason: 'oom' }]);
    assert.deepEqual(heard, [{ stream: 'stderr', text: 'V8 fatal error: Reached heap limit' }]);
  });

  it('a launch that failed (no pid, no exit event): delivered after the grace with Electron\'s error code', () => {
    const { child, clock, exits, gone } = setup();
    child.pid = undefined;
    gone({ reason: 'launch-failed', exitCode: 2 });
    clock.advance(GRACE_MS);
    assert.deepEqual(exits, [{ code: 2, signal: null, reason: 'launch-failed', detail: 'error 2' }]);
  });

  it('its app listener goes with the process: restarts do not pile listeners on the app', async () => {
    const { child, app, gone } = setup();
    assert.equal(app.listenerCount('child-process-gone'), 1);
    gone({ reason: 'killed', exitCode: 9 });
    await child.end(9);
    assert.equal(app.listenerCount('child-process-gone'), 0);
  });
});

describe('utilityProcessorHandle: output, messages, kill', () => {
  it('stdout and stderr as lines, read to their end before the exit goes out', async () => {
    const { child, handle, exits, gone } = setup();
    const heard = heardFrom(handle);
    child.stdout.write('ready\nhalf a ');
    child.stderr.write('Error: boom\n');
    child.emit('exit', 9); // Electron may say 'exit' before the pipes are drained
    gone({ reason: 'crashed', exitCode: 9 });
    assert.deepEqual(exits, [], 'the output is not at its end yet');
    child.stdout.end('line\n');
    child.stderr.end();
    await tick();
    assert.deepEqual(heard, [{ stream: 'stdout', text: 'ready' }, { stream: 'stderr', text: 'Error: boom' }, { stream: 'stdout', text: 'half a line' }]);
    assert.deepEqual(exits, [{ code: 9, signal: null, reason: 'crashed' }]);
  });

  it('its pipes are read with no one listening (a full pipe would block the processor)', async () => {
    const { child } = setup();
    const megabyte = 'z'.repeat(1023) + '\n';
    let wrote = 0;
    while (wrote < 1024 * 1024 && child.stdout.write(megabyte)) wrote += megabyte.length;
    assert.equal(wrote, 1024 * 1024, `the pipe stopped taking output after ${wrote} bytes`);
  });

  it('kill is a SIGKILL by pid; after the end, kill and postMessage do nothing', async () => {
    const { child, handle, killed, gone } = setup();
    handle.postMessage({ id: 1, type: 'stats' });
    handle.kill();
    assert.deepEqual(killed, [4242]);
    gone({ reason: 'killed', exitCode: 9 });
    await child.end(9);
    handle.kill();
    handle.postMessage({ id: 2, type: 'stats' });
    assert.deepEqual(killed, [4242]);
    assert.deepEqual(child.posted, [{ id: 1, type: 'stats' }]);
    assert.equal(child.electronKills, 0);
  });
});
