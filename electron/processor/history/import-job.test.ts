// The history-import job through a real ProcessorService (its queue, a real SQLite file it
// migrates itself), fetching from the real loopback archive and from real folders: the figures
// against those computed directly from the generated bhavcopies, skip / force / replace, cancel,
// not-published days, the archive's faults, the breaker, the universe and bad parameters.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { NSE_PROFILE } from '../../../shared/market-calendar';
import { tempDir, writeWorkbook } from '../../test-support/workbooks';
import { readHistory } from './store';
import { startArchiveServer, type ArchiveServer } from './sources/testing/archive-server';
import { writeArchiveFolder } from './sources/testing/archive-folder';
import { GeneratedArchive } from './sources/testing/generated-archive';
import { count, expectedHistory, importHarness } from './test-support/import-harness';
import type { HistoryImportResult } from './import-summary';

const HOLIDAYS = ['2024-01-26', '2024-03-25', '2024-08-15'];
const CALENDAR = { ...NSE_PROFILE, holidays: HOLIDAYS };
/** The loopback archive answers at once: no politeness needed. */
const FAST = { rateLimitPerSecond: 1000 };

const nse = (server: ArchiveServer) => [{ kind: 'nse' as const, baseUrl: server.baseUrl }];
const sessionsOf = (server: ArchiveServer, first: number, n: number) => server.archive.sessions.slice(first, first + n);

function resultOf(result: unknown): HistoryImportResult {
  return result as HistoryImportResult;
}

describe('history-import: a year of sessions', () => {
  it('imports 250 sessions × 2,000 symbols from the archive with the right figures, each session asked once, never a holiday', async (t) => {
    const server = await startArchiveServer({ symbols: 2000, from: '2024-01-01', to: '2025-06-30', profile: CALENDAR });
    t.after(() => server.close());
    const h = await importHarness({ exchange: CALENDAR });
    t.after(() => h.close());
    const sessions = sessionsOf(server, 0, 250);
    const [from, to] = [sessions[0]!, sessions.at(-1)!];

    const job = await h.start({ from, to, sources: nse(server), ...FAST });
    const { job: done, failures } = await h.until(job.id, ['completed', 'failed', 'dead'], 120_000);
    assert.equal(done.state, 'completed', done.lastError ?? '');
    assert.deepEqual(failures, []);
    const result = resultOf(done.result);
    assert.deepEqual({ ...result, bytesDownloaded: result.bytesDownloaded > 0 }, {
      sessions: 250, imported: 250, skipped: 0, replaced: 0, notPublished: 0, failed: 0,
      sources: { nse: 250 }, bytesDownloaded: true, fromCache: 0, indicatorsPendingFrom: null,
    });

    const want = expectedHistory(server.archive, from, to);
    assert.deepEqual(h.read((db) => readHistory(db)), want);
    assert.ok(want.at(-1)!.pctAbove200 !== null && want.at(-1)!.newHighs === null, 'the 200-day figure exists by day 250, the 52-week one not yet');
    assert.equal(h.read((db) => count(db, 'history_days')), 250);

    // Only the sessions, each once: no weekend, no holiday, nothing downloaded twice.
    const asked = server.requests.map((request) => request.tradeDate);
    assert.deepEqual([...new Set(asked)].sort(), sessions);
    assert.equal(asked.length, 250);
    for (const holiday of HOLIDAYS) assert.ok(holiday > from && holiday < to && !asked.includes(holiday), `${holiday} never asked for`);

    // The same days again: skipped, from the cache beside the database, not downloaded.
    const again = await h.start({ from, to: sessions[19]!, sources: nse(server), ...FAST });
    const { job: second } = await h.until(again.id, ['completed'], 60_000);
    assert.deepEqual(resultOf(second.result), {
      sessions: 20, imported: 0, skipped: 20, replaced: 0, notPublished: 0, failed: 0,
      sources: { nse: 20 }, bytesDownloaded: 0, fromCache: 20, indicatorsPendingFrom: null,
    });
    assert.equal(server.requests.length, 250);
  });

  it('imports the same 250 sessions from a folder of the trader\'s files (zips in sub-folders) with the right figures', async (t) => {
    const archive = new GeneratedArchive({ symbols: 2000, from: '2024-01-01', to: '2025-06-30' });
    const folder = await tempDir('livebreadth-bhav-');
    const sessions = archive.sessions.slice(0, 250);
    await writeArchiveFolder(archive, folder, { from: sessions[0], to: sessions.at(-1), nested: true });
    const h = await importHarness();
    t.after(() => h.close());
    const job = await h.start({ from: sessions[0]!, to: sessions.at(-1)!, sources: [{ kind: 'folder', dir: folder }] });
    const { job: done } = await h.until(job.id, ['completed', 'failed', 'dead'], 120_000);
    assert.equal(done.state, 'completed', done.lastError ?? '');
    assert.deepEqual({ ...resultOf(done.result), bytesDownloaded: 0 }, {
      sessions: 250, imported: 250, skipped: 0, replaced: 0, notPublished: 0, failed: 0,
      sources: { folder: 250 }, bytesDownloaded: 0, fromCache: 0, indicatorsPendingFrom: null,
    });
    assert.deepEqual(h.read((db) => readHistory(db)), expectedHistory(archive, sessions[0]!, sessions.at(-1)!));
  });
});

describe('history-import: skip, force, replace', () => {
  it('skips days imported from identical content, re-imports them when forced, replaces a day whose file changed', async (t) => {
    const archive = new GeneratedArchive({ symbols: 300, from: '2024-09-02', to: '2024-09-30' });
    const folder = await tempDir('livebreadth-bhav-');
    const files = await writeArchiveFolder(archive, folder, { to: '2024-09-06', as: 'csv' });
    const h = await importHarness();
    t.after(() => h.close());
    const run = async (force = false) => {
      const job = await h.start({ from: '2024-09-02', to: '2024-09-06', sources: [{ kind: 'folder', dir: folder }], force });
      const { job: done } = await h.until(job.id, ['completed', 'failed', 'dead']);
      return resultOf(done.result);
    };
    const importedAt = () => h.read((db) => db.prepare('SELECT imported_at FROM history_days ORDER BY trade_date').pluck().all());
    assert.equal((await run()).imported, 5);
    const closes = h.read((db) => count(db, 'history_closes'));
    const firstImport = importedAt();

    assert.deepEqual([(await run()).skipped, h.read((db) => count(db, 'history_closes'))], [5, closes]);
    assert.deepEqual(importedAt(), firstImport, 'a skipped day is not written');
    const forced = await run(true);
    assert.deepEqual([forced.replaced, forced.skipped, h.read((db) => count(db, 'history_closes'))], [5, 0, closes]);
    assert.notDeepEqual(importedAt(), firstImport);

    // The trader's file for one day changes (a stock left out): that day is replaced, the rest skipped.
    const changed = files[2]!;
    const lines = (await readFile(changed, 'utf8')).split('\n');
    const dropped = lines.findIndex((line) => line.includes(',EQ,'));
    await writeFile(changed, lines.filter((_, i) => i !== dropped).join('\n'));
    const after = await run();
    assert.deepEqual([after.replaced, after.skipped, after.imported], [1, 4, 0]);
    assert.equal(h.read((db) => count(db, 'history_closes')), closes - 1);
  });
});

describe('history-import: cancel', () => {
  it('stops within one chunk; the days done stay stored, whole and with their figures', async (t) => {
    const server = await startArchiveServer({ symbols: 2000, from: '2024-09-02', to: '2025-03-31' });
    t.after(() => server.close());
    const h = await importHarness();
    t.after(() => h.close());
    const sessions = sessionsOf(server, 0, 120);
    const job = await h.start({ from: sessions[0]!, to: sessions.at(-1)!, sources: nse(server), ...FAST });
    await h.until(job.id, ['running']);
    while (!h.jobEvents(job.id).some((j) => j.progress.done >= 10)) await new Promise((resolve) => setTimeout(resolve, 5));
    const cancelled = await h.request({ type: 'cancelJob', jobId: job.id });
    assert.equal(cancelled.state, 'cancelled');
    // The cancel ran in the processor's queue: from its reply on, no day is written.
    const atCancel = h.read((db) => count(db, 'history_days'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const { job: after } = await h.request({ type: 'getJob', jobId: job.id });
    assert.equal(after.state, 'cancelled');
    const stored = h.read((db) => count(db, 'history_days'));
    assert.equal(stored, atCancel);
    assert.ok(stored >= 10 && stored < 120, `${stored} days stored`);
    assert.equal(after.progress.done, stored, 'every day marked done is stored, and only those');
    assert.equal(h.read((db) => db.prepare('SELECT COUNT(*) FROM history_import_days WHERE job_id = ?').pluck().get(job.id)), stored);
    assert.deepEqual(h.read((db) => readHistory(db)), expectedHistory(server.archive, sessions[0]!, sessions[stored - 1]!));
  });
});

describe('history-import: days that cannot be had', () => {
  it('records a session the archive has not published as a failed item "not published", and completes', async (t) => {
    const missing = '2024-09-04';
    const server = await startArchiveServer({ symbols: 200, from: '2024-09-02', to: '2024-09-30', missing: [missing] });
    t.after(() => server.close());
    const h = await importHarness();
    t.after(() => h.close());
    const job = await h.start({ from: '2024-09-02', to: '2024-09-06', sources: nse(server), ...FAST });
    const { job: done, failures } = await h.until(job.id, ['completed', 'failed', 'dead']);
    assert.equal(done.state, 'completed');
    assert.deepEqual([done.progress.done, done.progress.failed], [4, 1]);
    assert.deepEqual(failures.map((f) => [f.item, f.reason]), [[missing, `not published: NSE's archive has no bhavcopy for ${missing} (HTTP 404)`]]);
    assert.deepEqual([resultOf(done.result).imported, resultOf(done.result).notPublished, resultOf(done.result).failed], [4, 1, 0]);
    assert.equal(server.requestsFor(missing), 1, 'asked once, not retried');
  });

  it('ends each of the archive\'s faults as documented: retried (429 after Retry-After, 500, hang, truncated zip), or the day failed (HTML page)', async (t) => {
    const server = await startArchiveServer({ symbols: 200, from: '2024-09-02', to: '2024-09-30' });
    t.after(() => server.close());
    const h = await importHarness({ job: { archive: { backoffBaseMs: 10, backoffCapMs: 20 } } });
    t.after(() => h.close());
    const days = sessionsOf(server, 0, 8);
    server.inject({ kind: 'status', status: 429, retryAfter: '1' }, { date: days[0] });
    server.inject({ kind: 'status', status: 500 }, { date: days[1] });
    server.inject({ kind: 'hang' }, { date: days[2] });
    server.inject({ kind: 'truncated' }, { date: days[3] });
    server.inject({ kind: 'html' }, { date: days[4] });
    const started = Date.now();
    const job = await h.start({ from: days[0]!, to: days.at(-1)!, sources: nse(server), ...FAST, timeoutMs: 500 });
    const { job: done, failures } = await h.until(job.id, ['completed', 'failed', 'dead'], 30_000);
    assert.equal(done.state, 'completed');
    assert.ok(Date.now() - started >= 1000, 'the 429 was retried only after its Retry-After');
    assert.deepEqual(failures.map((f) => f.item), [days[4]]);
    assert.match(failures[0]!.reason, /^nse: .*the archive sent a web page instead of the bhavcopy \(HTTP 200, text\/html\)$/);
    assert.deepEqual([resultOf(done.result).imported, resultOf(done.result).failed], [7, 1]);
    assert.deepEqual(days.map((day) => server.requestsFor(day)), [2, 2, 2, 2, 1, 1, 1, 1]);
  });

  it('fails the attempt when the archive\'s breaker opens, and imports everything on a retry once it is back', async (t) => {
    const server = await startArchiveServer({ symbols: 200, from: '2024-09-02', to: '2024-09-30' });
    t.after(() => server.close());
    const h = await importHarness({ job: { archive: { backoffBaseMs: 5, backoffCapMs: 10 } } });
    t.after(() => h.close());
    server.inject({ kind: 'status', status: 500 }, { times: Infinity });
    const job = await h.start({ from: '2024-09-02', to: '2024-09-13', sources: nse(server), ...FAST });
    const { job: failed, failures } = await h.until(job.id, ['failed', 'dead', 'completed'], 30_000);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.lastError, "nse: 2024-09-03: HTTP 500 Internal Server Error; NSE's archive is paused after failures in a row");
    assert.ok(failed.nextAttemptAt !== null, 'a retry is scheduled, with backoff');
    // The first day used up its retries before the breaker opened: a failed item of its own.
    assert.deepEqual(failures.map((f) => [f.item, f.reason]), [['2024-09-02', 'nse: 2024-09-02: HTTP 500 Internal Server Error (4 attempts)']]);
    assert.equal(server.requests.length, 5, 'nothing asked once the breaker opened');

    server.clearFaults();
    await h.request({ type: 'retryJob', jobId: job.id });
    const { job: done } = await h.until(job.id, ['completed'], 30_000);
    assert.deepEqual([done.progress.done, done.progress.failed, resultOf(done.result).imported], [10, 0, 10]);
  });
});

describe('history-import: parameters and universe', () => {
  it('refuses bad parameters in one line and queues nothing', async (t) => {
    const h = await importHarness();
    t.after(() => h.close());
    const cases: Array<[unknown, string]> = [
      [{ from: '2025-02-30', to: '2025-03-01' }, 'from: must be a date like 2025-11-01'],
      [{ from: '2025-03-01', to: '2025-02-01' }, 'to: the range ends (2025-02-01) before it starts (2025-03-01)'],
      [{ from: '2010-01-01', to: '2025-02-01' }, 'to: the range 2010-01-01 to 2025-02-01 is longer than 10 years; import it in parts'],
      [{ from: '2025-01-01', to: '2025-02-01', sources: [{ kind: 'folder', dir: 'bhav' }] }, 'sources.0.dir: must be an absolute path'],
      [{ from: '2025-01-01', to: '2025-02-01', universe: { series: ['BE'] } }, 'universe.series: must be ["EQ"] or ["EQ", "BE"]'],
    ];
    for (const [params, line] of cases) {
      await assert.rejects(h.request({ type: 'startJob', kind: 'history-import', params }), (error: Error) => {
        assert.equal(error.message, `Bad parameters for a history-import job: ${line}`);
        return true;
      });
    }
    assert.deepEqual(await h.request({ type: 'listJobs' }), []);
  });

  it('counts only the Historical workbook\'s symbols with the historicalWorkbook universe', async (t) => {
    const server = await startArchiveServer({ symbols: 600, from: '2024-09-02', to: '2024-12-31' });
    t.after(() => server.close());
    const dataDir = await tempDir();
    const symbols = Array.from({ length: 150 }, (_, i) => `SYM${String(i * 3 + 1).padStart(4, '0')}`);
    // As a trader's workbook writes them: the reader normalises NSE: prefixes and -EQ suffixes.
    await writeWorkbook(path.join(dataDir, 'Historical.xlsx'), [['Symbol', 'Prev Close'], ...symbols.map((s, i) => [i % 2 ? `NSE:${s}` : `${s}-EQ`, 100])]);
    const h = await importHarness({ dataDir });
    t.after(() => h.close());
    const sessions = sessionsOf(server, 0, 15);
    const job = await h.start({ from: sessions[0]!, to: sessions.at(-1)!, sources: nse(server), universe: { historicalWorkbook: true }, ...FAST });
    const { job: done } = await h.until(job.id, ['completed', 'failed', 'dead']);
    assert.equal(done.state, 'completed', done.lastError ?? '');
    const stored = h.read((db) => db.prepare('SELECT DISTINCT symbol FROM history_closes ORDER BY symbol').pluck().all() as string[]);
    const eq = symbols.filter((s) => server.archive.rowsOn(sessions[0]!).find((r) => r.symbol === s)!.series === 'EQ');
    assert.deepEqual(stored, eq.sort());
    const universe = { symbols: new Set(symbols), series: ['EQ'] };
    assert.deepEqual(h.read((db) => readHistory(db)), expectedHistory(server.archive, sessions[0]!, sessions.at(-1)!, universe));
  });

  it('fails the attempt, asking nothing, when a folder source does not exist or the data folder has no Historical workbook', async (t) => {
    const h = await importHarness();
    t.after(() => h.close());
    const missing = path.join(h.dir, 'no-such-folder');
    const folderJob = await h.start({ from: '2024-09-02', to: '2024-09-06', sources: [{ kind: 'folder', dir: missing }] }, 1);
    const { job: dead } = await h.until(folderJob.id, ['dead', 'completed']);
    assert.deepEqual([dead.state, dead.lastError], ['dead', `The folder ${missing} does not exist`]);
    const workbookJob = await h.start({ from: '2024-09-02', to: '2024-09-06', universe: { historicalWorkbook: true } }, 1);
    const { job: noWorkbook } = await h.until(workbookJob.id, ['dead', 'completed']);
    assert.deepEqual([noWorkbook.state, noWorkbook.lastError], ['dead', `There is no Historical workbook in ${h.dir} to take the symbols from`]);
  });
});

describe('history-import: the per-symbol figures on a processor started since', () => {
  it('rebuilds them in chunks of a few days after the new days, ending with the right figures', async (t) => {
    const server = await startArchiveServer({ symbols: 1000, from: '2024-09-02', to: '2025-06-30' });
    t.after(() => server.close());
    const sessions = sessionsOf(server, 0, 121);
    const first = await importHarness();
    const job = await first.start({ from: sessions[0]!, to: sessions[119]!, sources: nse(server), ...FAST });
    await first.until(job.id, ['completed']);
    await first.close();

    // A new processor: its windows are cold, so the next day cannot get its figures as it is stored.
    const chunks: number[] = [];
    const h = await importHarness({ dir: first.dir, service: { jobs: { onChunk: (ms) => chunks.push(ms) } } });
    t.after(() => h.close());
    const next = await h.start({ from: sessions[120]!, to: sessions[120]!, sources: nse(server), ...FAST });
    const { job: done } = await h.until(next.id, ['completed', 'failed', 'dead']);
    assert.equal(done.state, 'completed');
    assert.equal(done.progress.total, 1 + Math.ceil(121 / 5), 'the day, then chunks of 5 days for the 121 stored');
    assert.equal(resultOf(done.result).indicatorsPendingFrom, null);
    assert.deepEqual(h.read((db) => readHistory(db)), expectedHistory(server.archive, sessions[0]!, sessions[120]!));
    // No chunk held the queue for the whole rebuild (about a second here).
    const total = chunks.reduce((a, b) => a + b, 0);
    assert.ok(Math.max(...chunks) < total / 4, `longest chunk ${Math.max(...chunks).toFixed(1)} ms of ${total.toFixed(1)} ms`);
  });
});
