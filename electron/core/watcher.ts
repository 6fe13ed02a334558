// Watches the data folder (not single files: Excel replaces the file on every save) and says
// once per completed save that Live or Historical changed.
import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import { classifyDataFile } from '../processor/reader/files';
import { fileLooksComplete } from './file-complete';

export interface WatcherOptions {
  dataDir: string;
  liveFileName: string;
  historicalFileName: string;
  usePolling: boolean;
  /** How long to let a burst of events (rename, unlink, add) settle before looking. */
  settleMs?: number;
  /** Give up waiting for a complete file after this long and let the cycle report it. */
  maxWaitMs?: number;
}

export interface WatcherEvents {
  live: [{ path: string; modifiedAt: Date }];
  historical: [{ path: string }];
  error: [Error];
}

export class FolderWatcher extends EventEmitter<WatcherEvents> {
  private watcher: FSWatcher | null = null;
  private readonly pending = new Map<'live' | 'historical', { timer: NodeJS.Timeout; path: string; since: number }>();

  constructor(private readonly options: WatcherOptions) {
    super();
  }

  /** Live or Historical by the reader's own naming rules, so both always agree. */
  kindOf(file: string): 'live' | 'historical' | null {
    return classifyDataFile(path.basename(file), { live: this.options.liveFileName, historical: this.options.historicalFileName });
  }

  async start(): Promise<void> {
    const watcher = chokidar.watch(this.options.dataDir, {
      ignoreInitial: true,
      depth: 0,
      usePolling: this.options.usePolling,
      interval: 500,
      binaryInterval: 500,
      ignored: (file, stats) => file !== this.options.dataDir && (stats?.isDirectory() ?? false),
    });
    this.watcher = watcher;
    const onFile = (file: string) => {
      const kind = this.kindOf(file);
      if (kind) this.schedule(kind, file);
    };
    watcher.on('add', onFile).on('change', onFile);
    watcher.on('error', (error) => this.emit('error', error as Error));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  private schedule(kind: 'live' | 'historical', file: string): void {
    const existing = this.pending.get(kind);
    if (existing) clearTimeout(existing.timer);
    const since = existing?.since ?? Date.now();
    const timer = setTimeout(() => void this.check(kind), this.options.settleMs ?? 15);
    this.pending.set(kind, { timer, path: file, since });
  }

  private async check(kind: 'live' | 'historical'): Promise<void> {
    const entry = this.pending.get(kind);
    if (!entry) return;
    const complete = await fileLooksComplete(entry.path);
    if (this.pending.get(kind) !== entry) return; // a newer event took over
    if (!complete && Date.now() - entry.since < (this.options.maxWaitMs ?? 2_000)) {
      entry.timer = setTimeout(() => void this.check(kind), 25);
      return;
    }
    this.pending.delete(kind);
    if (kind === 'historical') {
      this.emit('historical', { path: entry.path });
      return;
    }
    let modifiedAt = new Date();
    try {
      modifiedAt = (await stat(entry.path)).mtime;
    } catch {
      // renamed away again already; the cycle will find the newest file
    }
    this.emit('live', { path: entry.path, modifiedAt });
  }

  async close(): Promise<void> {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await this.watcher?.close();
    this.watcher = null;
  }
}
