// Cycle time per universe size, measured inside the real processor process (a Node child, as
// under the headless host), with Live rewritten Excel-style between cycles; the floor (unzip the
// workbook and scan its sheet XML once); the processor's CPU time and peak memory; a soak.
import { strFromU8, unzipSync } from 'fflate';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { launchNodeProcessor, type ProcessorEntry } from '../../core/processor/node-processor';
import { ProcessorClient } from '../../core/processor/processor-client';
import { DemoFeed } from '../demo/feed';
import { liveWorkbook, saveLikeExcel } from '../demo/workbooks';
import type { ProcessorStats } from '../../../shared/processor-protocol';
import { median, percentile, round1, timeIt } from './stats';

export interface CycleFigures {
  symbols: number;
  cycles: number;
  medianMs: number;
  p95Ms: number;
  floorMs: number;
  /** median cycle ÷ floor */
  floorMultiple: number;
  cpuMsPerCycle: number;
  peakRssMb: number;
  ticksPerCycle: number;
}

export interface SoakFigures {
  symbols: number;
  cycles: number;
  rssAfterWarmUpMb: number;
  rssAtEndMb: number;
  growthMb: number;
  heapAfterWarmUpMb: number;
  heapAtEndMb: number;
  /** The processor's peak RSS over its whole life, soak included. */
  peakRssMb: number;
}

/** Distinct Live workbooks to rotate through, so every cycle reads new prices. */
export async function liveVariants(feed: DemoFeed, count: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    feed.market.step();
    out.push(await liveWorkbook(feed.market.stocks, `10:${String(i % 60).padStart(2, '0')}:00`));
  }
  return out;
}

/** The floor: unzip the whole workbook and walk its sheet XML once, cell by cell. */
export function unzipAndWalk(workbook: Buffer): void {
  const bytes = new Uint8Array(workbook.buffer, workbook.byteOffset, workbook.byteLength);
  const parts = unzipSync(bytes);
  const xml = strFromU8(parts['xl/worksheets/sheet1.xml']!);
  let cells = 0;
  for (let at = xml.indexOf('<c '); at >= 0; at = xml.indexOf('<c ', at + 3)) cells++;
  if (cells === 0) throw new Error('no cells in the benchmark workbook');
}

const MB = 1024 * 1024;

export async function startProcessor(dataDir: string, dbPath: string, entry: ProcessorEntry): Promise<ProcessorClient> {
  const client = new ProcessorClient(launchNodeProcessor(entry));
  await client.ready;
  await client.request({
    type: 'configure',
    settings: { dataDir, dbPath, liveFileName: 'Live', historicalFileName: 'Historical', exchangeZone: 'Asia/Kolkata', retryDelaysMs: [20, 50, 100] },
  });
  return client;
}

export async function benchCycles(symbols: number, cycles: number, workDir: string, soakCycles: number, entry: ProcessorEntry): Promise<{ cycle: CycleFigures; soak: SoakFigures | null; dbPath: string }> {
  const dataDir = path.join(workDir, `data-${symbols}`);
  await mkdir(dataDir, { recursive: true });
  const feed = new DemoFeed({ dataDir, symbols, ownerFile: true });
  await feed.writeHistorical();
  const variants = await liveVariants(feed, 8);
  const livePath = path.join(dataDir, 'Live.xlsx');
  const dbPath = path.join(workDir, `bench-${symbols}.sqlite`);
  const client = await startProcessor(dataDir, dbPath, entry);
  let n = 0;
  const cycle = async () => {
    await saveLikeExcel(livePath, variants[n++ % variants.length]!); // the broker's save: not timed
    const report = await client.request({ type: 'runCycle', trigger: 'manual' });
    if (report.status !== 'ok') throw new Error(`bench cycle ${n} was ${report.status}: ${report.message}`);
    return report;
  };
  try {
    // Warm-up: Historical cached, caches primed, and enough cycles for V8 to optimise the hot
    // path at small sizes too (the app runs all day; the steady state is what a trader pays).
    for (let i = 0; i < 20; i++) await cycle();
    timeIt(() => unzipAndWalk(variants[0]!), 0, 20); // the floor's warm-up, likewise
    const before = await client.request({ type: 'stats' });
    const durations: number[] = [];
    const floors: number[] = [];
    let ticks = 0;
    for (let i = 0; i < cycles; i++) {
      const report = await cycle();
      durations.push(report.durationMs);
      ticks += report.ticksStored;
      // The floor is timed between cycles on the same workbook, so a noisy stretch of a shared
      // machine slows both sides of the ratio alike.
      floors.push(...timeIt(() => unzipAndWalk(variants[(n - 1) % variants.length]!), 1, 0));
    }
    const after = await client.request({ type: 'stats' });
    const floor = median(floors);
    const medianMs = median(durations);
    const figures: CycleFigures = {
      symbols,
      cycles,
      medianMs: round1(medianMs),
      p95Ms: round1(percentile(durations, 95)),
      floorMs: round1(floor),
      floorMultiple: round1(medianMs / floor),
      cpuMsPerCycle: round1((after.cpuUserMicros - before.cpuUserMicros + after.cpuSystemMicros - before.cpuSystemMicros) / 1000 / cycles),
      peakRssMb: round1(after.maxRssBytes / MB),
      ticksPerCycle: Math.round(ticks / cycles),
    };
    let soak: SoakFigures | null = null;
    if (soakCycles > 0) {
      // RSS saws up and down with garbage collection, so one sample at each end says more about
      // where the GC happened to be than about growth. Sample every few cycles and compare the
      // median of the first tenth after warm-up with the median of the last tenth.
      const warm = Math.min(100, Math.floor(soakCycles / 10));
      const every = Math.max(1, Math.floor(soakCycles / 200));
      for (let i = 0; i < warm; i++) await cycle();
      const samples: ProcessorStats[] = [];
      for (let i = warm; i < soakCycles; i++) {
        await cycle();
        if ((i - warm) % every === 0 || i === soakCycles - 1) samples.push(await client.request({ type: 'stats' }));
      }
      const tenth = Math.max(1, Math.floor(samples.length / 10));
      const early = samples.slice(0, tenth);
      const late = samples.slice(-tenth);
      const mb = (values: ProcessorStats[], pick: (s: ProcessorStats) => number) => round1(median(values.map(pick)) / MB);
      const rssEarly = mb(early, (s) => s.rssBytes);
      const rssLate = mb(late, (s) => s.rssBytes);
      soak = {
        symbols,
        cycles: soakCycles,
        rssAfterWarmUpMb: rssEarly,
        rssAtEndMb: rssLate,
        growthMb: round1(rssLate - rssEarly),
        heapAfterWarmUpMb: mb(early, (s) => s.heapUsedBytes),
        heapAtEndMb: mb(late, (s) => s.heapUsedBytes),
        peakRssMb: round1(samples.at(-1)!.maxRssBytes / MB),
      };
    }
    return { cycle: figures, soak, dbPath };
  } finally {
    await client.request({ type: 'shutdown' }).catch(() => undefined);
  }
}
