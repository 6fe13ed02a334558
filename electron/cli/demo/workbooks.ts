// Writing the demo feed's workbooks with exceljs, saved the way Excel saves: the new content
// goes to an extensionless temp file, the old file is moved aside, the temp file renamed in.
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DemoStock } from './market';

function excelTempName(dir: string): string {
  return path.join(dir, randomBytes(4).toString('hex').toUpperCase()); // like Excel's "3F2A1B0C"
}

/** Replace `target` atomically, as Excel does, so a reader sees the old file or the new one. */
export async function saveLikeExcel(target: string, content: Buffer): Promise<void> {
  const dir = path.dirname(target);
  const temp = excelTempName(dir);
  const aside = excelTempName(dir);
  await writeFile(temp, content);
  let movedAside = false;
  try {
    await rename(target, aside);
    movedAside = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rename(temp, target);
  if (movedAside) await unlink(aside);
}

async function sheetBuffer(sheetName: string, header: string[], rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(header);
  sheet.addRows(rows);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function historicalWorkbook(stocks: readonly DemoStock[]): Promise<Buffer> {
  return sheetBuffer('Historical', ['Symbol', 'Sector', 'Prev Close'], stocks.map((s) => [s.symbol, s.sector, s.prevClose]));
}

/** Laid out like a broker's RTD sheet; `time` is the exchange-local time of the refresh (LTT). */
export function liveWorkbook(stocks: readonly DemoStock[], time: string): Promise<Buffer> {
  return sheetBuffer(
    'Live',
    ['Symbol', 'LTP', 'Open', 'High', 'Low', 'Prev Close', 'Volume', 'LTT'],
    stocks.map((s) => [s.symbol, s.ltp, s.open, s.high, s.low, s.prevClose, s.volume, time]),
  );
}
