// Is the data folder there, and is it still the folder being watched? One look (stat + open)
// at the edge, and a pure function that turns what was found into the trader's message.
import { opendir, stat } from 'node:fs/promises';

export type FolderProbe =
  | { kind: 'folder'; dev: number; ino: number; bornMs: number }
  | { kind: 'file' }
  | { kind: 'error'; code: string };

/** Looks at the folder once: a folder we can list, something else, or the error code. */
export async function probeFolder(dir: string): Promise<FolderProbe> {
  try {
    const stats = await stat(dir);
    if (!stats.isDirectory()) return { kind: 'file' };
    // stat succeeds on a folder we may not list; opening it is what watching needs.
    const handle = await opendir(dir, { bufferSize: 1 });
    await handle.close();
    return { kind: 'folder', dev: stats.dev, ino: stats.ino, bornMs: stats.birthtimeMs };
  } catch (error) {
    return { kind: 'error', code: (error as NodeJS.ErrnoException).code ?? 'UNKNOWN' };
  }
}

/**
 * Same folder as before? One deleted and made again has a new inode, or, where the file system
 * reuses inodes at once, a new birth time (0 on file systems without one: inode alone decides).
 */
export function sameFolder(a: FolderProbe | null, b: FolderProbe): boolean {
  return a?.kind === 'folder' && b.kind === 'folder' && a.dev === b.dev && a.ino === b.ino && a.bornMs === b.bornMs;
}

/** What to tell the trader while the folder cannot be watched; null when it can. */
export function folderProblem(dataDir: string, probe: FolderProbe): string | null {
  if (probe.kind === 'folder') return null;
  if (probe.kind === 'file') return `The data folder ${dataDir} is a file, not a folder; waiting for the folder to come back`;
  switch (probe.code) {
    case 'ENOENT':
    case 'ENOTDIR': // a parent on the path is a file, or gone
      return `The data folder ${dataDir} is missing; waiting for it to come back`;
    case 'EACCES':
    case 'EPERM':
      return `The data folder ${dataDir} cannot be opened (permission denied); waiting for access`;
    default: // a dropped network share: EIO, ETIMEDOUT, EHOSTDOWN, UNKNOWN on Windows …
      return `The data folder ${dataDir} cannot be reached (${probe.code}); waiting for it to come back`;
  }
}
