// The command line as a user runs it: a real process, real files, exit codes and messages.
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { assertOneLineError, breadth } from '../test-support/cli';
import { tempDir, writeDataFolder, writeWorkbook } from '../test-support/workbooks';

describe('breadth once', () => {
  it('--json prints exactly one JSON object with the snapshot', async () => {
    const dir = await tempDir();
    await writeDataFolder(dir, [['TCS', 100], ['ITC', 50], ['SBIN', 80], ['LT', 30]], [['TCS', 101, 1000], ['ITC', 49, 500], ['SBIN', 80, 20], ['NSE:XYZ', 5], [null as unknown as string, 3]]);
    const result = await breadth(['once', '--data', dir, '--db', path.join(dir, 'db', 'b.sqlite'), '--json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]!);
    assert.match(out.tradeDate, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(!Number.isNaN(Date.parse(out.pollTime)));
    assert.deepEqual(
      { a: out.advances, d: out.declines, u: out.unchanged, t: out.total, ap: out.advPct, dp: out.declPct, r: out.adRatio, diff: out.adDiff, s: out.sentiment },
      { a: 1, d: 1, u: 1, t: 3, ap: 33.33, dp: 33.33, r: 1, diff: 0, s: 'BEARISH' },
    );
    assert.deepEqual(
      { universe: out.coverage.universe, priced: out.coverage.priced, missing: out.coverage.missing, unknown: out.coverage.unknown },
      { universe: 4, priced: 3, missing: 1, unknown: 1 },
    );
    assert.deepEqual(out.rejected, [
      { file: 'live', row: 5, symbol: 'XYZ', reason: 'unknown symbol (not in Historical)' },
      { file: 'live', row: 6, symbol: null, reason: 'no symbol' },
    ]);
  });

  it('without --json prints a readable summary', async () => {
    const dir = await tempDir();
    await writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]);
    const result = await breadth(['once', '--data', dir, '--db', path.join(dir, 'b.sqlite')]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Advances\s+1\s+100\.00%/);
    assert.match(result.stdout, /Coverage\s+1 \/ 1 priced/);
  });

  describe('bad input: exit 2 and one line that says why', () => {
    const cases: Array<[string, (dir: string) => Promise<void>, RegExp]> = [
      ['missing Live file', async (dir) => {
        await writeWorkbook(path.join(dir, 'Historical.xlsx'), [['Symbol', 'Prev Close'], ['TCS', 1]]);
      }, /^breadth: No Live file in .+: expected Live\.xlsx, Live\.xlsm or Live\.csv$/],
      ['truncated workbook', async (dir) => {
        const file = await writeWorkbook(path.join(dir, 'Live.xlsx'), [['Symbol', 'LTP'], ['TCS', 1]]);
        const bytes = await readFile(file);
        await writeFile(file, bytes.subarray(0, bytes.length >> 1));
      }, /^breadth: Live\.xlsx is not a readable workbook \(truncated or corrupt\)$/],
      ['empty file', async (dir) => {
        await writeFile(path.join(dir, 'Live.xlsx'), '');
      }, /^breadth: Live\.xlsx is empty \(0 bytes\)/],
      ['empty sheet', async (dir) => {
        await writeWorkbook(path.join(dir, 'Live.xlsx'), [{ name: 'Sheet1', rows: [] }]);
      }, /^breadth: Live\.xlsx has no recognisable header in the first 20 rows/],
      ['headerless sheet', async (dir) => {
        await writeWorkbook(path.join(dir, 'Live.xlsx'), [['Foo', 'Bar'], ['TCS', 1]]);
      }, /^breadth: Live\.xlsx has no recognisable header .*symbol column \(Symbol, Stock.*price column \(LTP, /],
      ['no price column', async (dir) => {
        await writeWorkbook(path.join(dir, 'Live.xlsx'), [['Symbol', 'Volume', 'Sector'], ['TCS', 1, 'IT']]);
      }, /^breadth: Live\.xlsx \(sheet "Sheet1"\) has no price column: found Symbol, Volume, Sector; expected one of LTP, Last Traded Price/],
      ['no valid row', async (dir) => {
        await writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 0], ['ITC', '-']]);
      }, /^breadth: No symbol could be priced: 2 rows rejected \(1 × live price not positive \(0\); 1 × no live price\)$/],
      ['missing folder', async () => undefined, /^breadth: Data folder .*nowhere does not exist$/],
    ];
    for (const [name, prepare, pattern] of cases) {
      it(name, async () => {
        const dir = await tempDir();
        const dataDir = name === 'missing folder' ? path.join(dir, 'nowhere') : path.join(dir, 'data');
        if (name !== 'missing folder') await mkdir(dataDir);
        await prepare(dataDir);
        assertOneLineError(await breadth(['once', '--data', dataDir, '--db', path.join(dir, 'b.sqlite'), '--json']), pattern);
      });
    }

    it('a wrong command line', async () => {
      assertOneLineError(await breadth(['once']), /^breadth: --data is required$/);
      assertOneLineError(await breadth(['once', '--data', '.', '--colour']), /^breadth: Unknown option '--colour'/);
      assertOneLineError(await breadth(['sing']), /^breadth: Unknown command "sing"/);
      assertOneLineError(await breadth(['demo-feed', '--data', '.', '--symbols', 'lots']), /^breadth: --symbols must be a whole number from 1 to 20000 \(got "lots"\)$/);
    });
  });

  it('keeps the database in the user data directory by default, not in the data folder', async () => {
    const dir = await tempDir();
    const dataDir = path.join(dir, 'live_data');
    await mkdir(dataDir);
    await writeDataFolder(dataDir, [['TCS', 100]], [['TCS', 101]]);
    const home = path.join(dir, 'home');
    const result = await breadth(['once', '--data', dataDir], { LIVEBREADTH_HOME: '', XDG_CONFIG_HOME: path.join(home, '.config'), HOME: home });
    assert.equal(result.code, 0, result.stderr);
    await readFile(path.join(home, '.config', 'LiveBreadth', 'breadth.sqlite')); // exists
  });
});

describe('breadth demo-feed', () => {
  it('writes Historical once and Live on each refresh, Excel-style, readable by once', async () => {
    const dir = await tempDir();
    const result = await breadth(['demo-feed', '--data', dir, '--symbols', '30', '--count', '2', '--every', '0.2']);
    assert.equal(result.code, 0, result.stderr);
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual((await readdir(dir)).sort(), ['Historical.xlsx', 'Live.xlsx', '~$Live.xlsx']); // no temp files left
    const once = await breadth(['once', '--data', dir, '--db', path.join(dir, '..', 'demo.sqlite'), '--json']);
    const out = JSON.parse(once.stdout);
    assert.equal(out.total, 30);
    assert.equal(out.coverage.universe, 30);
    assert.ok(out.advances + out.declines > 0, 'prices moved');
  });
});

describe('breadth bench', () => {
  it('smoke: small sizes print one JSON object with every figure and its target', async () => {
    const result = await breadth(['bench', '--sizes', '20,40', '--cycles', '3', '--soak', '15', '--saves', '2', '--series-points', '300', '--processor', 'source', '--bad-inputs', '25', '--history', '10', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.deepEqual(out.cycle.map((c: { symbols: number; cycles: number }) => [c.symbols, c.cycles]), [[20, 3], [40, 3]]);
    for (const c of out.cycle) {
      assert.ok(c.medianMs > 0 && c.p95Ms >= c.medianMs && c.floorMs > 0 && c.floorMultiple > 0 && c.cpuMsPerCycle > 0 && c.peakRssMb > 10 && c.ticksPerCycle > 0, JSON.stringify(c));
    }
    assert.equal(out.soak.cycles, 15);
    assert.ok(out.soak.peakRssMb >= out.cycle[1].peakRssMb, "the soak's peak covers the whole life of the processor");
    assert.equal(out.processor.kind, 'source');
    assert.deepEqual(out.saveToEvent.map((l: { symbols: number; saves: number }) => [l.symbols, l.saves]), [[20, 2], [40, 2]]);
    assert.ok(out.saveToEvent.every((l: { p95Ms: number }) => l.p95Ms > 0 && l.p95Ms < 5_000));
    assert.equal(out.queries.seriesSnapshots, 300);
    assert.equal(out.queries.tableRows, 40);
    assert.ok(out.offMarket.wakeUps > 0 && out.offMarket.cyclesRun === 0, 'sleeps off-market, no cycles');
    assert.ok(out.targets.length >= 4 && out.targets.every((t: { met: boolean }) => typeof t.met === 'boolean'));
    // Bad inputs: each hostile workbook read by a fresh processor, timed and measured.
    type BadInput = { name: string; wallMs: number; peakRssMb: number; status: string; message: string | null };
    const bad = out.badInputs as { cases: BadInput[]; worstMs: number; worstRssMb: number; oversizeMb: number };
    assert.equal(bad.oversizeMb, 25);
    assert.ok(bad.cases.length >= 15 && bad.cases.every((c) => c.wallMs > 0 && c.peakRssMb > 10 && ['ok', 'failed'].includes(c.status)), JSON.stringify(bad.cases));
    assert.match(bad.cases.find((c) => c.name.startsWith('.xls'))!.message!, /Excel 97-2003/);
    assert.equal(bad.worstMs, Math.max(...bad.cases.map((c) => c.wallMs)));
    assert.ok(out.targets.some((t: { figure: string }) => t.figure.startsWith('worst bad input peak RSS')));
    // The history import: its rates and the live cycles' wait during it.
    assert.deepEqual([out.history.sessions, out.history.symbols], [10, 2000]);
    assert.ok(out.history.coldSessionsPerSecond > 0 && out.history.warmSessionsPerSecond > 0 && out.history.cycles > 0, JSON.stringify(out.history));
    assert.ok(out.targets.some((t: { figure: string }) => t.figure === 'longest live-cycle wait during a history import (ms)'));
  });
});
