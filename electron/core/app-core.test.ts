// The core end to end under plain Node: a real folder watched by chokidar, a real processor
// child process, a real database. The exchange is open round the clock here; the scheduler's
// market-hours decisions are tested with an injected clock in scheduler.test.ts.
import assert from 'node:assert/strict';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { saveLikeExcel } from '../cli/demo/workbooks';
import { delay, nextEvent, startTestCore } from '../test-support/core';
import { workbookBuffer, writeDataFolder } from '../test-support/workbooks';

const liveBook = (rows: Array<[string, number]>) => workbookBuffer([{ name: 'Live', rows: [['Symbol', 'LTP'], ...rows] }]);

async function withHistorical(dataDir: string) {
  await writeDataFolder(dataDir, [['TCS', 100], ['ITC', 50], ['SBIN', 80]], [['TCS', 100], ['ITC', 50], ['SBIN', 80]]);
  await writeFile(path.join(dataDir, '~$Live.xlsx'), 'owner'); // Excel has the workbook open
}

describe('core: watcher → processor → events', () => {
  it('an Excel-style save (temp file, rename; owner file present) yields exactly one cycle and the right snapshot', async () => {
    const { core, dataDir, events } = await startTestCore({ autoStart: true }, {}, withHistorical);
    await nextEvent(core, 'runFinished', (r) => r.trigger === 'schedule'); // the first cycle when auto-processing starts
    await delay(300);
    const before = events.runFinished.length;

    const snapshot = nextEvent(core, 'snapshot');
    await saveLikeExcel(path.join(dataDir, 'Live.xlsx'), await liveBook([['TCS', 101], ['ITC', 49], ['SBIN', 80]]));
    const s = await snapshot;
    assert.deepEqual([s.advances, s.declines, s.unchanged], [1, 1, 1]);
    await delay(800); // anything more the save might have caused
    const runs = events.runFinished.slice(before);
    assert.deepEqual(runs.map((r) => [r.trigger, r.status]), [['watcher', 'ok']]);
  });

  it('a half-written file, then completed, yields the right snapshot and no failed run', async () => {
    const { core, dataDir, events } = await startTestCore({ autoStart: true }, {}, withHistorical);
    await nextEvent(core, 'runFinished', (r) => r.trigger === 'schedule');
    const complete = await liveBook([['TCS', 102], ['ITC', 52], ['SBIN', 79]]);
    const live = path.join(dataDir, 'Live.xlsx');
    const snapshot = nextEvent(core, 'snapshot');
    await writeFile(live, complete.subarray(0, complete.length >> 1)); // a save in progress, in place
    await delay(120);
    await writeFile(live, complete);
    const s = await snapshot;
    assert.deepEqual([s.advances, s.declines, s.unchanged], [2, 1, 0]);
    await delay(500);
    assert.equal(events.runFinished.filter((r) => r.status === 'failed').length, 0);
    const runs = await core.getRuns();
    assert.ok(runs.every((r) => r.status !== 'failed'));
  });

  it('start, stop, interval and process now take effect at once and persist', async () => {
    const { core, dataDir, home } = await startTestCore({ autoStart: false }, {}, withHistorical);
    assert.equal((await core.getStatus()).running, false);
    // Stopped: a save causes no cycle.
    await saveLikeExcel(path.join(dataDir, 'Live.xlsx'), await liveBook([['TCS', 103], ['ITC', 50], ['SBIN', 80]]));
    await delay(600);
    assert.equal((await core.getRuns()).length, 0);

    // Process now works while stopped, at any hour.
    const report = await core.processNow();
    assert.equal(report.status, 'ok');
    assert.equal(report.trigger, 'manual');
    assert.equal((await core.getRuns())[0]!.trigger, 'manual');

    // Start: a cycle at once (the market is open), then every interval.
    const started = nextEvent(core, 'runFinished', (r) => r.trigger === 'schedule');
    assert.equal((await core.start()).running, true);
    await started;
    const status = await core.setInterval(1);
    assert.equal(status.intervalSeconds, 1);
    const t0 = Date.now();
    await nextEvent(core, 'runFinished', (r) => r.trigger === 'schedule', 3_000);
    assert.ok(Date.now() - t0 < 2_500, 'the new interval applies at once');
    const settingsFile = JSON.parse(await readFile(path.join(home, 'settings.json'), 'utf8'));
    assert.deepEqual([settingsFile.autoStart, settingsFile.intervalSeconds], [true, 1]);

    assert.equal((await core.stop()).running, false);
    await delay(100);
    const count = (await core.getRuns()).length;
    await delay(1_500);
    assert.equal((await core.getRuns()).length, count, 'no cycles after stop');
    assert.equal(JSON.parse(await readFile(path.join(home, 'settings.json'), 'utf8')).autoStart, false);
  });

  it('refuses a bad interval or setting with a message naming the field, and keeps the old value', async () => {
    const { core } = await startTestCore({ autoStart: false });
    await assert.rejects(core.setInterval(0), /intervalSeconds: .*1/);
    await assert.rejects(core.updateSettings({ exchange: { ...(await core.getSettings()).exchange, zone: 'Mars/Olympus' } }), /exchange\.zone/);
    assert.equal((await core.getStatus()).intervalSeconds, 3600);
  });
});

describe('core: a stale feed', () => {
  it('is reported once, when Live has not changed for the threshold during the session, and clears with the next change', async () => {
    const { core, dataDir, events } = await startTestCore({ autoStart: true, staleAfterSeconds: 5 }, {}, (dir) => writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]));
    await nextEvent(core, 'runFinished', (r) => r.trigger === 'schedule' && r.status === 'ok');
    const changedAt = Date.parse((await core.getStatus()).feed.lastChangeAt!);
    const stale = await nextEvent(core, 'feedStale', () => true, 15_000);
    assert.equal(stale.lastChangeAt, new Date(changedAt).toISOString());
    assert.ok(stale.ageSeconds! >= 5, `age ${stale.ageSeconds}`);
    assert.ok(Date.now() - changedAt < 9_000, 'reported at the threshold, not later');
    assert.equal((await core.getStatus()).feed.stale, true);

    const fresh = nextEvent(core, 'status', (s) => !s.feed.stale, 15_000);
    await saveLikeExcel(path.join(dataDir, 'Live.xlsx'), await workbookBuffer([{ name: 'Live', rows: [['Symbol', 'LTP'], ['TCS', 102]] }]));
    await fresh;
    assert.equal(events.feedStale.length, 1, 'one report per stale spell');
  });
});

describe('core: holidays', () => {
  it('imports an NSE holiday CSV into the exchange profile; a bad file changes nothing', async () => {
    const { core, home } = await startTestCore({ autoStart: false });
    const csv = 'Sr. No,Date,Day,Description\n1,26-Jan-2026,Monday,Republic Day\n2,03-Mar-2026,Tuesday,Holi\n';
    const settings = await core.importHolidays('NSE_holidays_2026.csv', csv);
    assert.deepEqual(settings.exchange.holidays, ['2026-01-26', '2026-03-03']);
    assert.deepEqual(JSON.parse(await readFile(path.join(home, 'settings.json'), 'utf8')).exchange.holidays, ['2026-01-26', '2026-03-03']);
    await assert.rejects(core.importHolidays('bad.csv', 'Date\nsoon\n'), /bad\.csv/);
    assert.deepEqual((await core.getSettings()).exchange.holidays, ['2026-01-26', '2026-03-03']);
  });
});

const NOT_A_WORKBOOK = 'Live.xlsx is not an Excel workbook (no zip structure: a CSV or other file renamed .xlsx?)';

describe('core: failures', () => {
  it('the breaker opens after 5 failed cycles, pauses automatic cycles, then a success closes it', async () => {
    const { core, dataDir, events } = await startTestCore({ autoStart: true, intervalSeconds: 1 }, { breaker: { failureThreshold: 5, pauseMs: 1_500 } }, async (dir) => {
      await writeFile(path.join(dir, 'Live.xlsx'), 'not a workbook');
    });
    const opened = await nextEvent(core, 'status', (s) => s.breaker.state === 'open', 10_000);
    assert.equal(opened.breaker.consecutiveFailures, 5);
    assert.match(opened.error!, /Automatic cycles paused after 5 failures; next try at \d\d:\d\d:\d\d IST\. Last: Live\.xlsx is not an Excel workbook/);
    const failedSoFar = events.runFinished.length;
    await delay(1_000);
    assert.equal(events.runFinished.length, failedSoFar, 'no automatic cycles while open');

    await writeDataFolder(dataDir, [['TCS', 100]], [['TCS', 101]]);
    const closed = await nextEvent(core, 'status', (s) => s.breaker.state === 'closed' && s.lastRun?.status === 'ok', 6_000);
    assert.equal(closed.breaker.consecutiveFailures, 0);
    assert.equal(closed.error, null);
  });

  it('a processor killed mid-run is restarted, and the next cycle succeeds', async () => {
    const { core, dataDir, events } = await startTestCore({ autoStart: false }, {}, (dir) => writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]));
    const supervisor = core.processorSupervisor;
    const firstPid = supervisor.pid;
    const pending = core.processNow();
    supervisor.killForTest();
    const interrupted = await pending;
    assert.equal(interrupted.status, 'failed');
    assert.match(interrupted.message!, /Cycle interrupted/);
    await nextEvent(core, 'status', (s) => s.processor.health === 'up', 10_000);
    const status = await core.getStatus();
    assert.equal(status.processor.restarts, 1);
    assert.match(status.processor.lastCrash!, /stopped unexpectedly/);
    assert.notEqual(supervisor.pid, firstPid);
    assert.ok(events.error.some((e) => /stopped unexpectedly/.test(e.message)));
    const next = await core.processNow();
    assert.equal(next.status, 'ok');
    assert.equal(next.snapshot!.advances, 1);
    void dataDir;
  });

  it('a bad workbook leaves what is stored intact', async () => {
    const { core, dataDir } = await startTestCore({ autoStart: false }, {}, (dir) => writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]));
    await core.processNow();
    const good = await core.getLatestSnapshot();
    await rename(path.join(dataDir, 'Live.xlsx'), path.join(dataDir, 'Live.old'));
    await writeFile(path.join(dataDir, 'Live.xlsx'), 'garbage');
    const failed = await core.processNow();
    assert.equal(failed.status, 'failed');
    assert.deepEqual(await core.getLatestSnapshot(), good);
    assert.equal((await core.getStatus()).error, NOT_A_WORKBOOK);
  });
});
