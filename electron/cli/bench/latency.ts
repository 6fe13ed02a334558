// Save-to-event: from the rename that completes an Excel-style save to the snapshot event
// leaving the core, through the real watcher (chokidar) and the real processor process.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { LiveBreadthCore } from '../../core/app-core';
import { ROUND_THE_CLOCK } from '../../core/launch-core';
import { launchNodeProcessor, type ProcessorEntry } from '../../core/processor/node-processor';
import { SettingsStore, defaultSettings } from '../../core/settings/settings-store';
import { DemoFeed } from '../demo/feed';
import { saveLikeExcel } from '../demo/workbooks';
import { liveVariants } from './cycles';
import { median, percentile, round1 } from './stats';

export interface LatencyFigures {
  symbols: number;
  saves: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export async function benchSaveToEvent(symbols: number, saves: number, workDir: string, entry: ProcessorEntry): Promise<LatencyFigures> {
  const home = path.join(workDir, `latency-${symbols}`);
  const dataDir = path.join(home, 'live_data');
  await mkdir(dataDir, { recursive: true });
  const feed = new DemoFeed({ dataDir, symbols });
  await feed.writeHistorical();
  const variants = await liveVariants(feed, 8);
  await saveLikeExcel(path.join(dataDir, 'Live.xlsx'), variants[7]!);
  const settings = new SettingsStore(path.join(home, 'settings.json'), {
    ...defaultSettings(dataDir),
    exchange: ROUND_THE_CLOCK,
    intervalSeconds: 3600, // only the watcher's cycles
    autoStart: true,
  });
  const core = new LiveBreadthCore({ settings, dbPath: path.join(home, 'breadth.sqlite'), launch: () => launchNodeProcessor(entry) });
  await core.init();
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
