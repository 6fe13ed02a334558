// The historicalWorkbook universe: the symbols of the Historical workbook in the data folder,
// found and read by the same rules as a cycle (reader/files.ts names, reader/index.ts rows,
// universe.ts's first-row-wins reference), so the history counts the stocks the live view counts.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { classifyDataFile, readPriceFile, XlsxReader } from '../reader';
import { buildReference } from '../universe';

/** The workbook's symbols (normalised as the reader normalises them); throws one line when there are none. */
export async function historicalWorkbookSymbols(dataDir: string | null, historicalFileName: string): Promise<Set<string>> {
  if (!dataDir) throw new Error('The processor has no data folder, so there is no Historical workbook to take the symbols from');
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch (error) {
    throw new Error(`Cannot list the data folder ${dataDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const names = { live: '\0', historical: historicalFileName };
  // As a cycle chooses: with several extensions present, the most recently written.
  const mtime = (name: string) => {
    try {
      return statSync(path.join(dataDir, name)).mtimeMs;
    } catch {
      return -1;
    }
  };
  const found = entries.filter((name) => classifyDataFile(name, names) === 'historical').sort((a, b) => mtime(b) - mtime(a));
  if (found.length === 0) throw new Error(`There is no ${historicalFileName} workbook in ${dataDir} to take the symbols from`);
  // Its own reader: the feed's keeps the live workbook's shared strings between cycles.
  const table = await readPriceFile(path.join(dataDir, found[0]!), 'historical', undefined, 'fast', new XlsxReader());
  const symbols = new Set(buildReference(table.rows).symbols);
  if (symbols.size === 0) throw new Error(`${found[0]} lists no symbols`);
  return symbols;
}
