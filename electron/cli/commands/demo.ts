// `demo`: the demo feed into a sample folder and a cycle after each save, printed as it goes.
import path from 'node:path';
import { defaultDatabasePath } from '../../core/paths';
import { BreadthProcessor } from '../../processor/cycle';
import { openWriteDatabase } from '../../processor/store/database';
import { formatOneLine } from '../format';
import { feedFromOptions, runFeedLoop, type DemoFeedCliOptions } from './demo-feed';

export async function runDemo(options: DemoFeedCliOptions & { db?: string }): Promise<number> {
  const dataDir = path.resolve(options.data ?? 'live_data');
  const dbPath = options.db ? path.resolve(options.db) : defaultDatabasePath();
  const { feed, everyMs, count } = feedFromOptions(options, dataDir);
  await feed.writeHistorical();
  const db = openWriteDatabase(dbPath);
  const processor = new BreadthProcessor(db, { dataDir });
  process.stdout.write(`demo: ${feed.market.stocks.length} symbols into ${dataDir}, database ${dbPath}. Ctrl+C to stop.\n`);
  try {
    await runFeedLoop(feed, everyMs, count, async () => {
      process.stdout.write(`${formatOneLine(await processor.runCycle('watcher'))}\n`);
    });
  } finally {
    db.close();
  }
  return 0;
}
