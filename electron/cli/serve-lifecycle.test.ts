// `serve` and `demo` as a user runs them, with real signals: a processor that cannot open its
// database ends `serve` in one line, SIGTERM stops `serve` even with its processor frozen, and
// Ctrl+C (SIGINT to the whole process group, as a terminal sends it) stops `demo` with its feed
// and processor and leaves the database checkpointed. Every process started is found through an
// environment mark its children inherit, so a test can tell that none is left.
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

interface Cli {
  child: ChildProcess;
  mark: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
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
  return { child, mark, stdout: () => out, stderr: () => err, exited };
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
    const home = await tempDir('livebreadth-lifecycle-');
    const dataDir = path.join(home, 'live_data');
    await mkdir(dataDir);
    await writeDataFolder(dataDir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 50]]);
    await writeFile(path.join(home, 'settings.json'), JSON.stringify({ autoStart: true })); // the watcher's saves start cycles
    const cli = runCli(['serve', '--data', dataDir, '--db', path.join(home, 'breadth.sqlite'), '--port', '0', '--always-open'], home, t);
    await waitFor(() => /Dashboard: http/.test(cli.stdout()), 'the dashboard address', START_MS);
    const processors = markedProcesses(cli.mark).filter((pid) => pid !== cli.child.pid);
    assert.equal(processors.length, 1, `one processor: ${processors}`);
    const processor = processors[0]!;
    process.kill(processor, 'SIGSTOP'); // stuck, as on a workbook pinning the CPU
    t.after(() => {
      try {
        process.kill(processor, 'SIGCONT');
      } catch {
        // gone, as it should be
      }
    });
    await writeDataFolder(dataDir, null, [['TCS', 102], ['ITC', 49]]); // a save: a cycle that cannot finish
    await new Promise((r) => setTimeout(r, 1_500));
    cli.child.kill('SIGTERM');
    // Designed: 3 s for the running cycle, then the processor is killed. Before: never (the
    // shutdown waited for the stuck cycle), or 10 s with no cycle running.
    const { code, signal } = await exitWithin(cli, 8_000, 'serve after SIGTERM');
    assert.deepEqual([code, signal], [0, null], cli.stderr());
    assert.deepEqual(markedProcesses(cli.mark), [], 'serve and its processor are gone');
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
