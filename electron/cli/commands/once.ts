// `once`: one cycle on a data folder, the snapshot printed as a table or one JSON object.
import path from 'node:path';
import { defaultDatabasePath } from '../../core/paths';
import { BreadthProcessor, type CycleResult } from '../../processor/cycle';
import { openWriterStore, type WriterStore } from '../../processor/store/database';
import { requireOption, UsageError } from '../usage';
import { formatSnapshot } from '../format';

export interface OnceOptions {
  data?: string;
  db?: string;
  json?: boolean;
}

export function snapshotJson(result: CycleResult): Record<string, unknown> {
  const s = result.snapshot!;
  return {
    status: result.status,
    runId: result.runId,
    durationMs: Math.round(result.durationMs * 10) / 10,
    ...s,
    rejected: result.rejected.map(({ file, row, symbol, reason }) => ({ file, row, symbol, reason })),
  };
}

export async function runOnce(options: OnceOptions): Promise<number> {
  const dataDir = path.resolve(requireOption(options.data, 'data'));
  const dbPath = options.db ? path.resolve(options.db) : defaultDatabasePath();
  let store: WriterStore;
  try {
    // The writer lock: refused, in one line, while the app or `serve` writes the same database.
    store = openWriterStore(dbPath, { app: 'once' });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (store.recovered) process.stderr.write(`breadth: the database was unusable (${store.recovered.reason}); moved to ${store.recovered.movedTo}\n`);
  const db = store.db;
  try {
    const processor = new BreadthProcessor(db, { dataDir });
    const result = await processor.runCycle('cli');
    if (result.status === 'failed') {
      process.stderr.write(`breadth: ${result.message}\n`);
      return 2;
    }
    if (options.json) process.stdout.write(`${JSON.stringify(snapshotJson(result))}\n`);
    else process.stdout.write(formatSnapshot(result));
    return 0;
  } finally {
    store.close();
  }
}
