// `history import` and `history show` as a user runs them: real processes, the real loopback
// archive, real files; exit codes, the summary, the --json shape, one-line errors, Ctrl+C.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { assertOneLineError, breadth } from '../test-support/cli';
import { tempDir } from '../test-support/workbooks';
import { startArchiveServer, type ArchiveServer } from '../processor/history/sources/testing/archive-server';
import { expectedHistory } from '../processor/history/test-support/import-harness';
import { waitFor } from '../processor/history/sources/testing/wait-for';
import { lockFileOf } from '../processor/store/writer-lock';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const JSON_KEYS = ['tradeDate', 'advances', 'declines', 'unchanged', 'netAdvances', 'adLine', 'mcclellanOscillator', 'summationIndex',
  'pctAbove50', 'pctAbove200', 'newHighs', 'newLows', 'upVolume', 'downVolume'];

/** A user data folder of its own: the default settings (NSE's calendar), nothing shared with the machine's. */
async function home(): Promise<{ env: NodeJS.ProcessEnv; db: string }> {
  const dir = await tempDir();
  return { env: { LIVEBREADTH_HOME: dir }, db: path.join(dir, 'breadth.sqlite') };
}

const archive = (server: ArchiveServer) => ['--source', 'nse', '--base-url', server.baseUrl, '--rate', '1000'];

describe('breadth history import / show', () => {
  it('imports a range, prints the summary, and show --json gives every day in date order with exactly the documented figures', async (t) => {
    const server = await startArchiveServer({ symbols: 300, from: '2024-06-03', to: '2024-12-31' });
    t.after(() => server.close());
    const { env, db } = await home();
    const result = await breadth(['history', 'import', '--from', '2024-06-01', '--to', '2024-08-31', ...archive(server), '--db', db], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^History import 2024-06-01 to 2024-08-31: completed in \d+:\d\d \([\d.]+ sessions\/s\)\n/);
    assert.match(result.stdout, /\n {2}sessions +65\n {2}imported +65\n/);
    assert.match(result.stdout, /\n {2}days by source +nse 65\n {2}downloaded +[\d.]+ (MB|KB); 0 days from the cache\n$/);
    assert.ok(!existsSync(lockFileOf(db)), 'the writer lock is released');

    const shown = await breadth(['history', 'show', '--db', db, '--json'], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(shown.stdout.trim().split('\n').length, 1, 'one JSON object');
    const { days, ...rest } = JSON.parse(shown.stdout) as { days: Array<Record<string, unknown>> };
    assert.deepEqual(rest, {});
    assert.equal(days.length, 65);
    for (const day of days) assert.deepEqual(Object.keys(day), JSON_KEYS);
    const want = expectedHistory(server.archive, '2024-06-03', '2024-08-30');
    assert.deepEqual(days, want.map((d) => Object.fromEntries(JSON_KEYS.map((key) => [key, d[key as keyof typeof d]]))));
    assert.deepEqual([days[0]!.pctAbove50, days[49]!.pctAbove50 !== null, days[64]!.pctAbove200, days[64]!.newHighs], [null, true, null, null]);

    const range = await breadth(['history', 'show', '--db', db, '--from', '2024-08-26', '--to', '2024-08-30'], env);
    assert.equal(range.code, 0, range.stderr);
    const lines = range.stdout.trim().split('\n');
    assert.match(lines[0]!, /^date +adv +decl +unch +net +A\/D line +McClellan +summation +% > 50d +% > 200d +new hi +new lo$/);
    assert.deepEqual(lines.slice(1).map((line) => line.slice(0, 10)), ['2024-08-26', '2024-08-27', '2024-08-28', '2024-08-29', '2024-08-30']);
  });

  it('lists the days it could not import and still exits 0; a whole-job failure exits 1 in one line', async (t) => {
    const { env, db } = await home();
    const empty = await tempDir('livebreadth-bhav-');
    const partial = await breadth(['history', 'import', '--from', '2024-09-02', '--to', '2024-09-04', '--source', empty, '--db', db], env);
    assert.equal(partial.code, 0, partial.stderr);
    assert.match(partial.stdout, /\n {2}not published +3\n/);
    assert.match(partial.stdout, new RegExp(`\nDays not imported:\n {2}2024-09-02 {2}not published: no bhavcopy for 2024-09-02 in ${empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));

    // The archive sends a web page for every day: five failures in a row open its breaker.
    const server = await startArchiveServer({ symbols: 100, from: '2024-09-02', to: '2024-12-31' });
    t.after(() => server.close());
    server.inject({ kind: 'html' }, { times: Infinity });
    const failed = await breadth(['history', 'import', '--from', '2024-09-02', '--to', '2024-09-30', ...archive(server), '--db', db], env);
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, '');
    const lines = failed.stderr.trim().split('\n').filter((line) => !line.startsWith('  ')); // progress lines are indented
    assert.deepEqual(lines, ['breadth: the import failed: nse: 2024-09-06: the archive sent a web page instead of the bhavcopy (HTTP 200, text/html); NSE\'s archive is paused after failures in a row']);
  });

  it('refuses bad dates and options in one line (exit 2)', async () => {
    const { env, db } = await home();
    const cases: Array<[string[], RegExp]> = [
      [['history', 'import', '--from', '2025-02-30', '--to', '2025-03-01'], /^breadth: --from must be a date like 2025-11-01 \(got "2025-02-30"\)$/],
      [['history', 'import', '--from', '2025-03-01'], /^breadth: --to is required$/],
      [['history', 'import', '--from', '2025-03-01', '--to', '2025-02-01'], /^breadth: --to \(2025-02-01\) is before --from \(2025-03-01\)$/],
      [['history', 'import', '--from', '2025-03-01', '--to', '2025-03-31', '--source', '/no/such/folder'], /^breadth: --source takes nse or a folder of bhavcopies: there is no folder at \/no\/such\/folder$/],
      [['history', 'import', '--from', '2015-03-01', '--to', '2025-03-31', '--db', db], /^breadth: Bad parameters for a history-import job: to: the range 2015-03-01 to 2025-03-31 is longer than 10 years; import it in parts$/],
      [['history', 'show', '--to', '31-03-2025', '--db', db], /^breadth: --to must be a date like 2025-11-01 \(got "31-03-2025"\)$/],
      [['history', 'show', '--db', path.join(path.dirname(db), 'none.sqlite')], /^breadth: There is no database at .*none\.sqlite$/],
      [['history', 'export'], /^breadth: Unknown history command "export": use import or show$/],
      [['once', 'extra'], /^breadth: Unexpected argument 'extra'/],
    ];
    const results = await Promise.all(cases.map(([args]) => breadth(args, env)));
    for (const [i, [, pattern]] of cases.entries()) {
      const result = results[i]!;
      if (pattern.source.includes('Bad parameters')) {
        // Refused by the job's own check once the database is open: one line, exit 1.
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr.trim(), pattern);
        continue;
      }
      assertOneLineError(result, pattern);
    }
  });

  it('Ctrl+C cancels the job cleanly: the days done are kept, the lock released, exit 130; the database is refused to a second writer meanwhile', async (t) => {
    const server = await startArchiveServer({ symbols: 2000, from: '2024-01-01', to: '2025-06-30' });
    t.after(() => server.close());
    const { env, db } = await home();
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'history', 'import', '--from', '2024-01-01', '--to', '2025-06-30', ...archive(server), '--db', db], {
      cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    t.after(() => child.kill('SIGKILL'));
    // Plain progress lines (stderr is not a terminal): one per tenth of the way.
    await waitFor(() => /^ +\d+\/\d+ .*\n/m.test(stderr) && server.requests.length >= 20, 'the import under way', 30_000);

    const second = await breadth(['history', 'show', '--db', db, '--json'], env);
    assert.equal(second.code, 0, 'reading works while it writes');
    const refused = await breadth(['history', 'import', '--from', '2024-01-01', '--to', '2024-01-31', ...archive(server), '--db', db], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr.trim(), /^breadth: The database is in use by LiveBreadth \(pid \d+, history import, since \d\d:\d\d IST\): stop it first$/);

    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /\nbreadth: import cancelled; \d+ of \d+ items were done and are kept \(a new import skips them\)\n$/);
    assert.ok(!existsSync(lockFileOf(db)), 'the writer lock is released');
    assert.ok(!existsSync(`${db}-wal`) || (await import('node:fs')).statSync(`${db}-wal`).size === 0, 'the WAL was checkpointed');
    const look = new Database(db, { readonly: true });
    t.after(() => look.close());
    const job = look.prepare('SELECT state, done FROM jobs').get() as { state: string; done: number };
    const stored = look.prepare('SELECT COUNT(*) FROM history_days').pluck().get() as number;
    assert.equal(job.state, 'cancelled');
    assert.ok(stored > 0 && stored < 370, `${stored} days stored`);
    assert.equal(job.done, stored, 'exactly the days marked done are stored');
  });
});
