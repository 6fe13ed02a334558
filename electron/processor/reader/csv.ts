// CSV exports (Excel's "Save as CSV", broker downloads) through csv-parse: quoting, embedded
// commas in "1,234.50" and BOMs are solved problems there.
import { parse } from 'csv-parse/sync';
import { DataError } from './errors';
import type { SheetGrid } from './table';

export function readCsvSheets(buffer: Buffer, fileLabel: string, sheetName: string): SheetGrid[] {
  let records: string[][];
  try {
    records = parse(buffer, {
      bom: true,
      delimiter: [',', ';', '\t'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (cause) {
    throw new DataError(`${fileLabel} is not a readable CSV file`, { cause, transient: true });
  }
  // Row 1 of the sheet is the file's first line, as a spreadsheet would show it.
  return [{ name: sheetName, rows: [undefined, ...records] }];
}
