// Which file starts the query worker: the TypeScript source under tsx (tests and the CLI see
// edits without a build), or electron-vite's bundle beside main's (the desktop app, and
// wherever the source is absent), as processorEntry chooses for the processor.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface QueryWorkerEntry {
  file: string;
  kind: 'source' | 'built';
}

/** The bundle's name: its entry in electron.vite.config.ts, plus .js. */
export const QUERY_WORKER_BUNDLE = 'query-worker.js';

/** The bundle: beside main's when running built (or one folder up, from a shared chunk), under out/ from source. */
export function builtQueryWorkerFile(): string | null {
  const candidates = [here, path.resolve(here, '..'), path.resolve(here, '../../../out/main')].map((dir) => path.join(dir, QUERY_WORKER_BUNDLE));
  return candidates.find((file) => existsSync(file)) ?? null;
}

export function queryWorkerEntry(prefer: 'source' | 'built' = 'source'): QueryWorkerEntry {
  const source = path.resolve(here, 'query-worker-tsx.mjs');
  const built = builtQueryWorkerFile();
  if (built && (prefer === 'built' || !existsSync(source))) return { file: built, kind: 'built' };
  if (existsSync(source)) return { file: source, kind: 'source' };
  throw new Error(`The query worker is missing: neither ${source} nor a built query-worker.js was found`);
}
