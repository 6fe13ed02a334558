// Test support: the loopback archive's bhavcopies written into a folder, as a trader's downloads
// would sit there, for the folder source's tests and the bench's from-a-folder import.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { archiveCsvName } from '../archive-urls';
import type { GeneratedArchive } from './generated-archive';

export interface ArchiveFolderOptions {
  /** First and last dates written (default: all the archive publishes). */
  from?: string;
  to?: string;
  /** 'zip' as NSE serves them (default), or the plain 'csv' inside. */
  as?: 'zip' | 'csv';
  /** Put each file in a YYYY/MM sub-folder (default false): the source searches recursively. */
  nested?: boolean;
}

/** Writes the days and returns the files written, oldest first. */
export async function writeArchiveFolder(archive: GeneratedArchive, dir: string, options: ArchiveFolderOptions = {}): Promise<string[]> {
  const days = archive.publishedBetween(options.from ?? '0000-01-01', options.to ?? '9999-12-31');
  const written: string[] = [];
  for (const tradeDate of days) {
    const csvName = archiveCsvName(tradeDate, archive.formatOn(tradeDate));
    const folder = options.nested ? path.join(dir, tradeDate.slice(0, 4), tradeDate.slice(5, 7)) : dir;
    await fs.mkdir(folder, { recursive: true });
    const file = path.join(folder, options.as === 'csv' ? csvName : `${csvName}.zip`);
    await fs.writeFile(file, options.as === 'csv' ? archive.csvOn(tradeDate) : archive.zipOn(tradeDate));
    written.push(file);
  }
  return written;
}
