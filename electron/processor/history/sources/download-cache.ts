// Downloaded bhavcopies, kept as NSE sent them (the zip) in a folder beside the database, one file
// per day named by date and layout: `2024-07-05.classic.csv.zip`, `2024-07-08.udiff.csv.zip`.
// Files are written with write-file-atomic (a temp file renamed into place), so a process killed
// mid-write leaves at most a temp file under another name, never a half file under a day's name.
// The reader still checks what it finds (zip CRC, parse, date) and deletes a file that fails.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { BhavcopyFormat } from '../../../../shared/history/bhavcopy';

const FORMATS: BhavcopyFormat[] = ['classic', 'udiff'];

export class DownloadCache {
  constructor(readonly dir: string) {}

  fileFor(tradeDate: string, format: BhavcopyFormat): string {
    return path.join(this.dir, `${tradeDate}.${format}.csv.zip`);
  }

  /** The cached file of a day, in either layout; null when there is none. */
  async read(tradeDate: string): Promise<{ file: string; bytes: Buffer } | null> {
    for (const format of FORMATS) {
      const file = this.fileFor(tradeDate, format);
      try {
        return { file, bytes: await fs.readFile(file) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return null;
  }

  async write(tradeDate: string, format: BhavcopyFormat, bytes: Uint8Array): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.fileFor(tradeDate, format), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  }

  async remove(file: string): Promise<void> {
    await fs.rm(file, { force: true });
  }
}
