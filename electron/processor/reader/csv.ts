// CSV exports (Excel's "Save as CSV", broker downloads) through csv-parse: quoting, embedded
// commas in "1,234.50" are solved problems there. The text encoding is ours to find: Excel
// writes UTF-8 with a BOM, "Unicode Text" as UTF-16 LE, and older tools Windows-1252.
import { parse } from 'csv-parse/sync';
import { DataError } from './errors';
import { LIMITS, megabytes } from './limits';
import type { SheetGrid } from './table';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Which encoding the bytes are in: a BOM says so; without one, UTF-16 shows as a zero byte in
 * every other position of ASCII text (which side tells LE from BE); otherwise UTF-8 when the
 * bytes are valid UTF-8, else Windows-1252 (any byte sequence is valid there).
 */
export function detectEncoding(bytes: Uint8Array): { encoding: CsvEncoding; bomLength: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const sample = Math.min(bytes.length, 4096) & ~1;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = sample / 2;
  // Text never holds NUL; in UTF-16 of mostly-ASCII text nearly every pair has one.
  if (pairs > 0 && oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return { encoding: 'utf-16le', bomLength: 0 };
  if (pairs > 0 && evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}

export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const { encoding, bomLength } = detectEncoding(bytes);
  const body = bytes.subarray(bomLength);
  if (encoding === 'utf-8' && bomLength === 0) {
    // A fatal decode is how to tell: anything but valid UTF-8 is an older tool's Windows-1252.
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding };
    } catch {
      return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252' };
    }
  }
  return { text: new TextDecoder(encoding).decode(body), encoding };
}

/**
 * Lines, and the most fields any line could have, counted before csv-parse builds them. A line
 * ends at LF, CRLF or a lone CR (Excel's "CSV (Macintosh)"); a final line break starts no line.
 */
function shape(text: string): { lines: number; widest: number } {
  let lines = 0;
  let widest = 0;
  let fields = 1;
  let open = false; // a line has begun and not ended
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (fields > widest) widest = fields;
      fields = 1;
      lines++;
      open = false;
    } else {
      open = true;
      if (c === 44 /* , */ || c === 59 /* ; */ || c === 9 /* tab */) fields++;
    }
  }
  if (open) lines++;
  return { lines, widest: Math.max(widest, fields) };
}

export function readCsvSheets(buffer: Buffer, fileLabel: string, sheetName: string): SheetGrid[] {
  if (buffer.length > LIMITS.partBytes) {
    throw new DataError(`${fileLabel} is ${megabytes(buffer.length)}, more than the ${megabytes(LIMITS.partBytes)} a price file may have (docs/reading-rules.md)`);
  }
  const { text, encoding } = decodeCsv(buffer);
  const { lines, widest } = shape(text);
  if (widest > LIMITS.columns) {
    throw new DataError(`${fileLabel} has a line of more than ${LIMITS.columns.toLocaleString('en-US')} fields, Excel's last column`);
  }
  if (lines > LIMITS.rows) { // the header counts, as row 1 of a sheet does
    throw new DataError(`${fileLabel} has more than ${LIMITS.rows.toLocaleString('en-US')} lines, more than a price list may have (docs/reading-rules.md)`);
  }
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: [',', ';', '\t'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (cause) {
    throw new DataError(`${fileLabel} is not a readable CSV file (read as ${encoding})`, { cause, transient: true });
  }
  // Row 1 of the sheet is the file's first line, as a spreadsheet would show it.
  return [{ name: sheetName, rows: [undefined, ...records] }];
}
