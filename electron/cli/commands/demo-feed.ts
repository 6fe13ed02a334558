// `demo-feed`: a realistic feed into a folder, for first runs, demos, tests and benchmarks.
import path from 'node:path';
import { DemoFeed } from '../demo/feed';
import { integerOption, numberOption, requireOption } from '../usage';

export interface DemoFeedCliOptions {
  data?: string;
  symbols?: string;
  every?: string;
  count?: string;
  seed?: string;
}

export function feedFromOptions(options: DemoFeedCliOptions, dataDir: string): { feed: DemoFeed; everyMs: number; count: number } {
  const symbols = integerOption(options.symbols, 'symbols', 204, 1, 20_000);
  const everyMs = numberOption(options.every, 'every', 3, 0.2, 3600) * 1000;
  const count = integerOption(options.count, 'count', 0, 0, 1_000_000); // 0: until stopped
  const seed = integerOption(options.seed, 'seed', 20261120, 0, 2 ** 31);
  return { feed: new DemoFeed({ dataDir, symbols, seed }), everyMs, count };
}

/** Runs `onSave` after each save; stops after `count` saves (0: until Ctrl+C). */
export async function runFeedLoop(
  feed: DemoFeed,
  everyMs: number,
  count: number,
  onSave: () => Promise<void> | void,
): Promise<void> {
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (let n = 0; !stopped && (count === 0 || n < count); n++) {
      const started = Date.now();
      await feed.writeLive();
      await onSave();
      const wait = everyMs - (Date.now() - started);
      if (wait > 0 && (count === 0 || n + 1 < count)) await new Promise((r) => setTimeout(r, wait));
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export async function runDemoFeed(options: DemoFeedCliOptions): Promise<number> {
  const dataDir = path.resolve(requireOption(options.data, 'data'));
  const { feed, everyMs, count } = feedFromOptions(options, dataDir);
  await feed.writeHistorical();
  process.stdout.write(`demo-feed: ${feed.market.stocks.length} symbols into ${dataDir}, Live every ${everyMs / 1000} s\n`);
  await runFeedLoop(feed, everyMs, count, () => undefined);
  return 0;
}
