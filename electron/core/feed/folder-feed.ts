// feed/: the live feed — the data folder watched for saves, and whether Live is still changing.
// May import shared/, clock/ and the processor's data-file naming rules (reader/files.ts).
// Here: the data folder the settings name, watched: saves of Live and Historical, the folder
// going missing and coming back, and a look at the folder after each cycle the watcher did not
// cause. A new folder (or file names, or polling) means a new watch.
import type { CycleReport } from '../../../shared/processor-protocol';
import type { Settings } from '../../../shared/settings';
import { findDataFiles } from '../../processor/reader/files';
import type { Clock } from '../clock/clock';
import { FolderWatcher } from './watcher';

export interface FolderFeedOptions {
  clock: Clock;
  settings: () => Settings;
  /** A completed save of Live, with its modification time. */
  onLive: (modifiedAt: Date) => void;
  onHistorical: () => void;
  /** Something the user must know: the folder is missing, or cannot be watched. One line. */
  onProblem: (message: string) => void;
  /** A problem said earlier no longer holds: the folder is back, or another one is watched. */
  onProblemGone: (message: string) => void;
}

export class FolderFeed {
  private watcher: FolderWatcher | null = null;
  /** Watching anew and closing run one at a time: two at once would leave a watch behind. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: FolderFeedOptions) {}

  /**
   * Watches the folder the settings name now, in place of the one watched before. Resolves with
   * Live's modification time as a cycle would find it (same names, case and extensions), or
   * null when there is no Live (or no folder) yet.
   */
  watch(): Promise<Date | null> {
    const next = this.queue.then(() => this.rewatch());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async rewatch(): Promise<Date | null> {
    if (this.closed) return null;
    const old = this.watcher;
    // The old folder's "missing" message does not apply to the new one.
    if (old?.problem) this.options.onProblemGone(old.problem);
    await old?.close();
    const s = this.options.settings();
    const watcher = new FolderWatcher({
      dataDir: s.dataDir,
      liveFileName: s.liveFileName,
      historicalFileName: s.historicalFileName,
      usePolling: s.usePolling,
      clock: this.options.clock,
    });
    watcher.on('live', ({ modifiedAt }) => this.options.onLive(modifiedAt));
    watcher.on('historical', () => this.options.onHistorical());
    watcher.on('error', (error) => this.options.onProblem(`Watching ${s.dataDir} failed: ${error.message}`));
    // While the folder is gone the status says so; when it is back the watcher announces the
    // files in it as changes (Live's time comes with the 'live' event), so the feed recovers.
    let missing: string | null = null;
    watcher.on('folderMissing', ({ message }) => {
      missing = message;
      this.options.onProblem(message);
    });
    watcher.on('folderBack', () => {
      const gone = missing;
      missing = null;
      if (gone !== null) this.options.onProblemGone(gone);
    });
    this.watcher = watcher;
    try {
      await watcher.start();
    } catch (error) {
      this.options.onProblem(`Cannot watch ${s.dataDir}: ${(error as Error).message}`);
    }
    return liveModifiedAt(s);
  }

  /**
   * No event comes when a parent folder is renamed, or (Windows) a watched folder deleted: each
   * cycle the watcher did not cause has it look (one stat), so nothing wakes the app for it.
   */
  cycleFinished(report: CycleReport): void {
    if (report.trigger !== 'watcher') this.watcher?.checkFolder();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.close();
  }
}

async function liveModifiedAt(s: Settings): Promise<Date | null> {
  try {
    const { live } = await findDataFiles(s.dataDir, { live: s.liveFileName, historical: s.historicalFileName });
    return new Date(live.mtimeMs);
  } catch {
    return null; // no Live yet, or no folder: the status bar says so
  }
}
