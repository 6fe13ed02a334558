// Quitting under Node: Electron's app, powerMonitor and window are EventEmitter fakes emitting
// what Electron emits (the binary cannot run here); the core is real where it can be.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { startTestCore } from '../test-support/core';
import { boundedShutdown, quitOnAppOrSystemEnd, quitOnSessionEnd, type ShutdownSteps } from './quit';
import { electronEvent } from './test-fakes';

const GENEROUS_MS = 60_000; // a bound for liveness on a loaded machine, not a speed target

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Electron's app, powerMonitor and a BrowserWindow, and a record of what the shutdown did. */
function desktop(core: Pick<ShutdownSteps, 'shutdownCore' | 'abandonCore'>, boundMs: number) {
  const record = { coreShutdowns: 0, abandoned: 0, released: 0, exits: [] as Array<{ code: number; afterMs: number }> };
  const started = Date.now();
  let exited!: () => void;
  const exit = new Promise<void>((resolve) => (exited = resolve));
  const shutdown = boundedShutdown({
    shutdownCore: () => {
      record.coreShutdowns++;
      return core.shutdownCore();
    },
    abandonCore: () => {
      record.abandoned++;
      core.abandonCore();
    },
    release: () => void record.released++,
    exit: (code) => {
      record.exits.push({ code, afterMs: Date.now() - started });
      exited();
    },
    boundMs,
  });
  const app = new EventEmitter();
  const powerMonitor = new EventEmitter();
  const window = new EventEmitter();
  quitOnAppOrSystemEnd({ app, powerMonitor }, shutdown);
  quitOnSessionEnd(window, shutdown);
  const quitEvent = () => {
    const event = electronEvent({});
    app.emit('before-quit', event);
    return event;
  };
  const systemShutdown = () => {
    const event = electronEvent({});
    powerMonitor.emit('shutdown', event); // Electron passes an event, though its typings show none
    return event;
  };
  const sessionEnd = () => window.emit('session-end', electronEvent({ reasons: ['shutdown'] }));
  return { shutdown, record, exit, quitEvent, systemShutdown, sessionEnd };
}

/** The app's exit, or a failure naming the wait (rather than a test runner with nothing left to run). */
async function exitWithin(exit: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no exit within ${ms} ms`)), ms)));
  try {
    await Promise.race([exit, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('quitting: one bounded shutdown, whatever asks', () => {
  it('Quit, the system shutting down and the Windows session ending at once: the real core is shut down once, the tray released once, one exit', { timeout: GENEROUS_MS }, async (t) => {
    const { core } = await startTestCore({ autoStart: false });
    const pid = core.processorSupervisor.pid!;
    const app = desktop({ shutdownCore: () => core.shutdown(), abandonCore: () => core.abandon() }, 5_000);
    const quit = app.quitEvent();
    const system = app.systemShutdown();
    app.sessionEnd();
    assert.equal(quit.defaultPrevented, true, 'Electron does not quit under the core: we exit when it has stopped');
    assert.equal(system.defaultPrevented, true, 'the system waits for us (a logind delay lock on Linux)');
    assert.equal(app.shutdown.started, true);
    const again = app.quitEvent();
    assert.equal(again.defaultPrevented, true, 'a second Quit does not cut the stop short');
    await exitWithin(app.exit, 8_000);
    t.diagnostic(`exited ${app.record.exits[0]?.afterMs} ms after the triggers`);
    assert.deepEqual({ ...app.record, exits: app.record.exits.map((e) => e.code) }, { coreShutdowns: 1, abandoned: 0, released: 1, exits: [0] });
    assert.equal(isAlive(pid), false, 'the processor has ended');
    app.systemShutdown();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(app.record.coreShutdowns, 1, 'a trigger after the end starts nothing');
    assert.equal(app.record.exits.length, 1);
  });

  it('Windows ending the session alone (no before-quit then) runs the same shutdown', { timeout: 10_000 }, async () => {
    const app = desktop({ shutdownCore: async () => undefined, abandonCore: () => undefined }, 1_000);
    app.sessionEnd();
    await exitWithin(app.exit, 8_000);
    assert.deepEqual({ ...app.record, exits: app.record.exits.map((e) => e.code) }, { coreShutdowns: 1, abandoned: 0, released: 1, exits: [0] });
  });

  it('a core whose shutdown never settles: the processor is abandoned and the app exits at the bound', { timeout: 10_000 }, async (t) => {
    const app = desktop({ shutdownCore: () => new Promise<void>(() => undefined), abandonCore: () => undefined }, 300);
    app.quitEvent();
    await exitWithin(app.exit, 8_000);
    const [exit] = app.record.exits;
    t.diagnostic(`exited ${exit?.afterMs} ms after Quit (bound 300 ms)`);
    assert.equal(exit?.code, 1);
    assert.ok(exit.afterMs >= 290 && exit.afterMs < 2_000, `exited after ${exit.afterMs} ms (bound 300 ms)`);
    assert.equal(app.record.abandoned, 1);
    assert.equal(app.record.released, 1, 'the tray icon is removed all the same');
  });

  it('a real core with its processor frozen (SIGSTOP): past the bound the processor is killed and the app exits', { timeout: GENEROUS_MS }, async (t) => {
    const { core } = await startTestCore({ autoStart: false }, { shutdownTimeoutMs: 10_000 });
    const frozen = core.processorSupervisor.pid!;
    t.after(() => {
      if (isAlive(frozen)) process.kill(frozen, 'SIGKILL'); // a failed assertion must not leave it behind
    });
    process.kill(frozen, 'SIGSTOP'); // it will never answer the shutdown request
    const app = desktop({ shutdownCore: () => core.shutdown(), abandonCore: () => core.abandon() }, 500);
    app.systemShutdown();
    await exitWithin(app.exit, 8_000);
    const [exit] = app.record.exits;
    t.diagnostic(`exited ${exit?.afterMs} ms after the system shutdown (bound 500 ms)`);
    assert.equal(exit?.code, 1);
    assert.ok(exit.afterMs < 3_000, `exited after ${exit.afterMs} ms (bound 500 ms)`);
    for (let i = 0; i < 100 && isAlive(frozen); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(isAlive(frozen), false, 'the frozen processor was killed');
  });

  it('a core that fails to stop still lets the app exit, tray released', { timeout: 10_000 }, async () => {
    const app = desktop({ shutdownCore: () => Promise.reject(new Error('disk gone')), abandonCore: () => undefined }, 1_000);
    app.quitEvent();
    await exitWithin(app.exit, 8_000);
    assert.deepEqual({ ...app.record, exits: app.record.exits.map((e) => e.code) }, { coreShutdowns: 1, abandoned: 0, released: 1, exits: [0] });
  });
});
