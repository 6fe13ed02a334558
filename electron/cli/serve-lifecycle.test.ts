// `serve` and `demo` as a user runs them, with real signals: a processor that cannot open its
// database ends `serve` in one line, SIGTERM stops `serve` even with its processor frozen, a
// second signal while the stop waits ends it at once, a signal during start-up stops it cleanly,
// and Ctrl+C (SIGINT to the whole process group, as a terminal sends it) stops `demo` with its
// feed and processor and leaves the database checkpointed. Every process started is found
// through an environment mark its children inherit, so a test can tell that none is left.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir, writeDataFolder } from '../test-support/workbooks';
import { FORCED_EXIT_DURING_START_LINE, FORCED_EXIT_LINE } from './stop-signals';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MARK = 'LIVEBREADTH_TEST_MARK';
/** Liveness bounds for a loaded machine; the shutdown bound itself is 3 s (then 10 s forced). */
const START_MS = 60_000;

/** The live processes (not zombies) whose environment carries this mark. */
function markedProcesses(mark: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`${MARK}=${mark}`)) continue;
      const state = /\) (\S)/.exec(readFileSync(`/proc/${entry}/stat`, 'latin1'))?.[1];
      if (state !== 'Z') found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** The marked processes running the processor (not serve itself, nor a tool tsx may start). */
function markedProcessors(mark: string): number[] {
  return markedProcesses(mark).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('processor/main.ts');
    } catch {
      return false;
    }
  });
}

interface Cli {
  child: ChildProcess;
  mark: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** When the process exited (performance.now()), once it has. */
  exitedAt: () => number | null;
}

function runCli(args: string[], home: string, t: { after: (fn: () => void) => void }, detached = false): Cli {
  const mark = randomUUID();
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, LIVEBREADTH_HOME: home, [MARK]: mark },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached, // its own process group, so a group SIGINT is the terminal's Ctrl+C
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  let exitedAt: number | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => {
    exitedAt = performance.now();
    resolve({ code, signal });
  }));
  t.after(() => {
    // A failed assertion must not leave anything running (SIGKILL ends a stopped process too).
    for (const pid of markedProcesses(mark)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
  return { child, mark, stdout: () => out, stderr: () => err, exited, exitedAt: () => exitedAt };
}

async function waitFor(check: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function exitWithin(cli: Cli, ms: number, what: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timeout = new Promise<null>((r) => setTimeout(() => r(null), ms).unref());
  const result = await Promise.race([cli.exited, timeout]);
  assert.ok(result, `${what}: still running after ${ms / 1000} s (stderr: ${cli.stderr()})`);
  return result;
}

/** Waits until serve has launched its processor; fails at once if serve exits first. */
async function processorLaunched(cli: Cli): Promise<void> {
  await waitFor(() => {
    if (cli.exitedAt() !== null) throw new Error(`serve exited before launching its processor: ${cli.stderr()}`);
    return markedProcessors(cli.mark).length === 1;
  }, 'the processor to be launched', START_MS);
}

function continueIfThere(pid: number): void {
  try {
    process.kill(pid, 'SIGCONT');
  } catch {
    // gone, as it should be
  }
}

/** `serve` on a fresh data folder with auto-processing on (the watcher's saves start cycles). */
async function serveOnDataFolder(t: { after: (fn: () => void) => void }): Promise<{ home: string; dataDir: string; dbPath: string; cli: Cli }> {
  const home = await tempDir('livebreadth-lifecycle-');
  const dataDir = path.join(home, 'live_data');
  await mkdir(dataDir);
  await writeDataFolder(dataDir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 50]]);
  await writeFile(path.join(home, 'settings.json'), JSON.stringify({ autoStart: true }));
  const dbPath = path.join(home, 'breadth.sqlite');
  const cli = runCli(['serve', '--data', dataDir, '--db', dbPath, '--port', '0', '--always-open'], home, t);
  return { home, dataDir, dbPath, cli };
}

/** `serve` up, its processor frozen (SIGSTOP) in a cycle a save started. */
async function serveWithFrozenProcessor(t: { after: (fn: () => void) => void }): Promise<{ cli: Cli; processor: number }> {
  const { dataDir, cli } = await serveOnDataFolder(t);
  await waitFor(() => /Dashboard: http/.test(cli.stdout()), 'the dashboard address', START_MS);
  const processors = markedProcessors(cli.mark);
  assert.equal(processors.length, 1, `one processor: ${processors}`);
  const processor = processors[0]!;
  process.kill(processor, 'SIGSTOP'); // stuck, as on a workbook pinning the CPU
  t.after(() => continueIfThere(processor));
  await writeDataFolder(dataDir, null, [['TCS', 102], ['ITC', 49]]); // a save: a cycle that cannot finish
  await new Promise((r) => setTimeout(r, 1_500));
  return { cli, processor };
}

function storedRuns(dbPath: string): number {
  if (!existsSync(dbPath)) return 0;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  } catch {
    return 0; // not migrated yet
  } finally {
    db.close();
  }
}

/** The writer closed the database: the WAL checkpointed into it, the writer lock released. */
function assertClosedProperly(dbPath: string): void {
  const wal = `${dbPath}-wal`;
  assert.ok(!existsSync(wal) || statSync(wal).size === 0, `-wal left with ${existsSync(wal) ? statSync(wal).size : 0} bytes`);
  assert.equal(existsSync(`${dbPath}.lock`), false, 'the writer lock is removed');
}

describe('serve and demo: start-up failure and stopping', () => {
  it('serve exits non-zero in one line, with no processor left, when the processor cannot open the database', { timeout: 2 * START_MS }, async (t) => {
    const home = await tempDir('livebreadth-lifecycle-');
    const dataDir = path.join(home, 'live_data');
    await mkdir(dataDir);
    await writeDataFolder(dataDir, [['TCS', 100]], [['TCS', 101]]);
    const dbPath = path.join(home, 'breadth.sqlite');
    await mkdir(dbPath); // a folder where the database should be
    const cli = runCli(['serve', '--data', dataDir, '--db', dbPath, '--port', '0', '--always-open'], home, t);
    // Before: "internal error: …" and a hang for ever, the processor alive, no port.
    const { code } = await exitWithin(cli, START_MS, 'serve with an unusable database');
    assert.notEqual(code, 0);
    const lines = cli.stderr().trim().split('\n');
    assert.equal(lines.length, 1, `one line, no stack: ${cli.stderr()}`);
    assert.match(lines[0]!, /^breadth: The processor could not start: Cannot open the database .*breadth\.sqlite/);
    assert.doesNotMatch(cli.stdout(), /Dashboard/);
    assert.deepEqual(markedProcesses(cli.mark), [], 'no processor left behind');
  });

  it('SIGTERM stops serve within a few seconds while its processor is frozen mid-cycle, and leaves no child', { timeout: 2 * START_MS }, async (t) => {
    const { cli } = await serveWithFrozenProcessor(t);
    const sent = performance.now();
    cli.child.kill('SIGTERM');
    // Designed: 3 s for the running cycle, then the processor is killed. Before: never (the
    // shutdown waited for the stuck cycle), or 10 s with no cycle running.
    const { code, signal } = await exitWithin(cli, 8_000, 'serve after SIGTERM');
    t.diagnostic(`SIGTERM to exit, processor frozen: ${Math.round(cli.exitedAt()! - sent)} ms`);
    assert.deepEqual([code, signal], [0, null], cli.stderr());
    assert.deepEqual(markedProcesses(cli.mark), [], 'serve and its processor are gone');
  });

  for (const second of ['SIGTERM', 'SIGINT'] as const) {
    it(`a second signal (${second}) while the stop waits on a frozen processor ends serve at once, in one line, leaving no child`, { timeout: 2 * START_MS }, async (t) => {
      const { cli } = await serveWithFrozenProcessor(t);
      cli.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500)); // the stop now waits (3 s) for the frozen cycle
      assert.equal(cli.exitedAt(), null, 'still stopping when the second signal comes');
      const sent = performance.now();
      cli.child.kill(second);
      // Before the second signal was heard: the default action, a death by signal with the
      // frozen processor left behind for ever.
      const { code, signal } = await exitWithin(cli, 2_000, `serve after a second ${second}`);
      t.diagnostic(`second signal to exit: ${Math.round(cli.exitedAt()! - sent)} ms`);
      assert.deepEqual([code, signal], [1, null], cli.stderr());
      assert.equal(cli.stderr(), `${FORCED_EXIT_LINE}\n`);
      await waitFor(() => markedProcesses(cli.mark).length === 0, 'the killed processor to be gone', 2_000);
    });
  }

  it('SIGTERM stops serve with a healthy processor: exit 0, the database checkpointed and its lock removed', { timeout: 2 * START_MS }, async (t) => {
    const { cli, dbPath } = await serveOnDataFolder(t);
    await waitFor(() => /Dashboard: http/.test(cli.stdout()), 'the dashboard address', START_MS);
    await waitFor(() => storedRuns(dbPath) >= 1, 'a stored cycle', START_MS);
    const sent = performance.now();
    cli.child.kill('SIGTERM');
    const { code, signal } = await exitWithin(cli, 8_000, 'serve after SIGTERM');
    t.diagnostic(`SIGTERM to exit, healthy processor: ${Math.round(cli.exitedAt()! - sent)} ms`);
    assert.deepEqual([code, signal], [0, null], cli.stderr());
    assert.equal(cli.stderr(), '');
    assert.deepEqual(markedProcesses(cli.mark), []);
    assertClosedProperly(dbPath);
    assert.ok(storedRuns(dbPath) >= 1, 'the cycles are in the database file');
  });

  it('a signal during start-up (the processor launched, the host not yet listening) stops serve cleanly: exit 0, no child, database closed', { timeout: 2 * START_MS }, async (t) => {
    const { cli, dbPath } = await serveOnDataFolder(t);
    await processorLaunched(cli);
    assert.doesNotMatch(cli.stdout(), /Dashboard/, 'still starting');
    cli.child.kill('SIGTERM');
    // Documented in serve.ts: a signal during start-up stops the host as soon as it is up, exit 0.
    // Before signals were heard from start-up on: a death by SIGTERM mid-start.
    const { code, signal } = await exitWithin(cli, START_MS, 'serve after a SIGTERM during start-up');
    assert.deepEqual([code, signal], [0, null], cli.stderr());
    assert.equal(cli.stderr(), '');
    assert.doesNotMatch(cli.stdout(), /Dashboard/, 'no address printed for a host that is stopping');
    assert.deepEqual(markedProcesses(cli.mark), []);
    assertClosedProperly(dbPath);
  });

  it('a second signal during a start-up that cannot finish (processor frozen) ends serve at once, in one line, leaving no child', { timeout: 2 * START_MS }, async (t) => {
    const { cli } = await serveOnDataFolder(t);
    await processorLaunched(cli);
    const processor = markedProcessors(cli.mark)[0]!;
    process.kill(processor, 'SIGSTOP'); // never ready: start-up would wait 30 s for it
    t.after(() => continueIfThere(processor));
    cli.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(cli.exitedAt(), null, 'the first signal waits for start-up');
    cli.child.kill('SIGINT');
    // Before: the second signal's default action killed serve and left the frozen processor.
    const { code, signal } = await exitWithin(cli, 2_000, 'serve after a second signal during start-up');
    assert.deepEqual([code, signal], [1, null], cli.stderr());
    assert.equal(cli.stderr(), `${FORCED_EXIT_DURING_START_LINE}\n`);
    assert.doesNotMatch(cli.stdout(), /Dashboard/);
    await waitFor(() => markedProcesses(cli.mark).length === 0, 'the killed processor to be gone', 2_000);
  });

  it('Ctrl+C on demo stops the feed, the host and the processor, and leaves no -wal behind', { timeout: 2 * START_MS }, async (t) => {
    const home = await tempDir('livebreadth-lifecycle-');
    const dataDir = path.join(home, 'live_data');
    const dbPath = path.join(home, 'breadth.sqlite');
    const cli = runCli(['demo', '--data', dataDir, '--db', dbPath, '--port', '0', '--symbols', '1000', '--every', '0.3'], home, t, true);
    await waitFor(() => (cli.stdout().match(/ A \d+ · D /g) ?? []).length >= 5, 'five snapshots', START_MS);
    process.kill(-cli.child.pid!, 'SIGINT'); // the terminal's Ctrl+C: the whole group, processor included
    const { code } = await exitWithin(cli, 15_000, 'demo after Ctrl+C');
    assert.equal(code, 0, cli.stderr());
    assert.deepEqual(markedProcesses(cli.mark), [], 'the feed, the host and the processor are gone');
    const wal = `${dbPath}-wal`;
    // Before: the processor died on the SIGINT with its write connection open, the -wal left at 1.3 MB.
    assert.ok(!existsSync(wal) || statSync(wal).size === 0, `-wal left with ${existsSync(wal) ? statSync(wal).size : 0} bytes`);
    const db = new Database(dbPath, { readonly: true });
    try {
      const { n } = db.prepare("SELECT count(*) AS n FROM runs WHERE status IN ('ok', 'unchanged')").get() as { n: number };
      assert.ok(n >= 5, `the cycles are stored (${n} runs)`);
    } finally {
      db.close();
    }
  });
});
