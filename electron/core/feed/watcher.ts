// Watches the data folder (not single files: Excel replaces the file on every save) and says
// once per completed save that Live or Historical changed. When the folder goes away (deleted,
// renamed, replaced by a file, a share dropped) or is not there at start, it says so, looks for
// it every few seconds, and watches again when it is back.
import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import { classifyDataFile } from '../../processor/reader/files';
import { systemClock, type Clock } from '../clock/clock';
import { fileLooksComplete } from './file-complete';
import { folderProblem, probeFolder, sameFolder, type FolderProbe } from './folder-probe';

export interface WatcherOptions {
  dataDir: string;
  liveFileName: string;
  historicalFileName: string;
  usePolling: boolean;
  /** Settling, re-reads and looking for a missing folder run on it (default: the system's). */
  clock?: Clock;
  /** How long to let a burst of events (rename, unlink, add) settle before looking. */
  settleMs?: number;
  /** Give up waiting for a complete file after this long and let the cycle report it. */
  maxWaitMs?: number;
  /** While the folder is missing, look for it this often. */
  recheckMs?: number;
}

export interface WatcherEvents {
  live: [{ path: string; modifiedAt: Date }];
  historical: [{ path: string }];
  /** The folder cannot be watched; `message` says why, for the status. Once per new reason. */
  folderMissing: [{ dataDir: string; message: string }];
  /** Watching again after `folderMissing`. Files already in the folder follow as live/historical. */
  folderBack: [{ dataDir: string }];
  error: [Error];
}

export class FolderWatcher extends EventEmitter<WatcherEvents> {
  private watcher: FSWatcher | null = null;
  private watched: FolderProbe | null = null;
  private readonly pending = new Map<'live' | 'historical', { timer: unknown; path: string; since: number }>();
  private recheckTimer: unknown = null;
  private currentProblem: string | null = null;
  private closed = false;
  /** Arming, verifying and closing run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  private verifyQueued = false;
  private rewatchQueued = false;

  private readonly clock: Clock;

  constructor(private readonly options: WatcherOptions) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  /** Why the folder cannot be watched right now, or null while it is watched. */
  get problem(): string | null {
    return this.currentProblem;
  }

  /** Live or Historical by the reader's own naming rules, so both always agree. */
  kindOf(file: string): 'live' | 'historical' | null {
    return classifyDataFile(path.basename(file), { live: this.options.liveFileName, historical: this.options.historicalFileName });
  }

  /** Resolves once watching, or once the folder is reported missing (it is then looked for). */
  async start(): Promise<void> {
    await this.enqueue(() => this.arm(true));
  }

  /** Runs `step` after the ones before it; a step that throws is reported as an error event. */
  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((error: Error) => {
      // Outside the chain: an 'error' nobody listens to throws, and must not stop later steps.
      if (!this.closed) setImmediate(() => this.emit('error', error));
    });
    return this.queue;
  }

  /** Watch the folder if it is there; otherwise report it and look again later. */
  private async arm(initial: boolean): Promise<void> {
    this.recheckTimer = null;
    if (this.closed) return;
    const probe = await probeFolder(this.options.dataDir);
    if (this.closed) return;
    if (probe.kind !== 'folder') return this.waitForFolder(probe);

    const dir = this.options.dataDir;
    const watcher = chokidar.watch(dir, {
      // At start the core reads Live's time itself; a folder that comes back (or is replaced)
      // with Live in it is a change, so its files are announced like saves.
      ignoreInitial: initial,
      depth: 0,
      usePolling: this.options.usePolling,
      interval: 500,
      binaryInterval: 500,
      ignored: (file, stats) => file !== dir && (stats?.isDirectory() ?? false),
    });
    this.watcher = watcher;
    this.watched = probe;
    const onFile = (file: string) => {
      const kind = this.kindOf(file);
      if (kind) this.schedule(kind, file);
    };
    watcher.on('add', onFile).on('change', onFile);
    // The folder itself went or changed. chokidar 4 on Linux always gives a raw event naming it
    // (native: its name; polling: its path), but unlinkDir only sometimes (not when its files
    // were there before the watch began, nor for an empty folder renamed away).
    const self = path.basename(dir);
    // After unlinkDir chokidar has forgotten the folder: watch afresh even if one is back already
    // (on a file system without birth times a new folder may get the old inode).
    watcher.on('unlinkDir', (p) => { if (path.resolve(p) === path.resolve(dir)) this.requestVerify(true); });
    watcher.on('raw', (_event, p) => { if (path.basename(p) === self) this.requestVerify(); });
    watcher.on('error', (error) => void this.onWatchError(error as Error));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    if (this.closed) return;
    // It may have gone between the look and the watch.
    if (!sameFolder(probe, await probeFolder(dir))) return this.rearm();
    if (this.closed) return;
    if (this.currentProblem !== null) {
      this.currentProblem = null;
      this.emit('folderBack', { dataDir: dir });
    }
  }

  private waitForFolder(probe: FolderProbe): void {
    const message = folderProblem(this.options.dataDir, probe)!;
    if (message !== this.currentProblem) {
      this.currentProblem = message;
      this.emit('folderMissing', { dataDir: this.options.dataDir, message });
    }
    // Not unref'd: waiting for the folder keeps the process alive, as a live watch does.
    this.recheckTimer = this.clock.setTimeout(() => void this.enqueue(() => this.arm(false)), this.options.recheckMs ?? 3_000);
  }

  /**
   * Is the watched folder still there? No event comes when a parent folder is renamed (seen on
   * Linux) or, on Windows, when a watched folder is deleted (chokidar drops that EPERM), so the
   * owner asks when it is awake anyway (the core: after each cycle the watcher did not cause)
   * instead of a timer waking the app off-market. One stat and open; a folder gone is reported
   * and waited for; a different folder at the same path is watched afresh.
   */
  checkFolder(): void {
    this.requestVerify();
  }

  /**
   * Many events arrive together when a folder goes: look once for all of them. `rewatch`: the
   * watch is dead whatever the folder looks like now.
   */
  private requestVerify(rewatch = false): void {
    this.rewatchQueued ||= rewatch;
    if (this.verifyQueued || this.closed) return;
    this.verifyQueued = true;
    void this.enqueue(async () => {
      const force = this.rewatchQueued;
      this.verifyQueued = false;
      this.rewatchQueued = false;
      await this.verify(force);
    });
  }

  /** True while the watched folder is still there and the same; otherwise watch afresh. */
  private async verify(rewatch = false): Promise<boolean> {
    if (this.closed || !this.watcher) return true;
    if (!rewatch && sameFolder(this.watched, await probeFolder(this.options.dataDir))) return true;
    if (this.closed) return true;
    await this.rearm();
    return false;
  }

  private async onWatchError(error: Error): Promise<void> {
    let folderFine = true;
    await this.enqueue(async () => {
      folderFine = await this.verify();
    });
    // A missing folder is reported as such; anything else is a real watching error.
    if (folderFine && !this.closed) this.emit('error', error);
  }

  /** Drop the dead watch (and any save half-seen in it), then watch whatever is there now. */
  private async rearm(): Promise<void> {
    await this.disarm();
    if (!this.closed) await this.arm(false);
  }

  private async disarm(): Promise<void> {
    for (const { timer } of this.pending.values()) this.clock.clearTimeout(timer);
    this.pending.clear();
    const watcher = this.watcher;
    this.watcher = null;
    this.watched = null;
    await watcher?.close();
  }

  private schedule(kind: 'live' | 'historical', file: string): void {
    const existing = this.pending.get(kind);
    if (existing) this.clock.clearTimeout(existing.timer);
    const since = existing?.since ?? this.clock.now().getTime();
    const timer = this.clock.setTimeout(() => void this.check(kind), this.options.settleMs ?? 15);
    this.pending.set(kind, { timer, path: file, since });
  }

  private async check(kind: 'live' | 'historical'): Promise<void> {
    const entry = this.pending.get(kind);
    if (!entry) return;
    const complete = await fileLooksComplete(entry.path, this.clock);
    if (this.pending.get(kind) !== entry) return; // a newer event took over
    if (!complete && this.clock.now().getTime() - entry.since < (this.options.maxWaitMs ?? 2_000)) {
      entry.timer = this.clock.setTimeout(() => void this.check(kind), 25);
      return;
    }
    this.pending.delete(kind);
    if (kind === 'historical') {
      this.emit('historical', { path: entry.path });
      return;
    }
    let modifiedAt = this.clock.now();
    try {
      modifiedAt = (await stat(entry.path)).mtime;
    } catch {
      // renamed away again already; the cycle will find the newest file
    }
    this.emit('live', { path: entry.path, modifiedAt });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clock.clearTimeout(this.recheckTimer);
    this.recheckTimer = null;
    await this.queue;
    await this.disarm();
  }
}
