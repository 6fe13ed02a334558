// The Node launcher on a real child process: a processor that dies between a check and a send
// must not take the parent down with it; a processor told to go (SIGTERM, or its parent killed)
// closes its database properly: the -wal checkpointed, the writer lock removed.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ProcessorMessage, ProcessorSettings } from '../../../shared/processor-protocol';
import { lockFileOf } from '../../processor/store/writer-lock';
import { tempDir, writeDataFolder } from '../../test-support/workbooks';
import { launchNodeProcessor } from './node-processor';
import { ProcessorClient } from './processor-client';

describe('launchNodeProcessor', () => {
  it('a message sent to a processor that has just been killed is dropped, and its exit is reported', async () => {
    const handle = launchNodeProcessor();
    const exited = new Promise<number | null>((resolve) => handle.onExit(resolve));
    await new Promise<void>((resolve) => handle.onMessage((m: ProcessorMessage) => m.type === 'ready' && resolve()));
    process.kill(handle.pid!, 'SIGKILL');
    // Hold the event loop while the child dies, so the parent has not seen the death yet and the
    // channel still looks open: these sends hit a closed pipe. Unhandled, that is an 'error'
    // event, thrown as an uncaught exception.
    const until = Date.now() + 150;
    while (Date.now() < until) {
      // busy: no I/O callbacks run meanwhile
    }
    for (let id = 1; id <= 50; id++) handle.postMessage({ id, type: 'stats' });
    assert.equal(await exited, null, 'killed by a signal, so no exit code');
  });

  it('onExit and onMessage return a function that removes the listener', async () => {
    const handle = launchNodeProcessor();
    const heard: string[] = [];
    const offMessage = handle.onMessage(() => heard.push('message'));
    const offExit = handle.onExit(() => heard.push('exit'));
    const exited = new Promise<void>((resolve) => handle.onExit(() => resolve()));
    await new Promise<void>((resolve) => handle.onMessage((m: ProcessorMessage) => m.type === 'ready' && resolve()));
    offMessage();
    offExit();
    handle.postMessage({ id: 1, type: 'stats' }); // a reply the removed listener must not hear
    await new Promise<void>((resolve) => handle.onMessage(() => resolve()));
    handle.kill();
    await exited;
    assert.deepEqual(heard, ['message'], 'only the ready message, heard before the listeners were removed');
  });
});

// ── going away: the processor closes its database when told to go ─────────────────────────

function settingsIn(dir: string): ProcessorSettings {
  return { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath: path.join(dir, 'breadth.sqlite'), exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] };
}

/** Alive and not a zombie: an orphan's exit is reaped by whoever adopted it, perhaps late. */
function running(pid: number): boolean {
  try {
    return /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'latin1'))?.[1] !== 'Z';
  } catch {
    return false;
  }
}

function killIfRunning(pid: number | undefined): void {
  if (pid === undefined || !running(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

/** The cycle is in the -wal (so a close has something to checkpoint) and the writer lock is held. */
function assertOpenForWriting(dbPath: string): void {
  assert.ok(statSync(`${dbPath}-wal`).size > 0, 'the cycle waits in the -wal');
  assert.ok(existsSync(lockFileOf(dbPath)), 'the writer lock is held');
}

/** Closed properly: the -wal checkpointed into the database file, the lock released, the data there. */
function assertClosedProperly(dbPath: string, snapshots: number): void {
  const wal = `${dbPath}-wal`;
  assert.ok(!existsSync(wal) || statSync(wal).size === 0, `-wal left with ${existsSync(wal) ? statSync(wal).size : 0} bytes`);
  assert.equal(existsSync(lockFileOf(dbPath)), false, 'the writer lock file is removed');
  // The database file alone (no -wal beside a copy) holds the cycle.
  const copy = `${dbPath}.copy`;
  copyFileSync(dbPath, copy);
  const db = new Database(copy, { readonly: true });
  try {
    assert.equal(db.prepare('SELECT COUNT(*) FROM snapshots').pluck().get(), snapshots);
    assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
  } finally {
    db.close();
  }
}

describe('the processor closes its database when told to go', () => {
  it('on SIGTERM (the system ending the session): exits 0 with the -wal checkpointed and the lock removed', async (t) => {
    const dir = await tempDir();
    await writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]);
    const settings = settingsIn(dir);
    const client = new ProcessorClient(launchNodeProcessor());
    t.after(() => client.kill());
    await client.ready;
    await client.request({ type: 'configure', settings });
    assert.equal((await client.request({ type: 'runCycle', trigger: 'manual' })).status, 'ok');
    assertOpenForWriting(settings.dbPath);
    const exited = new Promise<number | null>((resolve) => client.onExit(resolve));
    const sent = performance.now();
    process.kill(client.pid!, 'SIGTERM');
    // Before: SIGTERM's default action, killed with the write connection open (code null).
    assert.equal(await exited, 0, 'a clean exit, not a death by the signal');
    t.diagnostic(`SIGTERM to exit: ${Math.round(performance.now() - sent)} ms`);
    assertClosedProperly(settings.dbPath, 1);
  });

  // Node ends an orphan on its own once the IPC channel was the last thing keeping it alive (and
  // better-sqlite3 closes its databases at exit); the processor's 'disconnect' watch is what ends
  // it when something else is alive in it too, like a timer: the second case proves the watch.
  for (const [name, execArgv] of [
    ['', []],
    [', even with a timer keeping its event loop alive', ['--import', 'data:text/javascript,setInterval(() => undefined, 1 << 30)']],
  ] as const) {
    it(`when its Node parent is SIGKILLed: exits by itself within a few seconds, the database checkpointed${name}`, { timeout: 60_000 }, async (t) => {
      const dir = await tempDir();
      await writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]);
      const settings = settingsIn(dir);
      // A parent like serve: it launches the processor, configures it, runs a cycle, says so,
      // and waits. Nothing in it says goodbye, so only the processor itself can close the database.
      const parentScript = `
        const { launchNodeProcessor, processorEntry } = await import(${JSON.stringify(new URL('./node-processor.ts', import.meta.url).href)});
        const { ProcessorClient } = await import(${JSON.stringify(new URL('./processor-client.ts', import.meta.url).href)});
        const entry = processorEntry();
        const client = new ProcessorClient(launchNodeProcessor({ ...entry, execArgv: [...entry.execArgv, ...JSON.parse(process.env.EXTRA_EXEC_ARGV)] }));
        await client.ready;
        await client.request({ type: 'configure', settings: JSON.parse(process.env.SETTINGS) });
        const report = await client.request({ type: 'runCycle', trigger: 'manual' });
        process.stdout.write(JSON.stringify({ processor: client.pid, status: report.status }) + '\\n');
        setInterval(() => undefined, 1 << 30);
      `;
      const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', parentScript], {
        env: { ...process.env, SETTINGS: JSON.stringify(settings), EXTRA_EXEC_ARGV: JSON.stringify(execArgv) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const launched: { processor?: number } = {};
      t.after(() => {
        killIfRunning(parent.pid);
        killIfRunning(launched.processor);
      });
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        parent.stdout!.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n', 1)[0]!);
        });
        parent.on('exit', (code) => reject(new Error(`the parent exited (${code}) before its cycle`)));
      });
      const started = JSON.parse(line) as { processor: number; status: string };
      const processor = (launched.processor = started.processor);
      assert.equal(started.status, 'ok');
      assertOpenForWriting(settings.dbPath);

      const sent = performance.now();
      process.kill(parent.pid!, 'SIGKILL'); // a crash: no shutdown request, no signal to the child
      const end = sent + 10_000;
      while (running(processor) && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
      const tookMs = Math.round(performance.now() - sent);
      // Without the watch: the orphan lives on while anything else keeps it alive, its -wal open.
      assert.equal(running(processor), false, `the orphaned processor still runs ${tookMs} ms after its parent died`);
      t.diagnostic(`parent SIGKILL to the processor's exit: ${tookMs} ms`);
      assertClosedProperly(settings.dbPath, 1);
    });
  }
});
