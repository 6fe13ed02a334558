// Test support: real temp folders and real workbooks written with exceljs.
import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

export async function tempDir(prefix = 'livebreadth-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export type Row = ReadonlyArray<ExcelJS.CellValue>;
export interface SheetSpec {
  name: string;
  rows: Row[];
}

export async function workbookBuffer(sheets: SheetSpec[], options: { date1904?: boolean } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  if (options.date1904) workbook.properties.date1904 = true;
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name);
    spec.rows.forEach((row, i) => {
      // Empty rows stay empty: addRow([]) would still create the row.
      if (row.length) sheet.getRow(i + 1).values = row as ExcelJS.CellValue[];
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function writeWorkbook(file: string, sheets: SheetSpec[] | Row[], options?: { date1904?: boolean }): Promise<string> {
  const specs = isSheetList(sheets) ? sheets : [{ name: 'Sheet1', rows: sheets }];
  await writeFile(file, await workbookBuffer(specs, options));
  return file;
}

function isSheetList(x: SheetSpec[] | Row[]): x is SheetSpec[] {
  return x.length > 0 && !Array.isArray(x[0]) && typeof x[0] === 'object' && x[0] !== null && 'rows' in (x[0] as object);
}

/** A data folder with Historical (Symbol, Prev Close) and Live (Symbol, LTP[, Volume]). */
export async function writeDataFolder(
  dir: string,
  historical: Array<[string, number]> | null,
  live: Array<[string, number | string | null, number?]>,
): Promise<void> {
  if (historical) await writeWorkbook(path.join(dir, 'Historical.xlsx'), [['Symbol', 'Prev Close'], ...historical]);
  await writeWorkbook(path.join(dir, 'Live.xlsx'), [['Symbol', 'LTP', 'Volume'], ...live.map(([s, p, v]) => [s, p, v ?? null])]);
}
