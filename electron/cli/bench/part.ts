// One part of the bench alone, to look at it quickly (the whole bench takes minutes):
//   npx tsx electron/cli/bench/part.ts main-thread [--sizes 204,5000] [--snapshots 30] [--series-points 22501] [--processor built|source] [--json]
//   npx tsx electron/cli/bench/part.ts queries [--sizes 5000] [--series-points 22501] [--processor built|source] [--json]
// Same measurements and lines as `bench`; writes only inside a temp directory.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { processorEntry } from '../../core/processor/node-processor';
import { queryWorkerEntry } from '../../core/queries/query-worker-entry';
import { benchCycles } from './cycles';
import { benchMainThread, mainThreadLines, seedToday, type MainThreadFigures } from './main-thread';
import { benchQueries } from './queries';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      sizes: { type: 'string', default: '204,5000' },
      snapshots: { type: 'string', default: '30' },
      'series-points': { type: 'string', default: '22501' },
      processor: { type: 'string', default: 'built' },
      json: { type: 'boolean', default: false },
    },
  });
  const part = positionals[0];
  if (part !== 'main-thread' && part !== 'queries') throw new Error('part.ts takes main-thread or queries');
  const sizes = values.sizes.split(',').map(Number);
  const entry = processorEntry(values.processor === 'source' ? 'source' : 'built');
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'livebreadth-bench-'));
  try {
    const seriesDb = path.join(workDir, 'series.sqlite');
    const tradeDate = seedToday(seriesDb, Number(values['series-points']));
    if (part === 'queries') {
      const largest = Math.max(...sizes);
      const { dbPath } = await benchCycles(largest, 3, workDir, 0, entry);
      const q = await benchQueries(seriesDb, tradeDate, dbPath, queryWorkerEntry(entry.kind));
      process.stdout.write(values.json ? `${JSON.stringify({ queries: q })}\n`
        : `queries: day series (${q.seriesSnapshots} snapshots) ${q.seriesMs} ms; stock table (${q.tableRows} rows) ${q.tableMs} ms\n`
          + `  asked of the query worker: day series ${q.workerSeriesMs} ms; stock table ${q.workerTableMs} ms\n`);
      return;
    }
    const mainThread: MainThreadFigures[] = [];
    for (const size of sizes) mainThread.push(await benchMainThread(size, Number(values.snapshots), workDir, entry, seriesDb));
    process.stdout.write(values.json ? `${JSON.stringify({ mainThread })}\n` : `${mainThreadLines(mainThread).join('\n')}\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench part: ${error.message}\n`);
  process.exitCode = 1;
});
