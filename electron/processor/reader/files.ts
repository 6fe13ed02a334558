// Finding Live and Historical in the data folder, the way a trader names them. One rule, two
// ways to list the folder: the app's main thread must never block, so the core lists it with
// fs/promises (findDataFiles); the processor does nothing else while a cycle runs, and each
// async call is a thread-pool round trip that, at 204 symbols, costs as much as reading the
// workbook, so it lists the folder synchronously (findDataFilesSync).
import { readdirSync, statSync, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from './errors';

export type DataFileKind = 'live' | 'historical';
const EXTENSIONS = ['.xlsx', '.xlsm', '.csv'];

export interface DataFile {
  kind: DataFileKind;
  path: string;
  size: number;
  mtimeMs: number;
}

export interface DataFileNames {
  live: string;
  historical: string;
}
export const DEFAULT_FILE_NAMES: DataFileNames = { live: 'Live', historical: 'Historical' };

export interface FoundDataFiles {
  live: DataFile;
  historical: DataFile | null;
}

export function classifyDataFile(name: string, names: DataFileNames = DEFAULT_FILE_NAMES): DataFileKind | null {
  if (name.startsWith('~$') || name.startsWith('.')) return null;
  const ext = path.extname(name).toLowerCase();
  if (!EXTENSIONS.includes(ext)) return null;
  const base = name.slice(0, -ext.length).toLowerCase();
  if (base === names.live.toLowerCase()) return 'live';
  if (base === names.historical.toLowerCase()) return 'historical';
  return null;
}

/**
 * Live.xlsx / Live.xlsm / Live.csv and Historical.* in any letter case. Excel's owner files
 * (~$Live.xlsx) and extensionless temp files never match. When several extensions are present
 * the most recently written wins: that is the one the feed is updating.
 */
export async function findDataFiles(dataDir: string, names: DataFileNames = DEFAULT_FILE_NAMES): Promise<FoundDataFiles> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch (cause) {
    throw folderError(dataDir, cause);
  }
  const candidates = dataFileCandidates(dataDir, entries, names);
  // A file renamed away mid-save has no stat; the watcher will call again.
  const stats = await Promise.all(candidates.map((c) => stat(c.path).catch(() => null)));
  return chooseDataFiles(dataDir, names, candidates, stats);
}

/** findDataFiles for the processor: the same rules on a synchronous listing. */
export function findDataFilesSync(dataDir: string, names: DataFileNames = DEFAULT_FILE_NAMES): FoundDataFiles {
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch (cause) {
    throw folderError(dataDir, cause);
  }
  const candidates = dataFileCandidates(dataDir, entries, names);
  const stats = candidates.map((c) => {
    try {
      return statSync(c.path);
    } catch {
      return null;
    }
  });
  return chooseDataFiles(dataDir, names, candidates, stats);
}

function folderError(dataDir: string, cause: unknown): DataError {
  const code = (cause as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code})`;
  return new DataError(`Data folder ${dataDir} ${why}`, { cause });
}

interface Candidate {
  kind: DataFileKind;
  path: string;
}

function dataFileCandidates(dataDir: string, entries: readonly string[], names: DataFileNames): Candidate[] {
  const out: Candidate[] = [];
  for (const name of entries) {
    const kind = classifyDataFile(name, names);
    if (kind) out.push({ kind, path: path.join(dataDir, name) });
  }
  return out;
}

/** `stats[i]` belongs to `candidates[i]`; null when it could not be read. */
function chooseDataFiles(dataDir: string, names: DataFileNames, candidates: readonly Candidate[], stats: ReadonlyArray<Stats | null>): FoundDataFiles {
  const found: Record<DataFileKind, DataFile | null> = { live: null, historical: null };
  candidates.forEach(({ kind, path: file }, i) => {
    const info = stats[i];
    if (!info?.isFile()) return;
    const current = found[kind];
    if (!current || info.mtimeMs > current.mtimeMs) found[kind] = { kind, path: file, size: info.size, mtimeMs: info.mtimeMs };
  });
  if (!found.live) {
    throw new DataError(
      `No ${names.live} file in ${dataDir}: expected ${names.live}.xlsx, ${names.live}.xlsm or ${names.live}.csv`,
      { transient: true },
    );
  }
  return { live: found.live, historical: found.historical };
}
