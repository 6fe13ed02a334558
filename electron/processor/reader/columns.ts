// Column names as brokers' terminals and traders' sheets spell them.
import type { CellValue } from './cells';

export type ColumnKey =
  | 'symbol'
  | 'livePrice'
  | 'referencePrice'
  | 'prevClose'
  | 'open'
  | 'high'
  | 'low'
  | 'volume'
  | 'time'
  | 'sector';

/** Case, spaces, dots, underscores and %/# signs do not matter: "Prev. Close" = "prev_close". */
export function normalizeHeader(name: string): string {
  return name.toLowerCase().replace(/[\s._%#]/g, '');
}

/** Aliases in order of preference: the earlier alias wins when a sheet has several. */
export const COLUMN_ALIASES: Record<ColumnKey, readonly string[]> = {
  symbol: ['Symbol', 'Stock', 'Scrip', 'Ticker', 'Trading Symbol', 'Instrument', 'Security', 'Name'],
  livePrice: [
    'LTP',
    'Last Traded Price',
    'Last Trade Price',
    'Last Price',
    'Last',
    'CMP',
    'Current Price',
    'Price',
  ],
  referencePrice: ['Prev Close', 'Previous Close', 'PClose', 'Close', 'LTP'],
  prevClose: ['Prev Close', 'Previous Close', 'Close'],
  open: ['Open'],
  high: ['High'],
  low: ['Low'],
  volume: ['Volume', 'Vol', 'Volume Traded Today', 'Total Traded Quantity'],
  time: ['Time', 'LTT', 'Last Trade Time', 'Last Update Time'],
  sector: ['Sector', 'Industry'],
};

const NORMALIZED_ALIASES = Object.fromEntries(
  Object.entries(COLUMN_ALIASES).map(([key, aliases]) => [key, aliases.map(normalizeHeader)]),
) as Record<ColumnKey, string[]>;

/** Which workbook a table comes from decides which column is its price. */
export type TableRole = 'live' | 'historical';

export const PRICE_COLUMN: Record<TableRole, ColumnKey> = {
  live: 'livePrice',
  historical: 'referencePrice',
};

/** 0-based column index of each recognised column; absent keys were not found. */
export type ColumnMap = Partial<Record<ColumnKey, number>>;

export function mapColumns(headerCells: readonly CellValue[]): ColumnMap {
  const names = headerCells.map((c) => (typeof c === 'string' ? normalizeHeader(c) : null));
  const map: ColumnMap = {};
  for (const key of Object.keys(NORMALIZED_ALIASES) as ColumnKey[]) {
    for (const alias of NORMALIZED_ALIASES[key]) {
      const index = names.indexOf(alias);
      if (index >= 0) {
        map[key] = index;
        break;
      }
    }
  }
  return map;
}

export function describeAliases(key: ColumnKey): string {
  return COLUMN_ALIASES[key].join(', ');
}
