// `demo`: the app's main job out of the box — the demo feed writing into a sample folder, the
// headless host processing it round the clock, and the dashboard's address printed. Ctrl+C (or
// SIGTERM) stops the feed at once, then the host and its processor.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DemoFeed } from '../demo/feed';
import { feedFromOptions, type DemoFeedCliOptions } from './demo-feed';
import { listenForStop } from '../stop-signals';
import { closeAll, startServe, type ServeOptions } from './serve';
import { exchangeClockLabel } from '../../../shared/exchange-time';

/** Saves Live every `everyMs` until `count` saves (0: no limit) or until `signal` aborts, even mid-wait. */
async function feedUntil(feed: DemoFeed, everyMs: number, count: number, signal: AbortSignal): Promise<void> {
  for (let n = 0; !signal.aborted && (count === 0 || n < count); n++) {
    const started = Date.now();
    await feed.writeLive();
    const wait = everyMs - (Date.now() - started);
    if (wait > 0 && (count === 0 || n + 1 < count)) await sleep(wait, undefined, { signal }).catch(() => undefined);
  }
}

export async function runDemo(options: DemoFeedCliOptions & ServeOptions): Promise<number> {
  const dataDir = path.resolve(options.data ?? 'live_data');
  const { feed, everyMs, count } = feedFromOptions(options, dataDir);
  const stop = listenForStop(); // from start-up on: see serve
  const stopped = new AbortController();
  void stop.requested.then(() => stopped.abort());
  try {
    await feed.writeHistorical();
    const { core, server, processorLog } = await startServe({ ...options, data: dataDir, 'always-open': true }, (created) => stop.onForce(() => created.abandon()));
    stop.started();
    if (!stop.isRequested) {
      process.stdout.write(`demo: ${feed.market.stocks.length} symbols written to ${dataDir} every ${everyMs / 1000} s\n`);
      process.stdout.write(`Dashboard: ${server.dashboardUrl}\n`);
      process.stdout.write('Ctrl+C to stop.\n');
    }
    core.on('runFinished', (r) => {
      const s = r.snapshot;
      process.stdout.write(r.status === 'failed' ? `failed: ${r.message}\n`
        : `${exchangeClockLabel(new Date(r.startedAt))}  A ${s?.advances} · D ${s?.declines} · U ${s?.unchanged} · A/D ${s?.adRatio ?? '—'} · ${s?.sentiment}${r.status === 'unchanged' ? ' (unchanged)' : ''}\n`);
    });
    try {
      await feedUntil(feed, everyMs, count, stopped.signal);
    } finally {
      await closeAll(core, server, processorLog);
    }
    return 0;
  } finally {
    stop.dispose();
  }
}
