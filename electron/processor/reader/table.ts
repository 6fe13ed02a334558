// From a sheet's grid to quote rows: find the header, map the columns, read each data row.
import { toNumber, toText, toTimeOfDay, type CellValue } from './cells';
import {
  COLUMN_ALIASES,
  PRICE_COLUMN,
  describeAliases,
  mapColumns,
  type ColumnMap,
  type TableRole,
} from './columns';
import { DataError } from './errors';
import { sheetCandidates } from './sheets';
import { normalizeSymbol } from './symbols';

/** A worksheet as rows of cells; `rows[i]` is worksheet row i (1-based, as Excel numbers it). */
export interface SheetGrid {
  name: string;
  rows: ReadonlyArray<ReadonlyArray<CellValue> | undefined>;
}

/** One data row, values parsed but not yet judged (the universe rules do that). */
export interface QuoteRow {
  row: number;
  symbol: string | null;
  /** Live price (Live) or reference price (Historical). */
  price: number | null;
  /** Previous close carried by Live itself. */
  prevClose: number | null;
  open: number | null;
  high: number | null;
  low: number | null;
  volume: number | null;
  time: string | null;
  sector: string | null;
}

export interface PriceTable {
  sheet: string;
  headerRow: number;
  /** Header text of every recognised column, for messages and the run log. */
  columns: Partial<Record<keyof ColumnMap, string>>;
  /** Data rows that held anything at all. */
  rows: QuoteRow[];
}

export const HEADER_SEARCH_ROWS = 20;

interface HeaderMatch {
  row: number;
  map: ColumnMap;
}

interface HeaderSearch {
  header: HeaderMatch | null;
  /** A row that had a symbol column but no price column: its names make the error useful. */
  symbolOnlyRow: ReadonlyArray<CellValue> | null;
}

function findHeader(grid: SheetGrid, role: TableRole): HeaderSearch {
  let symbolOnlyRow: ReadonlyArray<CellValue> | null = null;
  const last = Math.min(grid.rows.length - 1, HEADER_SEARCH_ROWS);
  for (let r = 1; r <= last; r++) {
    const cells = grid.rows[r];
    if (!cells) continue;
    const map = mapColumns(cells);
    if (map.symbol === undefined) continue;
    if (map[PRICE_COLUMN[role]] !== undefined) return { header: { row: r, map }, symbolOnlyRow };
    symbolOnlyRow ??= cells;
  }
  return { header: null, symbolOnlyRow };
}

function cell(cells: ReadonlyArray<CellValue>, index: number | undefined): CellValue {
  return index === undefined ? null : (cells[index] ?? null);
}

function readRows(grid: SheetGrid, header: HeaderMatch, role: TableRole): QuoteRow[] {
  const { map } = header;
  const priceIndex = map[PRICE_COLUMN[role]];
  const rows: QuoteRow[] = [];
  for (let r = header.row + 1; r < grid.rows.length; r++) {
    const cells = grid.rows[r];
    if (!cells || isBlank(cells)) continue; // blank lines are layout, not data
    rows.push({
      row: r,
      symbol: normalizeSymbol(toText(cell(cells, map.symbol))),
      price: toNumber(cell(cells, priceIndex)),
      prevClose: role === 'live' ? toNumber(cell(cells, map.prevClose)) : null,
      open: toNumber(cell(cells, map.open)),
      high: toNumber(cell(cells, map.high)),
      low: toNumber(cell(cells, map.low)),
      volume: toNumber(cell(cells, map.volume)),
      time: toTimeOfDay(cell(cells, map.time)),
      sector: toText(cell(cells, map.sector)),
    });
  }
  return rows;
}

const isBlankCell = (c: CellValue | undefined) => c == null || (typeof c === 'string' && c.trim() === '');

/**
 * Whether a row holds nothing. A row with one cell in column XFD is an array 16,384 long:
 * walking its holes for each of 50,000 rows took minutes, so long sparse rows are walked by
 * the cells they hold.
 */
function isBlank(cells: ReadonlyArray<CellValue>): boolean {
  if (cells.length <= 64) {
    for (let i = 0; i < cells.length; i++) if (!isBlankCell(cells[i])) return false;
    return true;
  }
  for (const key in cells) if (!isBlankCell(cells[key as unknown as number])) return false;
  return true;
}

/** How many header names an error names, and how long each may be: the file's content stays in the file. */
export const MESSAGE_NAMES = 8;
export const MESSAGE_NAME_LENGTH = 30;

function clip(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/** A few of the names found, each clipped, for a message: never the whole row. */
function headerNames(cells: ReadonlyArray<CellValue>): string {
  const names: string[] = [];
  let total = 0;
  for (const key in cells) {
    const c = cells[key as unknown as number];
    const name = c == null ? '' : String(c).trim();
    if (name === '') continue;
    if (names.length < MESSAGE_NAMES) names.push(clip(name, MESSAGE_NAME_LENGTH));
    total++;
  }
  return total > names.length ? `${names.join(', ')} and ${total - names.length} more` : names.join(', ');
}

/**
 * Reads the price table of a workbook: the first candidate sheet (see sheetCandidates) whose
 * first 20 rows hold a symbol column and a price column.
 */
export function readPriceTable(
  sheets: readonly SheetGrid[],
  role: TableRole,
  fileLabel: string,
  today?: string,
): PriceTable {
  const byName = new Map(sheets.map((s) => [s.name, s]));
  let symbolOnly: { sheet: string; cells: ReadonlyArray<CellValue> } | null = null;
  for (const name of sheetCandidates(sheets.map((s) => s.name), today)) {
    const grid = byName.get(name)!;
    const { header, symbolOnlyRow } = findHeader(grid, role);
    if (header) {
      const columns: PriceTable['columns'] = {};
      const headerCells = grid.rows[header.row]!;
      for (const [key, index] of Object.entries(header.map)) {
        columns[key as keyof ColumnMap] = String(headerCells[index!] ?? '').trim();
      }
      return { sheet: name, headerRow: header.row, columns, rows: readRows(grid, header, role) };
    }
    if (symbolOnlyRow && !symbolOnly) symbolOnly = { sheet: name, cells: symbolOnlyRow };
  }
  const priceKey = PRICE_COLUMN[role];
  if (symbolOnly) {
    throw new DataError(
      `${fileLabel} (sheet "${clip(symbolOnly.sheet, 31)}") has no price column: found ` +
        `${headerNames(symbolOnly.cells)}; expected one of ${describeAliases(priceKey)}`,
    );
  }
  throw new DataError(
    `${fileLabel} has no recognisable header in the first ${HEADER_SEARCH_ROWS} rows of any sheet: ` +
      `need a symbol column (${COLUMN_ALIASES.symbol.slice(0, 4).join(', ')}, …) ` +
      `and a price column (${COLUMN_ALIASES[priceKey].slice(0, 4).join(', ')}, …)`,
  );
}
