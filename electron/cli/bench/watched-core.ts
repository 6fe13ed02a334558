// A real core watching a demo feed's folder, for the bench parts that time what a save sets
// off: the Live variants are built first (the demo's exceljs writer is Excel's work, not the
// app's), auto-processing is on round the clock with an hourly interval, so only saves run cycles.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { LiveBreadthCore } from '../../core/app-core';
import { ROUND_THE_CLOCK } from '../../core/launch-core';
import { launchNodeProcessor, type ProcessorEntry } from '../../core/processor/node-processor';
import { SettingsStore, defaultSettings } from '../../core/settings/settings-store';
import { DemoFeed } from '../demo/feed';
import { saveLikeExcel } from '../demo/workbooks';
import { liveVariants } from './cycles';

export interface WatchedCore {
  core: LiveBreadthCore;
  dataDir: string;
  variants: Buffer[];
}

/** `seededDb`: a database to start from (copied), e.g. one already holding a full day. */
export async function startWatchedCore(home: string, symbols: number, entry: ProcessorEntry, seededDb?: string): Promise<WatchedCore> {
  const dataDir = path.join(home, 'live_data');
  await mkdir(dataDir, { recursive: true });
  const dbPath = path.join(home, 'breadth.sqlite');
  if (seededDb) await copyFile(seededDb, dbPath);
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
  const core = new LiveBreadthCore({ settings, dbPath, launch: () => launchNodeProcessor(entry) });
  await core.init();
  return { core, dataDir, variants };
}
