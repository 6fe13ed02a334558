// Save-to-event: from the rename that completes an Excel-style save to the snapshot event
// leaving the core, through the real watcher (chokidar) and the real processor process.
import path from 'node:path';
import type { ProcessorEntry } from '../../core/processor/node-processor';
import { saveLikeExcel } from '../demo/workbooks';
import { median, percentile, round1 } from './stats';
import { startWatchedCore } from './watched-core';

export interface LatencyFigures {
  symbols: number;
  saves: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export async function benchSaveToEvent(symbols: number, saves: number, workDir: string, entry: ProcessorEntry): Promise<LatencyFigures> {
  const { core, dataDir, variants } = await startWatchedCore(path.join(workDir, `latency-${symbols}`), symbols, entry);
  const latencies: number[] = [];
  try {
    await new Promise((r) => setTimeout(r, 500)); // the first scheduled cycle
    for (let i = 0; i < saves; i++) {
      const snapshot = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no snapshot within 5 s of save ${i + 1}`)), 5_000);
        core.once('snapshot', () => {
          clearTimeout(timer);
          resolve(performance.now());
        });
      });
      await saveLikeExcel(path.join(dataDir, 'Live.xlsx'), variants[i % 7]!);
      const saved = performance.now(); // the rename that completes the save is done
      latencies.push((await snapshot) - saved);
      await new Promise((r) => setTimeout(r, 150));
    }
  } finally {
    await core.shutdown();
  }
  return { symbols, saves, medianMs: round1(median(latencies)), p95Ms: round1(percentile(latencies, 95)), maxMs: round1(Math.max(...latencies)) };
}
