// `demo`: the app's main job out of the box — the demo feed writing into a sample folder, the
// headless host processing it round the clock, and the dashboard's address printed.
import path from 'node:path';
import { feedFromOptions, runFeedLoop, type DemoFeedCliOptions } from './demo-feed';
import { startServe, type ServeOptions } from './serve';

export async function runDemo(options: DemoFeedCliOptions & ServeOptions): Promise<number> {
  const dataDir = path.resolve(options.data ?? 'live_data');
  const { feed, everyMs, count } = feedFromOptions(options, dataDir);
  await feed.writeHistorical();
  const { core, server } = await startServe({ ...options, data: dataDir, 'always-open': true });
  process.stdout.write(`demo: ${feed.market.stocks.length} symbols written to ${dataDir} every ${everyMs / 1000} s\n`);
  process.stdout.write(`Dashboard: ${server.dashboardUrl}\n`);
  process.stdout.write('Ctrl+C to stop.\n');
  core.on('runFinished', (r) => {
    const s = r.snapshot;
    process.stdout.write(r.status === 'failed' ? `failed: ${r.message}\n`
      : `${r.startedAt}  A ${s?.advances} · D ${s?.declines} · U ${s?.unchanged} · A/D ${s?.adRatio ?? '—'} · ${s?.sentiment}${r.status === 'unchanged' ? ' (unchanged)' : ''}\n`);
  });
  try {
    await runFeedLoop(feed, everyMs, count, () => undefined);
  } finally {
    await server.close();
    await core.shutdown();
  }
  return 0;
}
