// Workbooks for the browser tests, written with exceljs and saved the way Excel saves.
import ExcelJS from 'exceljs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { saveLikeExcel } from '../electron/cli/demo/workbooks';

async function book(header: string[], rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(header);
  sheet.addRows(rows);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function saveHistorical(dataDir: string, rows: Array<[string, number, string?]>): Promise<void> {
  await saveLikeExcel(path.join(dataDir, 'Historical.xlsx'), await book(['Symbol', 'Prev Close', 'Sector'], rows.map(([s, p, sec]) => [s, p, sec ?? null])));
}

export async function saveLive(dataDir: string, rows: Array<[string, number, number?]>): Promise<void> {
  await saveLikeExcel(path.join(dataDir, 'Live.xlsx'), await book(['Symbol', 'LTP', 'Volume'], rows.map(([s, p, v]) => [s, p, v ?? null])));
}

export async function saveBrokenLive(dataDir: string): Promise<void> {
  await writeFile(path.join(dataDir, 'Live.xlsx'), 'this is not a workbook');
}
