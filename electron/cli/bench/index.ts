// `bench`: the performance figures the live path is held to, each against its target.
// Writes only inside a temp directory, removed at the end.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { integerOption, UsageError } from '../usage';
import { benchCycles, type CycleFigures, type SoakFigures } from './cycles';
import { benchSaveToEvent, type LatencyFigures } from './latency';
import { benchOffMarket, type OffMarketFigures } from './off-market';
import { benchQueries, type QueryFigures } from './queries';
import { benchMainThread, mainThreadLines, seedToday, type MainThreadFigures } from './main-thread';
import { badInputLines, benchBadInputs, type BadInputFigures } from './bad-inputs';
import { benchHistory, historyLines, type HistoryBenchFigures } from './history';
import { LIMITS } from '../../processor/reader/limits';
import { entryBuiltAt, processorEntry } from '../../core/processor/node-processor';
import { queryWorkerEntry } from '../../core/queries/query-worker-entry';

export interface BenchOptions {
  sizes?: string;
  cycles?: string;
  soak?: string;
  saves?: string;
  'series-points'?: string;
  processor?: string;
  /** MB of the oversized parts in the bad-input corpus (default 1024, the 1 GB attack); 0 skips it. */
  'bad-inputs'?: string;
  /** Sessions of the history-import part (default 250); 0 skips it. */
  history?: string;
  json?: boolean;
}

export interface BenchReport {
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  /** Which processor was measured: the bundle the app ships, or the source under tsx. */
  processor: { kind: 'source' | 'built'; file: string; builtAt: string | null; execArgv: string[] };
  cycle: CycleFigures[];
  soak: SoakFigures | null;
  saveToEvent: LatencyFigures[];
  queries: QueryFigures;
  /** The main thread's longest block per snapshot, at the smallest and the largest size. */
  mainThread: MainThreadFigures[];
  offMarket: OffMarketFigures;
  badInputs: BadInputFigures | null;
  history: HistoryBenchFigures | null;
  targets: Array<{ figure: string; value: number; target: string; met: boolean }>;
}

/** The targets, on a 2-core machine; a size not named has no target of its own. */
function targets(r: Omit<BenchReport, 'targets'>): BenchReport['targets'] {
  const out: BenchReport['targets'] = [];
  const add = (figure: string, value: number, target: string, met: boolean) => out.push({ figure, value, target, met });
  for (const c of r.cycle) {
    if (c.symbols === 204) add('cycle median, 204 symbols (ms)', c.medianMs, '≤ 8', c.medianMs <= 8);
    if (c.symbols === 5000) add('cycle median, 5,000 symbols (ms)', c.medianMs, '≤ 60', c.medianMs <= 60);
    if (c.symbols === 204 || c.symbols === 5000) add(`cycle ÷ floor, ${c.symbols} symbols (×)`, c.floorMultiple, '≤ 3', c.floorMultiple <= 3);
    if (c.symbols === 5000) {
      // The peak over the processor's life: the soak, when it ran at this size, included.
      const peak = r.soak?.symbols === 5000 ? Math.max(c.peakRssMb, r.soak.peakRssMb) : c.peakRssMb;
      add('processor peak RSS, 5,000 symbols (MB)', peak, '≤ 150', peak <= 150);
    }
  }
  for (const l of r.saveToEvent) add(`save-to-event p95, ${l.symbols} symbols (ms)`, l.p95Ms, '≤ 250', l.p95Ms <= 250);
  add(`day series query, ${r.queries.seriesSnapshots} snapshots (ms)`, r.queries.seriesMs, '≤ 30', r.queries.seriesMs <= 30);
  add(`stock table query, ${r.queries.tableRows} rows (ms)`, r.queries.tableMs, '≤ 30', r.queries.tableMs <= 30);
  for (const m of r.mainThread) add(`main thread's longest block per snapshot p99, ${m.symbols} symbols (ms)`, m.p99Ms, '≤ 10', m.p99Ms <= 10);
  if (r.soak) {
    // "No growth": within 10 MB (allocator and SQLite page-cache noise) over the soak.
    add(`RSS growth over ${r.soak.cycles} cycles, ${r.soak.symbols} symbols (MB)`, r.soak.growthMb, '≤ 10', r.soak.growthMb <= 10);
  }
  add('off-market timer wake-ups per hour', r.offMarket.wakeUpsPerHour, '≤ 60', r.offMarket.wakeUpsPerHour <= 60);
  if (r.badInputs) {
    add(`worst bad input, ${r.badInputs.cases.length} workbooks (ms)`, r.badInputs.worstMs, '≤ 2000', r.badInputs.worstMs <= 2000);
    add('worst bad input peak RSS (MB)', r.badInputs.worstRssMb, '≤ 300', r.badInputs.worstRssMb <= 300);
  }
  if (r.history) {
    const h = r.history;
    add(`history import from the archive, cold, ${h.sessions} × ${h.symbols} (sessions/s)`, h.coldSessionsPerSecond, '≥ 5', h.coldSessionsPerSecond >= 5);
    add(`history import from the cache, warm, ${h.sessions} × ${h.symbols} (sessions/s)`, h.warmSessionsPerSecond, '≥ 10', h.warmSessionsPerSecond >= 10);
    add('longest live-cycle wait during a history import (ms)', h.maxWaitMs, '< 50', h.maxWaitMs < 50);
  }
  return out;
}

function table(report: BenchReport): string {
  const lines: string[] = [];
  const row = (cells: Array<string | number>, widths: number[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
  lines.push(`LiveBreadth benchmark — ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}`);
  const p = report.processor;
  const flags = p.execArgv.filter((a) => a.startsWith('--max') || a.startsWith('--expose')).join(' ');
  lines.push(p.kind === 'built'
    ? `processor: the built bundle ${path.relative(process.cwd(), p.file)} (built ${p.builtAt}) ${flags}`
    : `processor: the TypeScript source under tsx ${flags} (no build found: tsx's loader adds ~25 MB and some CPU; npm run bench builds first)`);
  lines.push('');
  lines.push('cycle (read Live + compute + write snapshot and changed ticks; Historical cached; in the processor process)');
  const w = [8, 7, 10, 8, 9, 8, 11, 10, 12];
  lines.push(row(['symbols', 'cycles', 'median ms', 'p95 ms', 'floor ms', '× floor', 'CPU ms/cyc', 'peak RSS', 'ticks/cycle'], w));
  for (const c of report.cycle) lines.push(row([c.symbols, c.cycles, c.medianMs, c.p95Ms, c.floorMs, c.floorMultiple, c.cpuMsPerCycle, `${c.peakRssMb} MB`, c.ticksPerCycle], w));
  lines.push('  floor: unzip the whole Live workbook (fflate) and walk its sheet XML once');
  if (report.soak) {
    const s = report.soak;
    lines.push(`soak: ${s.cycles} cycles at ${s.symbols} symbols — median RSS, first → last tenth, ${s.rssAfterWarmUpMb} → ${s.rssAtEndMb} MB (${s.growthMb >= 0 ? '+' : ''}${s.growthMb}), heap ${s.heapAfterWarmUpMb} → ${s.heapAtEndMb} MB, peak RSS ${s.peakRssMb} MB`);
  }
  lines.push('');
  lines.push('save-to-event (rename that completes an Excel-style save → snapshot event, real watcher + processor)');
  for (const l of report.saveToEvent) lines.push(`  ${l.symbols} symbols, ${l.saves} saves: median ${l.medianMs} ms, p95 ${l.p95Ms} ms, max ${l.maxMs} ms`);
  lines.push('');
  const q = report.queries;
  lines.push(`queries: day series (${q.seriesSnapshots} snapshots) ${q.seriesMs} ms; stock table (${q.tableRows} rows) ${q.tableMs} ms`);
  lines.push(`  asked of the query worker (round trip, answer finished on the main thread): day series ${q.workerSeriesMs} ms; stock table ${q.workerTableMs} ms`);
  lines.push('');
  lines.push(...mainThreadLines(report.mainThread));
  lines.push('');
  const o = report.offMarket;
  lines.push(`off-market: ${o.wakeUps} timer wake-ups over ${o.simulatedHours} simulated hours (${o.wakeUpsPerHour}/h, shortest gap ${o.shortestGapSeconds} s), ${o.cyclesRun} cycles`);
  if (report.badInputs) {
    lines.push('');
    lines.push(...badInputLines(report.badInputs));
  }
  if (report.history) {
    lines.push('');
    lines.push(...historyLines(report.history));
  }
  lines.push('');
  lines.push('targets');
  for (const t of report.targets) lines.push(`  ${t.met ? 'met ' : 'MISS'}  ${t.figure}: ${t.value} (target ${t.target})`);
  return `${lines.join('\n')}\n`;
}

export async function runBench(options: BenchOptions): Promise<number> {
  const sizes = (options.sizes ?? '204,2000,5000').split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 20_000) throw new UsageError(`--sizes takes whole numbers from 1 to 20000 (got "${s}")`);
    return n;
  });
  const cycles = integerOption(options.cycles, 'cycles', 100, 1, 100_000);
  const soakCycles = integerOption(options.soak, 'soak', 1000, 0, 1_000_000);
  const saves = integerOption(options.saves, 'saves', 30, 1, 10_000);
  const seriesPoints = integerOption(options['series-points'], 'series-points', 22_501, 1, 200_000);
  const badInputMb = integerOption(options['bad-inputs'], 'bad-inputs', 1024, 0, 4096);
  const historySessions = integerOption(options.history, 'history', 250, 0, 2500);
  const capMb = LIMITS.partBytes / (1024 * 1024);
  if (badInputMb > 0 && badInputMb <= capMb) {
    throw new UsageError(`--bad-inputs takes 0 (skip) or a size in MB above the ${capMb} MB part cap, so the oversized cases are oversized (got "${options['bad-inputs']}")`);
  }
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'livebreadth-bench-'));
  const progress = (text: string) => {
    if (!options.json) process.stderr.write(`… ${text}\n`);
  };
  if (options.processor !== undefined && options.processor !== 'built' && options.processor !== 'source') {
    throw new UsageError(`--processor takes built or source (got "${options.processor}")`);
  }
  const entry = processorEntry(options.processor === 'source' ? 'source' : 'built');
  try {
    const cycle: CycleFigures[] = [];
    let soak: SoakFigures | null = null;
    let largestDb = '';
    const largest = Math.max(...sizes);
    for (const size of sizes) {
      progress(`cycles at ${size} symbols${size === largest && soakCycles ? `, then a ${soakCycles}-cycle soak` : ''}`);
      const result = await benchCycles(size, cycles, workDir, size === largest ? soakCycles : 0, entry);
      cycle.push(result.cycle);
      if (result.soak) soak = result.soak;
      if (size === largest) largestDb = result.dbPath;
    }
    const saveToEvent: LatencyFigures[] = [];
    for (const size of [...new Set([Math.min(...sizes), largest])]) {
      progress(`save-to-event at ${size} symbols`);
      saveToEvent.push(await benchSaveToEvent(size, saves, workDir, entry));
    }
    progress(`queries (seeding a ${seriesPoints}-snapshot day)`);
    const seriesDb = path.join(workDir, 'series.sqlite');
    const queries = await benchQueries(seriesDb, seedToday(seriesDb, seriesPoints), largestDb, queryWorkerEntry(entry.kind));
    const mainThread: MainThreadFigures[] = [];
    for (const size of [...new Set([Math.min(...sizes), largest])]) {
      progress(`main thread's longest block per snapshot at ${size} symbols`);
      mainThread.push(await benchMainThread(size, saves, workDir, entry, seriesDb));
    }
    const offMarket = benchOffMarket();
    const badInputs = badInputMb > 0 ? await benchBadInputs(workDir, entry, badInputMb, progress) : null;
    const history = historySessions > 0 ? await benchHistory(workDir, { sessions: historySessions }, progress) : null;
    const cpu = os.cpus();
    const builtAt = entryBuiltAt(entry);
    const base = {
      machine: { cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown', node: process.versions.node, platform: `${process.platform}-${process.arch}` },
      processor: { kind: entry.kind, file: entry.file, builtAt: builtAt && builtAt.toISOString(), execArgv: entry.execArgv },
      cycle, soak, saveToEvent, queries, mainThread, offMarket, badInputs, history,
    };
    const report: BenchReport = { ...base, targets: targets(base) };
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : table(report));
    return 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
