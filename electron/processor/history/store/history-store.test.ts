// The history store on a real SQLite file: skip identical, force, replace different content,
// idempotent re-apply, indicators kept current in order and rebuilt in chunks otherwise,
// readHistory's ranges and nulls, all checked against the pandas fixture's figures.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, it } from 'node:test';
import type Database from 'better-sqlite3';
import type { Bhavcopy } from '../../../../shared/history/bhavcopy';
import { assertMatchesExpected, loadPandasFixture } from '../../../../shared/history/fixtures/load';
import { countedStocks, withLiveDay, type HistoryUniverse } from '../../../../shared/history/indicators';
import { openReadDatabase, openWriteDatabase } from '../../store/database';
import { tempDir } from '../../../test-support/workbooks';
import { currentWindows, historyStatus, HISTORY_SCHEMA, HistoryImportError, importDay, readHistory, recomputeIndicators } from './index';

const EQ: HistoryUniverse = { series: ['EQ'] };
const { bhavcopies, expected } = loadPandasFixture();
const hashOf = (b: Bhavcopy) => createHash('sha256').update(JSON.stringify(b.rows)).digest('hex');

async function openStore(file?: string): Promise<{ db: Database.Database; file: string }> {
  const at = file ?? path.join(await tempDir(), 'breadth.sqlite');
  const db = openWriteDatabase(at);
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'history_days'`).get()) db.exec(HISTORY_SCHEMA);
  return { db, file: at };
}

function importAll(db: Database.Database, days: readonly Bhavcopy[], universe = EQ): string[] {
  return days.map((b) => importDay(db, b, { universe, source: 'folder', contentHash: hashOf(b) }));
}

const count = (db: Database.Database, table: string, date?: string) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}${date ? ' WHERE trade_date = ?' : ''}`).get(...(date ? [date] : [])) as { n: number }).n;

/** Recomputes in the smallest chunks until done; a chunk that makes no progress fails the test. */
function recomputeFully(db: Database.Database): number {
  for (let calls = 1; calls <= bhavcopies.length + 1; calls++) {
    if (recomputeIndicators(db, { budgetMs: 0 }).done) return calls;
  }
  return assert.fail('recomputeIndicators never finished');
}

describe('history store: importing days', () => {
  it('imports in date order with every figure current, matching pandas, and re-reads it from another connection', async () => {
    const { db, file } = await openStore();
    assert.deepEqual(new Set(importAll(db, bhavcopies)), new Set(['imported']));
    assert.equal(historyStatus(db).indicatorsPendingFrom, null); // kept current as it went
    assertMatchesExpected(readHistory(db), expected.EQ, assert.fail);
    db.close();
    const reader = openReadDatabase(file);
    assertMatchesExpected(readHistory(reader), expected.EQ, assert.fail);
    reader.close();
  });

  it('skips a day imported from identical content, re-imports it when forced', async () => {
    const { db } = await openStore();
    const day = bhavcopies[0]!;
    const options = { universe: EQ, source: 'folder', contentHash: hashOf(day) };
    assert.equal(importDay(db, day, { ...options, now: new Date('2026-01-01T10:00:00Z') }), 'imported');
    assert.equal(importDay(db, day, { ...options, now: new Date('2026-01-02T10:00:00Z') }), 'skipped-identical');
    const importedAt = () => (db.prepare('SELECT imported_at AS at FROM history_days').get() as { at: string }).at;
    assert.equal(importedAt(), '2026-01-01T10:00:00.000Z');
    assert.equal(importDay(db, day, { ...options, force: true, now: new Date('2026-01-03T10:00:00Z') }), 'replaced');
    assert.equal(importedAt(), '2026-01-03T10:00:00.000Z');
    db.close();
  });

  it('replaces a day whose content differs: its rows, counts and the figures of the days after it', async () => {
    const { db } = await openStore();
    importAll(db, bhavcopies);
    const target = bhavcopies[100]!;
    // Another file for the same day: one stock fewer and every close up 1%.
    const changed: Bhavcopy = { ...target, rows: target.rows.slice(1).map((r) => ({ ...r, close: r.close === null ? null : Math.round(r.close * 101) / 100 })) };
    assert.equal(importDay(db, changed, { universe: EQ, source: 'nse', contentHash: hashOf(changed) }), 'replaced');
    assert.equal(count(db, 'history_closes', target.tradeDate), countedStocks(changed.rows, EQ).length);
    assert.ok(!db.prepare('SELECT 1 FROM history_closes WHERE trade_date = ? AND symbol = ?').get(target.tradeDate, target.rows[0]!.symbol));
    assert.equal(historyStatus(db).indicatorsPendingFrom, target.tradeDate);
    const source = db.prepare('SELECT source FROM history_days WHERE trade_date = ?').pluck().get(target.tradeDate);
    assert.equal(source, 'nse');
    recomputeFully(db);
    const history = readHistory(db);
    assert.notEqual(history[100]!.advances, expected.EQ[100]!.advances);
    // The same days imported from scratch with the changed file give the same figures.
    const fresh = (await openStore()).db;
    importAll(fresh, bhavcopies.map((b, i) => (i === 100 ? changed : b)));
    assert.deepEqual(history, readHistory(fresh));
    // And the original content puts everything back.
    assert.equal(importDay(db, target, { universe: EQ, source: 'folder', contentHash: hashOf(target) }), 'replaced');
    recomputeFully(db);
    assertMatchesExpected(readHistory(db), expected.EQ, assert.fail);
    db.close();
    fresh.close();
  });

  it('treats the same file under another universe as different content', async () => {
    const { db } = await openStore();
    const day = bhavcopies[0]!;
    importDay(db, day, { universe: EQ, source: 'folder', contentHash: hashOf(day) });
    assert.equal(importDay(db, day, { universe: { series: ['EQ', 'BE'] }, source: 'folder', contentHash: hashOf(day) }), 'replaced');
    assert.equal(readHistory(db)[0]!.advances, expected['EQ,BE'][0]!.advances);
    db.close();
  });

  it('is idempotent: re-applying days, forced or after a rolled-back attempt, never duplicates rows', async () => {
    const { db } = await openStore();
    const days = bhavcopies.slice(0, 5);
    importAll(db, days);
    const closes = count(db, 'history_closes');
    for (const b of days) importDay(db, b, { universe: EQ, source: 'folder', contentHash: hashOf(b), force: true });
    assert.equal(count(db, 'history_closes'), closes);
    assert.equal(count(db, 'history_days'), 5);
    // A crash mid-import: the enclosing transaction never commits, nothing of the day remains.
    const next = bhavcopies[5]!;
    assert.throws(() => db.transaction(() => {
      importDay(db, next, { universe: EQ, source: 'folder', contentHash: hashOf(next) });
      throw new Error('killed');
    })(), /killed/);
    assert.equal(count(db, 'history_days'), 5);
    assert.equal(count(db, 'history_closes', next.tradeDate), 0);
    // The windows moved on in that attempt; they must not be trusted for the next day.
    assert.equal(importDay(db, next, { universe: EQ, source: 'folder', contentHash: hashOf(next) }), 'imported');
    importAll(db, bhavcopies.slice(6));
    recomputeFully(db);
    assertMatchesExpected(readHistory(db), expected.EQ, assert.fail);
    db.close();
  });

  it('is atomic: a day that fails midway leaves nothing of itself, and a replacement that fails leaves the old day', async () => {
    const { db } = await openStore();
    importAll(db, bhavcopies.slice(0, 2));
    const closesBefore = count(db, 'history_closes', bhavcopies[1]!.tradeDate);
    // The database refuses the day's summary row, written after its closes.
    db.exec(`CREATE TEMP TRIGGER refuse_days BEFORE INSERT ON history_days BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const next = bhavcopies[2]!;
    assert.throws(() => importDay(db, next, { universe: EQ, source: 'folder', contentHash: hashOf(next) }), /disk full/);
    assert.equal(count(db, 'history_closes', next.tradeDate), 0);
    const other: Bhavcopy = { ...bhavcopies[1]!, rows: bhavcopies[1]!.rows.slice(3) };
    assert.throws(() => importDay(db, other, { universe: EQ, source: 'folder', contentHash: hashOf(other) }), /disk full/);
    assert.equal(count(db, 'history_closes', other.tradeDate), closesBefore);
    assert.equal(historyStatus(db).indicatorsPendingFrom, null);
    db.close();
  });

  it('refuses a day with no stock of the universe, or a malformed date, in one line', async () => {
    const { db } = await openStore();
    const day = bhavcopies[0]!;
    assert.throws(() => importDay(db, { ...day, rows: day.rows.filter((r) => r.series !== 'EQ') }, { universe: EQ, source: 'x', contentHash: 'h' }),
      (e: Error) => e instanceof HistoryImportError && /no stock of the universe/.test(e.message) && !e.message.includes('\n'));
    assert.throws(() => importDay(db, { ...day, tradeDate: '20240101' }, { universe: EQ, source: 'x', contentHash: 'h' }), HistoryImportError);
    assert.equal(count(db, 'history_days'), 0);
    db.close();
  });
});

describe('history store: the per-symbol figures', () => {
  it('after a restart, leaves appended days pending and rebuilds them in bounded chunks', async () => {
    const first = await openStore();
    importAll(first.db, bhavcopies.slice(0, 150));
    first.db.close();
    const { db } = await openStore(first.file); // a new process: the windows are cold
    importAll(db, bhavcopies.slice(150));
    assert.equal(historyStatus(db).indicatorsPendingFrom, bhavcopies[150]!.tradeDate);
    // Pending days read with null per-symbol figures, the count-based ones are already right.
    const pending = readHistory(db)[200]!;
    assert.equal(pending.pctAbove50, null);
    assert.ok(Math.abs(pending.summationIndex - expected.EQ[200]!.summationIndex) <= 1e-9);
    assert.equal(currentWindows(db), null);
    // A zero budget does one day per call; the 150 days already figured are replayed, not rewritten.
    let calls = 0;
    let computed = 0;
    for (let done = false; !done && calls <= bhavcopies.length; calls++) {
      const progress = recomputeIndicators(db, { budgetMs: 0 });
      computed += progress.computed;
      done = progress.done;
    }
    assert.ok(calls > 100, `${calls} calls`);
    assert.equal(computed, bhavcopies.length - 150);
    assertMatchesExpected(readHistory(db), expected.EQ, assert.fail);
    db.close();
  });

  it('imports days out of order and ends with the same figures', async () => {
    const { db } = await openStore();
    importAll(db, [...bhavcopies].reverse());
    assert.equal(historyStatus(db).indicatorsPendingFrom, bhavcopies[0]!.tradeDate);
    assert.equal(recomputeIndicators(db).done, true);
    assertMatchesExpected(readHistory(db), expected.EQ, assert.fail);
    // Once rebuilt, the windows serve the next appended day and the live day.
    assert.equal(currentWindows(db)?.throughDate, bhavcopies.at(-1)!.tradeDate);
    db.close();
  });

  it('gives the live day the figures the day will have once imported', async () => {
    const { db } = await openStore();
    importAll(db, bhavcopies.slice(0, -1));
    const last = bhavcopies.at(-1)!;
    const prices = new Map(last.rows.filter((r) => r.series === 'EQ' && r.prevClose !== null).map((r) => [r.symbol, r.close!]));
    const counts = { advances: expected.EQ.at(-1)!.advances, declines: expected.EQ.at(-1)!.declines, unchanged: expected.EQ.at(-1)!.unchanged, upVolume: null, downVolume: null };
    const live = withLiveDay(readHistory(db), { tradeDate: last.tradeDate, ...counts, prices }, currentWindows(db)).at(-1)!;
    assert.equal(live.provisional, true);
    const want = expected.EQ.at(-1)!;
    assert.deepEqual([live.pctAbove50, live.pctAbove200, live.newHighs, live.newLows], [want.pctAbove50, want.pctAbove200, want.newHighs, want.newLows]);
    assert.ok(Math.abs(live.summationIndex - want.summationIndex) <= 1e-9);
    db.close();
  });
});

describe('history store: windows that ran ahead', () => {
  it('are not trusted after a rolled-back import: the next days wait for recompute rather than show figures from them', async () => {
    const { db } = await openStore();
    importAll(db, bhavcopies.slice(0, 60));
    const day = bhavcopies[60]!;
    assert.throws(() => db.transaction(() => {
      importDay(db, day, { universe: EQ, source: 'folder', contentHash: hashOf(day) });
      throw new Error('killed');
    })(), /killed/);
    // The day comes again with other content (every close halved), then the next day.
    const changed: Bhavcopy = { ...day, rows: day.rows.map((r) => ({ ...r, close: r.close === null ? null : Math.round(r.close * 50) / 100 })) };
    importAll(db, [changed, bhavcopies[61]!]);
    assert.equal(historyStatus(db).indicatorsPendingFrom, day.tradeDate);
    assert.equal(readHistory(db)[61]!.pctAbove50, null);
    recomputeFully(db);
    const fresh = (await openStore()).db;
    importAll(fresh, [...bhavcopies.slice(0, 60), changed, bhavcopies[61]!]);
    assert.deepEqual(readHistory(db), readHistory(fresh));
    db.close();
    fresh.close();
  });
});

describe('history store: reading', () => {
  it('reads a range with the values of the whole series, and nulls until enough sessions exist', async () => {
    const { db } = await openStore();
    importAll(db, bhavcopies);
    const from = bhavcopies[40]!.tradeDate;
    const to = bhavcopies[60]!.tradeDate;
    const range = readHistory(db, { from, to });
    assert.equal(range.length, 21);
    assertMatchesExpected(range, expected.EQ.slice(40, 61), assert.fail);
    assert.deepEqual(readHistory(db, { to: bhavcopies[0]!.tradeDate }).length, 1);
    assert.deepEqual(readHistory(db, { from: '2099-01-01' }), []);
    const all = readHistory(db);
    assert.equal(all[48]!.pctAbove50, null);
    assert.notEqual(all[49]!.pctAbove50, null);
    assert.equal(all[198]!.pctAbove200, null);
    assert.notEqual(all[199]!.pctAbove200, null);
    assert.equal(all[250]!.newHighs, null);
    assert.notEqual(all[251]!.newHighs, null);
    assert.equal(all[0]!.mcclellanOscillator, 0);
    assert.ok(all.every((d) => d.provisional === false));
    db.close();
  });

  it('reads an empty history as no days', async () => {
    const { db } = await openStore();
    assert.deepEqual(readHistory(db), []);
    assert.deepEqual(historyStatus(db), { days: 0, firstDate: null, lastDate: null, indicatorsPendingFrom: null });
    assert.deepEqual(recomputeIndicators(db), { done: true, pendingFrom: null, computed: 0 });
    db.close();
  });
});
