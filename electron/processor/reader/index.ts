// The workbook reader: from a file on disk to a price table, under one set of reading rules
// (docs/reading-rules.md). Imported by the processor only.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readCsvSheets } from './csv';
import { DataError } from './errors';
import { LIMITS, megabytes } from './limits';
import { readPriceTable, type PriceTable } from './table';
import { readXlsxSheets } from './xlsx';
import { XlsxReader } from './xlsx-fast';
import type { TableRole } from './columns';

export { DataError, isDataError } from './errors';
export { findDataFiles, classifyDataFile, DEFAULT_FILE_NAMES, type DataFile, type DataFileNames } from './files';
export type { PriceTable, QuoteRow } from './table';
export { readXlsxSheetsFast, XlsxReader } from './xlsx-fast';

/** Synchronous, like findDataFilesSync: one thread-pool round trip fewer per cycle. */
function readBytes(file: string, label: string, maxBytes: number): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    // The size is checked on the open file, before reading it: a 1 GB "workbook" is refused
    // without ever being in memory.
    const { size } = fstatSync(fd);
    if (size > maxBytes) {
      throw new DataError(`${label} is ${megabytes(size)}, more than the ${megabytes(maxBytes)} a price file may have (docs/reading-rules.md)`);
    }
    return readFileSync(fd);
  } catch (cause) {
    if (cause instanceof DataError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError(`${label} disappeared while reading`, { cause, transient: true });
    if (code === 'EBUSY') {
      throw new DataError(`${label} is locked by another program (${code})`, { cause, transient: true });
    }
    if (code === 'EPERM' || code === 'EACCES') {
      // Not worth retrying: a permission does not change between two reads a moment apart.
      // (Windows reports a file another program holds open as EBUSY, not as EPERM/EACCES.)
      throw new DataError(`${label} cannot be read: permission denied (${code}); give this user read access to it`, { cause });
    }
    if (code === 'EISDIR') throw new DataError(`${label} is a folder, not a file`, { cause });
    throw new DataError(`${label} cannot be read (${code ?? 'unknown error'})`, { cause });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * How workbooks are read: `fast` (zip.ts + a sheet-XML scanner, the default: the live path) or
 * `exceljs` (its full object model). Both feed the same rules and pass the same tests.
 */
export type WorkbookEngine = 'fast' | 'exceljs';

/**
 * The fast reader readPriceFile uses when its caller brings none: a processor reads one feed,
 * and this reader keeps that feed's shared strings from one cycle to the next.
 */
const feedReader = new XlsxReader();

/**
 * `today` (exchange-local YYYY-MM-DD) lets Live prefer today's dated sheet. `reader` is the fast
 * reader to use: one per feed, as it keeps what it read.
 */
export async function readPriceFile(
  file: string,
  role: TableRole,
  today?: string,
  engine: WorkbookEngine = 'fast',
  reader: XlsxReader = feedReader,
): Promise<PriceTable> {
  const label = path.basename(file);
  const csv = path.extname(file).toLowerCase() === '.csv';
  const bytes = readBytes(file, label, csv ? LIMITS.partBytes : LIMITS.workbookBytes);
  if (csv) {
    return readPriceTable(readCsvSheets(bytes, label, path.basename(file, path.extname(file))), role, label, today);
  }
  const sheets = engine === 'fast' ? reader.read(bytes, label) : await readXlsxSheets(bytes, label);
  return readPriceTable(sheets, role, label, today);
}
