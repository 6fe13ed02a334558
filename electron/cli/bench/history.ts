// The bench's history part: the history-import job's rate from the loopback archive (cold: every
// session downloaded; the archive in its own process, as a remote server would be) and from the
// download cache (warm), the database's growth, the cold rebuild of the per-symbol figures, and
// the longest wait of a live cycle (a real Live workbook, one every 100 ms) while an import runs.
// The job runs in a real ProcessorService in this process, as measure-wait.ts runs the queue's.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { JobDetail, JobRecord } from '../../../shared/jobs';
import { NSE_PROFILE } from '../../../shared/market-calendar';
import type { ProcessorRequest } from '../../../shared/processor-protocol';
import { HISTORY_IMPORT_KIND, historyImportJob, INDICATOR_DAYS_PER_CHUNK } from '../../processor/history/import-job';
import type { HistoryImportInput } from '../../processor/history/import-params';
import { tradingDaysBetween } from '../../../shared/history/trading-days';
import { recomputeIndicators } from '../../processor/history/store';
import { JobRegistry } from '../../processor/jobs/registry';
import { ProcessorService } from '../../processor/service';
import { openWriteDatabase } from '../../processor/store/database';
import { DemoFeed } from '../demo/feed';
import { saveLikeExcel } from '../demo/workbooks';
import { liveVariants } from './cycles';
import { median, percentile, round1 } from './stats';

const ARCHIVE_SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../processor/history/sources/testing/archive-server.ts');
const ARCHIVE_FROM = '2024-01-01';
const ARCHIVE_TO = '2026-12-31';

export interface HistoryBenchOptions {
  /** Sessions imported (default 250: a year). */
  sessions?: number;
  /** Symbols in each bhavcopy, and in the Live workbook the cycles read (default 2,000). */
  symbols?: number;
  cycleEveryMs?: number;
}

export interface HistoryBenchFigures {
  sessions: number;
  symbols: number;
  /** From the loopback archive, every session downloaded. */
  coldSeconds: number;
  coldSessionsPerSecond: number;
  downloadedMb: number;
  /** From the download cache beside the database, into a new database. */
  warmSeconds: number;
  warmSessionsPerSecond: number;
  /** The database file after the import, less an empty one (checkpointed). */
  dbGrowthMb: number;
  /** Rebuilding every day's per-symbol figures from scratch: in one piece, and in the job's chunks. */
  recomputeMs: number;
  recomputeChunks: number;
  recomputeLongestChunkMs: number;
  /** Live cycles while a forced re-import runs (replaced days, then the figures' chunks). */
  cycles: number;
  chunks: number;
  maxWaitMs: number;
  p99WaitMs: number;
  medianWaitMs: number;
  maxChunkMs: number;
  /** The same cycles with no job: the floor. */
  idleMaxWaitMs: number;
}

/** The loopback archive in its own process: its CPU is not the processor's, as a remote server's is not. */
async function startArchive(symbols: number): Promise<{ baseUrl: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ARCHIVE_SERVER, '--port', '0', '--symbols', String(symbols), '--from', ARCHIVE_FROM, '--to', ARCHIVE_TO], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { baseUrl: line.toString().trim(), child };
}

const fileMb = (file: string) => statSync(file).size / (1024 * 1024);

/** A processor service with the import kind on NSE's weekdays (the loopback archive's calendar). */
function service(onQueueWait?: (type: string, waitedMs: number) => void, onChunk?: (ms: number) => void) {
  const jobs: JobRecord[] = [];
  const kinds = new JobRegistry([historyImportJob({ environment: () => ({ exchange: NSE_PROFILE, dataDir: null, historicalFileName: 'Historical' }) })]);
  const s = new ProcessorService((event) => event.type === 'jobProgress' && jobs.push(event.job), { jobKinds: kinds, jobs: { onChunk }, onQueueWait });
  let id = 1;
  const request = <T>(body: Record<string, unknown>) => s.handle({ ...body, id: id++ } as ProcessorRequest) as Promise<T>;
  const configure = (dataDir: string, dbPath: string) => request({
    type: 'configure',
    settings: { dataDir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath, exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] },
  });
  /** Starts an import and resolves when it ends (pushed events, not polled); throws unless it completed. */
  const importRange = async (params: HistoryImportInput): Promise<{ seconds: number; detail: JobDetail }> => {
    const started = performance.now();
    const job = await request<JobRecord>({ type: 'startJob', kind: HISTORY_IMPORT_KIND, params });
    while (!jobs.some((j) => j.id === job.id && ['completed', 'failed', 'dead', 'cancelled'].includes(j.state))) await delay(5);
    const seconds = (performance.now() - started) / 1000;
    const detail = await request<JobDetail>({ type: 'getJob', jobId: job.id });
    if (detail.job.state !== 'completed') throw new Error(`The measured import ended ${detail.job.state}: ${detail.job.lastError}`);
    return { seconds, detail };
  };
  return { request, configure, importRange, shutdown: () => request({ type: 'shutdown' }) };
}

export async function benchHistory(workDir: string, options: HistoryBenchOptions = {}, progress: (text: string) => void = () => undefined): Promise<HistoryBenchFigures> {
  const sessionsWanted = options.sessions ?? 250;
  const symbols = options.symbols ?? 2000;
  const cycleEveryMs = options.cycleEveryMs ?? 100;
  const dir = path.join(workDir, 'history');
  const dataDir = path.join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const sessions = tradingDaysBetween(ARCHIVE_FROM, ARCHIVE_TO, NSE_PROFILE).slice(0, sessionsWanted);
  const range = { from: sessions[0]!, to: sessions.at(-1)!, rateLimitPerSecond: 1000 };
  const archive = await startArchive(symbols);
  try {
    const params: HistoryImportInput = { ...range, sources: [{ kind: 'nse', baseUrl: archive.baseUrl }] };
    const empty = path.join(dir, 'empty.sqlite');
    openWriteDatabase(empty).close();

    progress(`history: importing ${sessions.length} sessions × ${symbols} symbols from the loopback archive (cold)`);
    const coldDb = path.join(dir, 'cold.sqlite');
    const cold = service();
    await cold.configure(dataDir, coldDb);
    const coldRun = await cold.importRange(params);
    await cold.shutdown(); // checkpoints: the file holds everything
    const dbGrowthMb = fileMb(coldDb) - fileMb(empty);

    progress('history: rebuilding the per-symbol figures from scratch');
    const db = openWriteDatabase(coldDb);
    db.exec('DELETE FROM history_indicators');
    let started = performance.now();
    recomputeIndicators(db);
    const recomputeMs = performance.now() - started;
    db.exec('DELETE FROM history_indicators');
    const chunkTimes: number[] = [];
    for (let done = false; !done;) {
      let calls = 0;
      started = performance.now();
      done = db.transaction(() => recomputeIndicators(db, { budgetMs: INDICATOR_DAYS_PER_CHUNK, clock: () => calls++ }))().done;
      chunkTimes.push(performance.now() - started);
    }
    db.close();

    progress('history: importing the same sessions from the download cache (warm)');
    const warmDb = path.join(dir, 'warm.sqlite');
    const warm = service();
    await warm.configure(dataDir, warmDb);
    const warmRun = await warm.importRange(params);
    await warm.shutdown();

    progress(`history: live cycles every ${cycleEveryMs} ms on a ${symbols}-symbol workbook while the import is forced again`);
    const feed = new DemoFeed({ dataDir, symbols, ownerFile: false });
    await feed.writeHistorical();
    const variants = await liveVariants(feed, 4);
    let dueAt = 0;
    const waits: number[] = [];
    const chunks: number[] = [];
    let measuring = false;
    const busy = service(
      (type) => {
        if (type === 'runCycle') waits.push(performance.now() - dueAt);
      },
      (ms) => measuring && chunks.push(ms),
    );
    await busy.configure(dataDir, warmDb); // a new processor: the figures' windows are cold
    let n = 0;
    const cycle = async () => {
      // The broker's save is not the cycle's wait: a cycle is due once it is done.
      await saveLikeExcel(path.join(dataDir, 'Live.xlsx'), variants[n++ % variants.length]!);
      const next = Math.max(dueAt + cycleEveryMs, performance.now());
      await delay(Math.max(0, next - performance.now()));
      dueAt = next;
      const report = await busy.request<{ status: string; message: string | null }>({ type: 'runCycle', trigger: 'manual' });
      if (report.status === 'failed') throw new Error(`A measured cycle failed: ${report.message}`);
    };
    for (let i = 0; i < 25; i++) await cycle();
    const idle = waits.splice(0).slice(5); // the first few warm the reader and the code
    measuring = true;
    let importing = true;
    const forced = busy.importRange({ ...params, force: true }).finally(() => (importing = false));
    while (importing) await cycle();
    await forced;
    measuring = false;
    await busy.shutdown();

    return {
      sessions: sessions.length,
      symbols,
      coldSeconds: round1(coldRun.seconds),
      coldSessionsPerSecond: round1(sessions.length / coldRun.seconds),
      downloadedMb: round1((coldRun.detail.job.result as { bytesDownloaded: number }).bytesDownloaded / (1024 * 1024)),
      warmSeconds: round1(warmRun.seconds),
      warmSessionsPerSecond: round1(sessions.length / warmRun.seconds),
      dbGrowthMb: round1(dbGrowthMb),
      recomputeMs: round1(recomputeMs),
      recomputeChunks: chunkTimes.length,
      recomputeLongestChunkMs: round1(Math.max(...chunkTimes)),
      cycles: waits.length,
      chunks: chunks.length,
      maxWaitMs: round1(Math.max(...waits)),
      p99WaitMs: round1(percentile(waits, 99)),
      medianWaitMs: round1(median(waits)),
      maxChunkMs: round1(Math.max(...chunks)),
      idleMaxWaitMs: round1(Math.max(...idle)),
    };
  } finally {
    archive.child.kill();
  }
}

export function historyLines(h: HistoryBenchFigures): string[] {
  return [
    `history import (${h.sessions} sessions × ${h.symbols} symbols, the history-import job in a processor service)`,
    `  from the loopback archive (cold): ${h.coldSeconds} s, ${h.coldSessionsPerSecond} sessions/s, ${h.downloadedMb} MB downloaded`,
    `  from the download cache (warm): ${h.warmSeconds} s, ${h.warmSessionsPerSecond} sessions/s; database +${h.dbGrowthMb} MB`,
    `  per-symbol figures rebuilt from scratch: ${h.recomputeMs} ms in one piece; in ${h.recomputeChunks} chunks of ${INDICATOR_DAYS_PER_CHUNK} days, longest ${h.recomputeLongestChunkMs} ms`,
    `  live cycles during a forced re-import: ${h.cycles} cycles, wait median ${h.medianWaitMs} ms, p99 ${h.p99WaitMs} ms, max ${h.maxWaitMs} ms (longest of ${h.chunks} chunks ${h.maxChunkMs} ms; no job: max ${h.idleMaxWaitMs} ms)`,
  ];
}
