// Excel workbooks (.xlsx, .xlsm) through exceljs's full object model: the reference reader the
// fast one is checked against. Loaded on first use, so the processor does not carry it otherwise.
import { fromExcelValue } from './cells';
import { DataError } from './errors';
import type { SheetGrid } from './table';
import { readXlsxSheetsFast } from './xlsx-fast';
import { verifyZip } from './zip';

export async function readXlsxSheets(buffer: Buffer, fileLabel: string): Promise<SheetGrid[]> {
  if (buffer.length === 0) {
    throw new DataError(`${fileLabel} is empty (0 bytes): not a readable workbook yet`, {
      transient: true,
    });
  }
  // exceljs inflates every part whatever its size and believes every row number: the same
  // limits as the fast reader are checked first, on the zip directory and then on the sheets.
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  verifyZip(bytes, fileLabel);
  for (const sheet of readXlsxSheetsFast(buffer, fileLabel)) void sheet.rows;
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs' typings predate Node's generic Buffer; the runtime accepts it as is.
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (cause) {
    // A save in progress looks exactly like a truncated file; callers may retry.
    throw new DataError(`${fileLabel} is not a readable workbook (truncated or corrupt)`, {
      transient: true,
      cause,
    });
  }
  return workbook.worksheets.map((sheet) => ({
    name: sheet.name,
    rows: (sheet.getSheetValues() as unknown[]).map((row) =>
      Array.isArray(row) ? row.slice(1).map(fromExcelValue) : undefined,
    ),
  }));
}
