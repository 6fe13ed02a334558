// Bhavcopies the trader already has: a folder searched recursively for .csv and .zip files in
// either layout. Which day a file holds is read from its content (header and date column), never
// from its name. The folder is indexed once, on the first fetch (one source per import job), by
// reading each file's first lines; a day's file is then read and parsed in full when asked for.
// A day with no file here is "not published here", so a chain falls back to the next source.
import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { parseBhavcopy } from '../../../../shared/history/bhavcopy';
import { isIsoDate } from '../../../../shared/calendar/fields';
import { csvTextOf, csvTextsOf, firstLines, sha256 } from './bhavcopy-file';
import { SourceError, throwIfAborted, type BhavcopySource, type FetchOutcome } from './source';

export interface FolderSourceOptions {
  /** Files looked at, at most (default 20,000): a folder of years of days holds a few thousand. */
  maxFiles?: number;
  /** Folder depth searched (default 8). */
  maxDepth?: number;
  /** Largest file read (default 64 MB; a day's CSV is a few MB). */
  maxFileBytes?: number;
}

interface Located {
  file: string;
  /** The CSV's name inside a zip; null for a plain CSV. */
  entry: string | null;
}

interface FolderIndex {
  byDate: Map<string, Located[]>;
  problems: { file: string; reason: string }[];
}

const CANDIDATE = /\.(csv|zip)$/i;

export class FolderSource implements BhavcopySource {
  readonly name = 'folder';
  private index: Promise<FolderIndex> | null = null;
  private readonly maxFiles: number;
  private readonly maxDepth: number;
  private readonly maxFileBytes: number;

  constructor(
    readonly dir: string,
    options: FolderSourceOptions = {},
  ) {
    this.maxFiles = options.maxFiles ?? 20_000;
    this.maxDepth = options.maxDepth ?? 8;
    this.maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
  }

  async fetchDay(tradeDate: string, signal?: AbortSignal): Promise<FetchOutcome> {
    if (!isIsoDate(tradeDate)) throw new SourceError(this.name, `"${tradeDate}" is not a date like 2024-07-05`);
    const index = await this.indexOnce(signal);
    const located = index.byDate.get(tradeDate) ?? [];
    if (located.length === 0) return { kind: 'not-published', source: this.name, detail: `no bhavcopy for ${tradeDate} in ${this.dir}` };
    const reasons: string[] = [];
    for (const { file, entry } of located) {
      throwIfAborted(signal);
      const label = this.label(file, entry);
      try {
        const bytes = await fs.readFile(file);
        const text = csvTextOf(bytes, label, entry);
        const bhavcopy = parseBhavcopy(text);
        if (bhavcopy.tradeDate !== tradeDate) throw new Error(`${label} now holds ${bhavcopy.tradeDate}`);
        return { kind: 'found', bhavcopy, source: this.name, fromCache: false, bytes: bytes.length, contentHash: sha256(text) };
      } catch (error) {
        const message = (error as Error).message;
        reasons.push(message.startsWith(label) ? message : `${label}: ${message}`);
      }
    }
    throw new SourceError(this.name, `${tradeDate}: ${reasons.join('; ')}`);
  }

  /** Files skipped while indexing, with why (not a bhavcopy, unreadable, …). */
  async problems(signal?: AbortSignal): Promise<readonly { file: string; reason: string }[]> {
    return (await this.indexOnce(signal)).problems;
  }

  /** The days this folder holds, oldest first. */
  async days(signal?: AbortSignal): Promise<string[]> {
    return [...(await this.indexOnce(signal)).byDate.keys()].sort();
  }

  private label(file: string, entry: string | null): string {
    const relative = path.relative(this.dir, file) || path.basename(file);
    return entry ? `${relative} (${entry})` : relative;
  }

  private indexOnce(signal?: AbortSignal): Promise<FolderIndex> {
    if (!this.index) {
      this.index = this.build(signal);
      // A failed or cancelled indexing is not remembered: the next fetch tries again.
      this.index.catch(() => {
        this.index = null;
      });
    }
    return this.index;
  }

  private async build(signal?: AbortSignal): Promise<FolderIndex> {
    const index: FolderIndex = { byDate: new Map(), problems: [] };
    let files = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (depth === 0) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new SourceError(this.name, code === 'ENOENT' ? `the folder ${dir} does not exist` : `the folder ${dir} cannot be read (${code ?? (error as Error).message})`);
        }
        index.problems.push({ file: dir, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        throwIfAborted(signal);
        const full = path.join(dir, entry.name);
        // Symbolic links are not followed: a link back up the tree would never end.
        if (entry.isDirectory()) {
          if (depth < this.maxDepth) await walk(full, depth + 1);
        } else if (entry.isFile() && CANDIDATE.test(entry.name) && files < this.maxFiles) {
          files++;
          await this.indexFile(full, index);
        }
      }
    };
    await walk(this.dir, 0);
    return index;
  }

  /** Reads a file's CSVs' first lines: layout and date, or a problem noted. */
  private async indexFile(file: string, index: FolderIndex): Promise<void> {
    const relative = path.relative(this.dir, file);
    try {
      const stat = await fs.stat(file);
      if (stat.size > this.maxFileBytes) throw new Error(`is ${Math.round(stat.size / 1048576)} MB, larger than any bhavcopy`);
      const texts = csvTextsOf(await fs.readFile(file), relative);
      for (const { entry, text } of texts) {
        try {
          const { tradeDate } = parseBhavcopy(firstLines(text, 3));
          const list = index.byDate.get(tradeDate) ?? [];
          // An entry is named only in a zip of several days; NSE's zips hold one CSV.
          list.push({ file, entry: texts.length > 1 ? entry : null });
          index.byDate.set(tradeDate, list);
        } catch (error) {
          index.problems.push({ file: this.label(file, entry), reason: (error as Error).message });
        }
      }
    } catch (error) {
      index.problems.push({ file: relative, reason: (error as Error).message });
    }
  }
}
