// `bench`: cycle time per universe size — read Live, compute, write the snapshot and changed
// ticks, Historical cached — with Live rewritten between cycles as a real save would.
import { mkdir, rm, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BreadthProcessor } from '../../processor/cycle';
import { openWriteDatabase } from '../../processor/store/database';
import { DemoFeed } from '../demo/feed';
import { integerOption, UsageError } from '../usage';

export interface BenchOptions {
  sizes?: string;
  cycles?: string;
  json?: boolean;
}

export interface CycleBench {
  symbols: number;
  cycles: number;
  medianMs: number;
  p95Ms: number;
  ticksPerCycle: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number) => Math.round(n * 10) / 10;

export async function benchCycles(symbols: number, cycles: number, workDir: string): Promise<CycleBench> {
  const dataDir = path.join(workDir, `data-${symbols}`);
  await mkdir(dataDir, { recursive: true });
  const feed = new DemoFeed({ dataDir, symbols });
  await feed.writeHistorical();
  const db = openWriteDatabase(path.join(workDir, `bench-${symbols}.sqlite`));
  const processor = new BreadthProcessor(db, { dataDir });
  const times: number[] = [];
  let ticks = 0;
  const warmUp = 3;
  try {
    for (let i = 0; i < cycles + warmUp; i++) {
      await feed.writeLive(); // not timed: the broker's save
      const started = performance.now();
      const result = await processor.runCycle('manual', new Date(Date.UTC(2026, 10, 20, 4, 0, i)));
      const elapsed = performance.now() - started;
      if (result.status !== 'ok') throw new Error(`bench cycle ${i} was ${result.status}: ${result.message}`);
      if (i >= warmUp) {
        times.push(elapsed);
        ticks += result.ticksStored;
      }
    }
  } finally {
    db.close();
  }
  times.sort((a, b) => a - b);
  return { symbols, cycles, medianMs: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), ticksPerCycle: Math.round(ticks / cycles) };
}

export async function runBench(options: BenchOptions): Promise<number> {
  const sizes = (options.sizes ?? '204,2000,5000').split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 20_000) throw new UsageError(`--sizes takes whole numbers from 1 to 20000 (got "${s}")`);
    return n;
  });
  const cycles = integerOption(options.cycles, 'cycles', 50, 1, 10_000);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'livebreadth-bench-'));
  try {
    const results: CycleBench[] = [];
    for (const size of sizes) results.push(await benchCycles(size, cycles, workDir));
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ cycle: results })}\n`);
    } else {
      process.stdout.write('cycle time (read Live + compute + write; Historical cached)\n');
      process.stdout.write('symbols   cycles   median ms   p95 ms   ticks/cycle\n');
      for (const r of results) {
        process.stdout.write(`${String(r.symbols).padStart(7)}  ${String(r.cycles).padStart(7)}  ${String(r.medianMs).padStart(10)}  ${String(r.p95Ms).padStart(7)}  ${String(r.ticksPerCycle).padStart(12)}\n`);
      }
    }
    return 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
