// The main thread's longest block per snapshot: a real core (watcher, processor process,
// queries) on a database that already holds a full day's series, Live saved Excel-style, and at
// each snapshot what dashboards ask of the core. In the desktop app this thread is Electron's
// main process: a block there is a frozen window.
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tradeDateOf } from '../../../shared/exchange-time';
import type { LiveBreadthCore } from '../../core/app-core';
import { ROUND_THE_CLOCK } from '../../core/launch-core';
import type { ProcessorEntry } from '../../core/processor/node-processor';
import { saveLikeExcel } from '../demo/workbooks';
import { seedSeries } from './queries';
import { median, percentile, round1 } from './stats';
import { startWatchedCore } from './watched-core';

export interface MainThreadFigures {
  symbols: number;
  snapshots: number;
  /** Points in the day's series the dashboards read (the seeded day plus the cycles run). */
  seriesPoints: number;
  /** The longest event-loop block in each snapshot's window, over the snapshots. */
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  /** All event-loop delay samples (1 ms resolution) over the measured snapshots. */
  loopP99Ms: number;
  /**
   * Not in the blocks above: the longest JSON.stringify of one answer (the last snapshot's,
   * median of 5), the headless host's wire, timed after the snapshots so its garbage is not
   * collected inside them. Electron's IPC clones the same objects on the same thread. Where
   * the query runs does not change it; the size of the answer does.
   */
  wireMs: number;
}

/** A day already in the database: `points` snapshots one second apart, ending now, on today's trade date. */
export function seedToday(dbPath: string, points: number): string {
  const now = Date.now();
  return seedSeries(dbPath, points, { tradeDate: tradeDateOf(new Date(now), ROUND_THE_CLOCK.zone), firstPoll: now - points * 1000 });
}

/**
 * What dashboards ask at a snapshot: the live dashboard's refresh (useDashboard: the stock
 * table; the run log on runFinished), and a dashboard opening or reconnecting (its load: the
 * day's series, the latest snapshot, the stock table, the days and the run log). Each call
 * starts in a task of its own but all are queued at once, as the host's WebSocket hands over
 * calls that arrived in one read.
 */
function dashboardCalls(core: LiveBreadthCore, tradeDate: string): Promise<unknown[]> {
  const calls: Array<() => Promise<unknown>> = [
    () => core.getLatestStocks(tradeDate),
    () => core.getRuns(100),
    () => core.getSeries(),
    () => core.getLatestStocks(),
    () => core.getLatestSnapshot(tradeDate),
    () => core.getDays(),
    () => core.getRuns(100),
  ];
  return Promise.all(calls.map((call) => new Promise((resolve) => setImmediate(resolve)).then(call)));
}

const WARM_UP = 3;

export async function benchMainThread(
  symbols: number, snapshots: number, workDir: string, entry: ProcessorEntry, seededDb: string,
): Promise<MainThreadFigures> {
  const { core, dataDir, variants } = await startWatchedCore(path.join(workDir, `main-thread-${symbols}`), symbols, entry, seededDb);
  const window = monitorEventLoopDelay({ resolution: 1 });
  const whole = monitorEventLoopDelay({ resolution: 1 });
  const longest: number[] = [];
  let answers: unknown[] = [];
  try {
    await new Promise((r) => setTimeout(r, 500)); // the first scheduled cycle
    window.enable();
    for (let i = 0; i < WARM_UP + snapshots; i++) {
      const measured = i >= WARM_UP;
      if (measured && i === WARM_UP) whole.enable();
      const answered = new Promise<unknown[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no snapshot within 5 s of save ${i + 1}`)), 5_000);
        core.once('snapshot', (snapshot) => {
          clearTimeout(timer);
          resolve(dashboardCalls(core, snapshot.tradeDate));
        });
      });
      window.reset();
      await saveLikeExcel(path.join(dataDir, 'Live.xlsx'), variants[i % 7]!);
      const results = await answered;
      await new Promise((r) => setTimeout(r, 30)); // what follows the answers (status, GC) counts too
      // Dropped like a host drops them once sent (kept, they would be promoted and collected
      // in later snapshots' windows); the last are kept to time the wire.
      if (i === WARM_UP + snapshots - 1) answers = results;
      if (measured) longest.push(window.max / 1e6);
      // Saves closer together than chokidar's 100 ms atomic-write window can merge into one
      // event; the feed saves every second or more (the latency part waits as long).
      await new Promise((r) => setTimeout(r, 120));
    }
  } finally {
    window.disable();
    whole.disable();
    await core.shutdown();
  }
  const wire = Array.from({ length: 5 }, () => Math.max(...answers.map((answer) => {
    const t = performance.now();
    JSON.stringify(answer);
    return performance.now() - t;
  })));
  return {
    symbols, snapshots, seriesPoints: (answers[2] as unknown[]).length,
    medianMs: round1(median(longest)), p99Ms: round1(percentile(longest, 99)), maxMs: round1(Math.max(...longest)),
    loopP99Ms: round1(whole.percentile(99) / 1e6), wireMs: round1(median(wire)),
  };
}

export function mainThreadLines(figures: readonly MainThreadFigures[]): string[] {
  const lines = ['main thread, longest block per snapshot (real core and processor; at each snapshot the live dashboard\'s refresh and a dashboard load with the day\'s series)'];
  for (const m of figures) {
    lines.push(`  ${m.symbols} symbols, ${m.snapshots} snapshots, series of ${m.seriesPoints}: median ${m.medianMs} ms, p99 ${m.p99Ms} ms, max ${m.maxMs} ms; event-loop delay p99 ${m.loopP99Ms} ms; not in them, the wire (JSON of the largest answer) ${m.wireMs} ms`);
  }
  return lines;
}
