// NSE's end-of-day cash-market file (the "bhavcopy") as one shape, whichever of its two layouts a
// file is in: the classic one (until 5 July 2024) or UDiFF (from 8 July 2024). The layout is told
// by the header row, never by the file's name: traders rename files. csv-parse reads any CSV
// with quotes (a file re-saved by a spreadsheet); NSE's own files hold none, and for those a plain
// split gives the same records 3–5 times faster (docs/history-sources.md, "Parsing").
// docs/history-sources.md lists the columns used and where the layouts are documented.
// shared/: no Node, Electron or React imports; imported by the history sources, the import job
// and the dashboard's types.
import { parse } from 'csv-parse/sync';

export type BhavcopyFormat = 'classic' | 'udiff';
export interface BhavcopyRow {
  symbol: string; series: string;           // 'EQ', 'BE', ...
  open: number | null; high: number | null; low: number | null; close: number | null;
  prevClose: number | null;                 // the file's own previous-close column
  volume: number | null;                    // TOTTRDQTY / TtlTradgVol
  turnover: number | null;                  // TOTTRDVAL / TtlTrfVal
  isin: string | null;
}
export interface Bhavcopy { format: BhavcopyFormat; tradeDate: string /* YYYY-MM-DD */; rows: BhavcopyRow[] }

/** The real header rows, as NSE publishes them (test fixtures and the loopback archive write these). */
export const CLASSIC_HEADER = ['SYMBOL', 'SERIES', 'OPEN', 'HIGH', 'LOW', 'CLOSE', 'LAST', 'PREVCLOSE', 'TOTTRDQTY', 'TOTTRDVAL', 'TIMESTAMP', 'TOTALTRADES', 'ISIN'] as const;
export const UDIFF_HEADER = [
  'TradDt', 'BizDt', 'Sgmt', 'Src', 'FinInstrmTp', 'FinInstrmId', 'ISIN', 'TckrSymb', 'SctySrs', 'XpryDt', 'FininstrmActlXpryDt',
  'StrkPric', 'OptnTp', 'FinInstrmNm', 'OpnPric', 'HghPric', 'LwPric', 'ClsPric', 'LastPric', 'PrvsClsgPric', 'UndrlygPric',
  'SttlmPric', 'OpnIntrst', 'ChngInOpnIntrst', 'TtlTradgVol', 'TtlTrfVal', 'TtlNbOfTxsExctd', 'SsnId', 'NewBrdLotQty', 'Rmks',
  'Rsvd1', 'Rsvd2', 'Rsvd3', 'Rsvd4',
] as const;

type Field = 'date' | 'symbol' | 'series' | 'open' | 'high' | 'low' | 'close' | 'prevClose' | 'volume' | 'turnover' | 'isin';

/** Which column holds each field, per layout (upper case: headers are matched case-insensitively). */
const LAYOUTS: Record<BhavcopyFormat, { columns: Record<Field, string>; required: Field[] }> = {
  classic: {
    columns: {
      date: 'TIMESTAMP', symbol: 'SYMBOL', series: 'SERIES', open: 'OPEN', high: 'HIGH', low: 'LOW', close: 'CLOSE',
      prevClose: 'PREVCLOSE', volume: 'TOTTRDQTY', turnover: 'TOTTRDVAL', isin: 'ISIN',
    },
    required: ['date', 'symbol', 'series', 'close', 'prevClose'],
  },
  udiff: {
    columns: {
      date: 'TRADDT', symbol: 'TCKRSYMB', series: 'SCTYSRS', open: 'OPNPRIC', high: 'HGHPRIC', low: 'LWPRIC', close: 'CLSPRIC',
      prevClose: 'PRVSCLSGPRIC', volume: 'TTLTRADGVOL', turnover: 'TTLTRFVAL', isin: 'ISIN',
    },
    required: ['date', 'symbol', 'series', 'close', 'prevClose'],
  },
};

/** The columns that name a layout: a header holding these is that layout (the rest are then required). */
const SIGNATURE: Record<BhavcopyFormat, string[]> = {
  classic: ['SYMBOL', 'TIMESTAMP'],
  udiff: ['TRADDT', 'TCKRSYMB'],
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** A one-line, bounded description of what a header row holds, for error messages. */
function describeHeader(cells: string[]): string {
  const shown = cells.filter((cell) => cell !== '').slice(0, 8).map((cell) => cell.slice(0, 24));
  if (shown.length === 0) return 'an empty first line';
  const more = cells.length > 8 ? `, … (${cells.length} columns)` : '';
  return `columns ${shown.join(', ')}${more}`;
}

/** The layout a header row is in, with the index of each field's column; an Error saying why not. */
export function detectBhavcopyLayout(header: readonly string[]): { format: BhavcopyFormat; index: Record<Field, number> } {
  const names = header.map((cell) => cell.replace(/^\uFEFF/, '').trim().toUpperCase());
  for (const format of ['classic', 'udiff'] as const) {
    if (!SIGNATURE[format].every((name) => names.includes(name))) continue;
    const layout = LAYOUTS[format];
    const index = {} as Record<Field, number>;
    for (const field of Object.keys(layout.columns) as Field[]) index[field] = names.indexOf(layout.columns[field]);
    const missing = layout.required.filter((field) => index[field] < 0).map((field) => layout.columns[field]);
    if (missing.length > 0) {
      throw new Error(`Looks like a ${format === 'classic' ? 'classic' : 'UDiFF'} bhavcopy but has no ${missing.join(', ')} column`);
    }
    return { format, index };
  }
  throw new Error(
    `Not an NSE bhavcopy: the first line has ${describeHeader(names)}; expected the classic layout (SYMBOL, SERIES, …, TIMESTAMP) or UDiFF (TradDt, …, TckrSymb, SctySrs, …)`,
  );
}

/** A trade date as YYYY-MM-DD from '05-JUL-2024' (classic) or '2024-07-08' (UDiFF); null if neither. */
export function parseBhavcopyDate(text: string): string | null {
  const value = text.trim();
  let year: number, month: number, day: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    match = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(value);
    if (!match) return null;
    day = Number(match[1]);
    month = MONTHS.indexOf(match[2]!.toUpperCase()) + 1;
    year = Number(match[3]);
    if (month === 0) return null;
  }
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The file's records. Without a double quote anywhere, CSV has no escaping: records end at a line
 * break (CRLF, LF or a lone CR) and fields at a comma, so a split is exact. Anything quoted goes
 * through csv-parse.
 */
export function bhavcopyRecords(text: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.includes('"')) {
    return parse(body, { relax_column_count: true, skip_empty_lines: true, relax_quotes: true }) as string[][];
  }
  const records: string[][] = [];
  for (const line of body.split(/\r\n|\n|\r/)) {
    if (line !== '') records.push(line.split(','));
  }
  return records;
}

/** A price or quantity; null for an empty, '-' or otherwise unreadable cell (never NaN). */
function figure(cell: string | undefined): number | null {
  if (cell === undefined) return null;
  const text = cell.trim();
  if (text === '' || text === '-') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * One bhavcopy CSV, either layout. Rows without a symbol are left out; a figure that cannot be
 * read becomes null rather than failing the file. The trade date is the file's own date column,
 * which every row must agree on. Throws an Error with a one-line message for a file in neither
 * layout, with no rows, or whose rows disagree on the date.
 */
export function parseBhavcopy(text: string): Bhavcopy {
  const records = bhavcopyRecords(text);
  const header = records[0];
  if (!header) throw new Error('Not an NSE bhavcopy: the file is empty');
  const { format, index } = detectBhavcopyLayout(header);
  const cell = (record: string[], field: Field) => (index[field] >= 0 ? record[index[field]] : undefined);

  let tradeDate: string | null = null;
  let tradeDateRaw: string | undefined;
  let tradeDateRow = 0;
  const rows: BhavcopyRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    const symbol = (cell(record, 'symbol') ?? '').trim();
    if (symbol === '') continue; // a blank or trailing line: not a stock
    const rawDate = cell(record, 'date') ?? '';
    // Files repeat one date on every row: compare the text first, parse only when it changes.
    if (rawDate !== tradeDateRaw) {
      const date = parseBhavcopyDate(rawDate);
      if (!date) throw new Error(`Bhavcopy row ${r} (${symbol.slice(0, 20)}) has no readable trade date (found "${rawDate.trim().slice(0, 20)}")`);
      if (tradeDate !== null && date !== tradeDate) {
        throw new Error(`Bhavcopy rows disagree on the trade date: ${tradeDate} (row ${tradeDateRow}) and ${date} (row ${r})`);
      }
      if (tradeDate === null) tradeDateRow = r;
      tradeDate = date;
      tradeDateRaw = rawDate;
    }
    const isin = (cell(record, 'isin') ?? '').trim();
    rows.push({
      symbol,
      series: (cell(record, 'series') ?? '').trim(),
      open: figure(cell(record, 'open')),
      high: figure(cell(record, 'high')),
      low: figure(cell(record, 'low')),
      close: figure(cell(record, 'close')),
      prevClose: figure(cell(record, 'prevClose')),
      volume: figure(cell(record, 'volume')),
      turnover: figure(cell(record, 'turnover')),
      isin: isin === '' ? null : isin,
    });
  }
  if (tradeDate === null) throw new Error(`The ${format === 'classic' ? 'classic' : 'UDiFF'} bhavcopy has no rows, so no trade date`);
  return { format, tradeDate, rows };
}
