// How long a live cycle waits while a job runs: a real ProcessorService with real cycles on a
// real workbook, asked for a cycle every cycleEveryMs while a job whose chunks take applyMs
// runs flat out. A cycle's wait is from when it was due (as a request arriving over IPC would
// be) to when the processor began it: the chunk in hand, plus anything else in the queue.
// For the bench (`npm run bench`) and for the test beside it.
import ExcelJS from 'exceljs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { ProcessorRequest } from '../../../shared/processor-protocol';
import { ProcessorService } from '../service';
import { JobRegistry } from './registry';
import { WRITE_ROWS_KIND, writeRowsJob } from './test-support/write-rows-job';

export interface CycleWaitOptions {
  /** Cycles measured while the job runs. */
  cycles?: number;
  cycleEveryMs?: number;
  /** Synchronous work per chunk inside the processor's queue. */
  applyMs?: number;
  /** Symbols in the workbooks the cycles read. */
  symbols?: number;
  /** Where the database and workbooks go; a temp folder, removed afterwards, when absent. */
  workDir?: string;
}

export interface CycleWaitFigures {
  cycles: number;
  /** Chunks the job applied while the cycles ran. */
  chunks: number;
  applyMs: number;
  maxWaitMs: number;
  p99WaitMs: number;
  medianWaitMs: number;
  /** The longest a chunk held the queue (its apply, the item's mark, the commit and any checkpoint it set off). */
  maxChunkMs: number;
  /** The same cycles with no job running: the floor. */
  idleMaxWaitMs: number;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

async function workbook(file: string, header: string[], rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(path.basename(file, '.xlsx'));
  sheet.addRow(header);
  sheet.addRows(rows);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Historical once and two Live variants to alternate, so every cycle has new prices to store. */
async function writeFeed(dir: string, symbols: number): Promise<Buffer[]> {
  const names = Array.from({ length: symbols }, (_, i) => `SYM${i}`);
  await writeFile(path.join(dir, 'Historical.xlsx'), await workbook('Historical.xlsx', ['Symbol', 'Prev Close'], names.map((s, i) => [s, 100 + i])));
  return Promise.all([0.5, -0.5].map((shift) =>
    workbook('Live.xlsx', ['Symbol', 'LTP', 'Volume'], names.map((s, i) => [s, 100 + i + shift * ((i % 3) - 1), 1000 + i]))));
}

export async function measureCycleWait(options: CycleWaitOptions = {}): Promise<CycleWaitFigures> {
  const cycles = options.cycles ?? 50;
  const cycleEveryMs = options.cycleEveryMs ?? 100;
  const applyMs = options.applyMs ?? 20;
  const ownDir = options.workDir === undefined;
  const dir = options.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'livebreadth-wait-')));
  const dbPath = path.join(dir, 'wait.sqlite');
  const variants = await writeFeed(dir, options.symbols ?? 500);

  let dueAt = 0;
  const waits: number[] = [];
  let maxChunkMs = 0;
  const service = new ProcessorService(() => undefined, {
    jobKinds: new JobRegistry([writeRowsJob()]),
    jobs: { onChunk: (ms) => (maxChunkMs = Math.max(maxChunkMs, ms)) },
    onQueueWait: (type) => {
      if (type === 'runCycle') waits.push(performance.now() - dueAt);
    },
  });
  let id = 1;
  const request = (body: Record<string, unknown>) => service.handle({ ...body, id: id++ } as ProcessorRequest);

  const runCycles = async (count: number): Promise<number[]> => {
    waits.length = 0;
    let next = performance.now();
    for (let i = 0; i < count; i++) {
      const live = path.join(dir, 'Live.xlsx');
      // The broker's save, done here for want of Excel: its file system round trips (each behind a
      // chunk) are not the cycle's wait, so a cycle is due no earlier than the save is done.
      await writeFile(`${live}.tmp`, variants[i % variants.length]!);
      await rename(`${live}.tmp`, live);
      next = Math.max(next + cycleEveryMs, performance.now());
      await delay(Math.max(0, next - performance.now()));
      dueAt = next; // when it was due: a timer late behind a chunk counts as waiting too
      const report = (await request({ type: 'runCycle', trigger: 'manual' })) as { status: string; message: string | null };
      if (report.status === 'failed') throw new Error(`A measured cycle failed: ${report.message}`);
    }
    return [...waits];
  };

  try {
    await request({
      type: 'configure',
      settings: { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath, exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] },
    });
    await runCycles(3); // warm: Historical cached, code optimised
    const idle = await runCycles(Math.min(cycles, 20));
    // Enough items to outlast the cycles with chunks back to back: the queue never idles.
    const items = Math.ceil(((cycles + 5) * cycleEveryMs) / Math.max(1, applyMs)) * 2;
    const job = (await request({ type: 'startJob', kind: WRITE_ROWS_KIND, params: { items, rowsPerItem: 5, applyMs } })) as { id: number };
    await delay(cycleEveryMs); // the job under way
    const busy = await runCycles(cycles);
    const { job: after } = (await request({ type: 'getJob', jobId: job.id })) as { job: { state: string; progress: { done: number } } };
    if (after.state !== 'running') throw new Error(`The measuring job ended early (${after.state}): the figures would not be under load`);
    await request({ type: 'cancelJob', jobId: job.id });
    return {
      cycles,
      chunks: after.progress.done,
      applyMs,
      maxWaitMs: round1(Math.max(...busy)),
      p99WaitMs: round1(percentile(busy, 99)),
      medianWaitMs: round1(percentile(busy, 50)),
      maxChunkMs: round1(maxChunkMs),
      idleMaxWaitMs: round1(Math.max(...idle)),
    };
  } finally {
    await request({ type: 'shutdown' }).catch(() => undefined);
    if (ownDir) await rm(dir, { recursive: true, force: true });
  }
}
