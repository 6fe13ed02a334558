// Finding Live and Historical in the data folder, the way a trader names them.
// Synchronous on purpose: the processor does nothing else while a cycle runs, and each async call
// is a thread-pool round trip that, at 204 symbols, costs as much as reading the workbook.
import { readdirSync, statSync } from 'node:fs';
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

/**
 * Live.xlsx / Live.xlsm / Live.csv and Historical.* in any letter case. Excel's owner files
 * (~$Live.xlsx) and extensionless temp files never match. When several extensions are present
 * the most recently written wins: that is the one the feed is updating.
 */
export interface DataFileNames {
  live: string;
  historical: string;
}
export const DEFAULT_FILE_NAMES: DataFileNames = { live: 'Live', historical: 'Historical' };

export function classifyDataFile(name: string, names: DataFileNames = DEFAULT_FILE_NAMES): DataFileKind | null {
  if (name.startsWith('~$') || name.startsWith('.')) return null;
  const ext = path.extname(name).toLowerCase();
  if (!EXTENSIONS.includes(ext)) return null;
  const base = name.slice(0, -ext.length).toLowerCase();
  if (base === names.live.toLowerCase()) return 'live';
  if (base === names.historical.toLowerCase()) return 'historical';
  return null;
}

export async function findDataFiles(
  dataDir: string,
  names: DataFileNames = DEFAULT_FILE_NAMES,
): Promise<{ live: DataFile; historical: DataFile | null }> {
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code})`;
    throw new DataError(`Data folder ${dataDir} ${why}`, { cause });
  }
  const found: Record<DataFileKind, DataFile | null> = { live: null, historical: null };
  for (const name of entries) {
    const kind = classifyDataFile(name, names);
    if (!kind) continue;
    const full = path.join(dataDir, name);
    let info;
    try {
      info = statSync(full);
    } catch {
      continue; // renamed away mid-save; the watcher will call again
    }
    if (!info.isFile()) continue;
    const current = found[kind];
    if (!current || info.mtimeMs > current.mtimeMs) {
      found[kind] = { kind, path: full, size: info.size, mtimeMs: info.mtimeMs };
    }
  }
  if (!found.live) {
    throw new DataError(
      `No ${names.live} file in ${dataDir}: expected ${names.live}.xlsx, ${names.live}.xlsm or ${names.live}.csv`,
      { transient: true },
    );
  }
  return { live: found.live, historical: found.historical };
}
