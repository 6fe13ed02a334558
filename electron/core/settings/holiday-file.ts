// Holidays from a file the user imports: NSE's holiday CSV as its website offers it, other
// CSV lists, or JSON (a list, or NSE's holiday API answer). csv-parse reads the CSV, luxon the
// dates; what is left here is finding the date column and saying which line is wrong.
// core/: runs in Node (the app core); the result goes through the settings' profile schema.
import { CsvError, parse, type Info as CsvInfo } from 'csv-parse/sync';
import { DateTime, Info } from 'luxon';

/** The formats a holiday date may be written in; NSE's site writes 26-Jan-2026. */
const NUMERIC_FORMATS = ['yyyy-M-d', 'd-M-yyyy', 'd/M/yyyy', 'd.M.yyyy'];
const NAMED_FORMAT = 'd-MMM-yyyy';
const FORMATS_SHOWN = 'YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or DD-Mon-YYYY';
// en-US, not the computer's locale: en-IN's short name for September is "Sept".
const LOCALE = 'en-US';
const MONTHS = Info.months('long', { locale: LOCALE }).map((name) => name.toLowerCase());
const SHORT_MONTHS = Info.months('short', { locale: LOCALE });

/** A month's name between day and year, any of - / or space around it, maybe a dot after it. */
const MONTH_WORD = /[-/ ]([A-Za-z]{3,9})\.?[-/ ]/;

function firstValid(text: string, formats: string[]): string | null {
  for (const format of formats) {
    const date = DateTime.fromFormat(text, format, { zone: 'utc', locale: LOCALE });
    if (date.isValid) return date.toISODate();
  }
  return null;
}

/**
 * A calendar date written as YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY or DD-Mon-YYYY
 * (26-Jan-2026, as the NSE website writes it), as YYYY-MM-DD; null if it is none of these or
 * not a real date (31-02-2026). A month's name may be any prefix of three letters or more
 * (Sept, AUGUST): it becomes the one short spelling luxon reads.
 */
export function parseCalendarDate(value: string): string | null {
  const text = value.trim();
  const word = MONTH_WORD.exec(text);
  if (!word) return firstValid(text, NUMERIC_FORMATS);
  const month = MONTHS.findIndex((name) => name.startsWith(word[1]!.toLowerCase()));
  return month < 0 ? null : firstValid(text.replace(MONTH_WORD, `-${SHORT_MONTHS[month]}-`), [NAMED_FORMAT]);
}

/** A value for a one-line message: quoted, newlines flattened, long values cut. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 40 ? `${flat.slice(0, 40)}…` : flat);
}

function notADate(where: string, value: unknown): Error {
  return new Error(`${where}: ${shown(value)} is not a date (use ${FORMATS_SHOWN})`);
}

const JSON_DATE_KEYS = ['date', 'Date', 'tradingDate', 'holidayDate', 'Holiday Date'];
/** NSE's holiday API answers { CM: [...], FO: [...], ... }: CM (capital market) is the one for equities. */
const JSON_LIST_KEYS = ['CM', 'holidays', 'Holidays'];

function holidaysFromJson(text: string, fileName: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName}: not valid JSON (${(error as Error).message.replace(/\s+/g, ' ')})`);
  }
  if (!Array.isArray(data) && data !== null && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    const key = JSON_LIST_KEYS.find((k) => Array.isArray(record[k]));
    if (key !== undefined) data = record[key];
  }
  if (!Array.isArray(data)) {
    throw new Error(`${fileName}: expected a JSON list of dates or of objects with a "date" field`);
  }
  return data.map((item: unknown, i) => {
    const where = `${fileName} item ${i + 1}`;
    let value: unknown = item;
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const record = item as Record<string, unknown>;
      const key = JSON_DATE_KEYS.find((k) => record[k] !== undefined);
      if (key === undefined) throw new Error(`${where}: no date field (expected "date", "Date" or "tradingDate")`);
      value = record[key];
    }
    const iso = typeof value === 'string' ? parseCalendarDate(value) : null;
    if (iso === null) throw notADate(where, value);
    return iso;
  });
}

interface CsvRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  cells: string[];
}

const DELIMITERS = [',', ';', '\t'];

/** Rows of a CSV text; blank rows (",,,") are left out, as a spreadsheet's trailing notes may have them. */
function csvRows(text: string, delimiter: string, sniff = false): CsvRow[] {
  const records = parse(text, {
    delimiter,
    info: true,
    relax_column_count: true, // notes and footers are shorter than the table
    relax_quotes: !sniff, // a quote inside an unquoted cell is text, but not while guessing the delimiter
    to: sniff ? 1 : -1,
    trim: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
  }) as unknown as Array<{ record: string[]; info: CsvInfo }>; // the typings do not follow `info: true`
  // info.lines is where a row ends; a quoted cell may hold line breaks.
  return records.map(({ record, info }) => ({ line: info.lines - (record.join('').split('\n').length - 1), cells: record }));
}

/**
 * The delimiter that splits the first row into the most cells (a comma on a tie). Quotes are
 * strict here, so a quoted "Holi, festival" in a semicolon file does not count for the comma.
 */
const SNIFF_CHARS = 64 * 1024;

function delimiterOf(text: string): string {
  let best = DELIMITERS[0]!;
  let widest = 0;
  for (const delimiter of DELIMITERS) {
    let width = 0;
    try {
      // The head is enough to see the first row; the whole text would be parsed three times more.
      width = csvRows(text.slice(0, SNIFF_CHARS), delimiter, true)[0]?.cells.length ?? 0;
    } catch {
      // not this delimiter (a quote inside a cell); the full parse reports a file that is unreadable
    }
    if (width > widest) [best, widest] = [delimiter, width];
  }
  return best;
}

function normalHeader(cell: string): string {
  return cell.trim().toLowerCase().replace(/[\s_.]+/g, ' ');
}

const CSV_DATE_HEADERS = ['date', 'holiday date', 'tradingdate', 'trading date'];

function holidaysFromCsv(text: string, fileName: string): string[] {
  // One line ending, so that csv-parse counts a quoted cell's CRLF as one line.
  const lines = text.replace(/\r\n?/g, '\n');
  let rows: CsvRow[];
  try {
    rows = csvRows(lines, delimiterOf(lines));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new Error(`${fileName}: not a readable CSV file (${error.message.replace(/\s+/g, ' ')})`);
  }
  const first = rows[0];
  if (!first) return [];
  const headers = first.cells.map(normalHeader);
  let column = headers.findIndex((h) => CSV_DATE_HEADERS.includes(h));
  if (column < 0) column = headers.findIndex((h) => /\bdate\b/.test(h));
  let body = rows.slice(1);
  if (column < 0) {
    // No header: one date per line (the first cell of each line).
    if (parseCalendarDate(first.cells[0] ?? '') === null) {
      throw new Error(`${fileName} line ${first.line}: ${shown(first.cells.join(','))} is neither a date nor a header with a Date column`);
    }
    column = 0;
    body = rows;
  }
  const dates: string[] = [];
  for (const row of body) {
    const value = row.cells[column] ?? '';
    if (value === '') continue; // a note or a blank cell, not a holiday
    const iso = parseCalendarDate(value);
    if (iso === null) throw notADate(`${fileName} line ${row.line}`, value);
    dates.push(iso);
  }
  return dates;
}

export const HOLIDAY_FILE_MAX_CHARS = 128 * 1024;
export const HOLIDAY_FILE_MAX_LINES = 2_000;

/**
 * Holidays from an imported file: JSON (a list of dates, or of objects with a date/Date/tradingDate
 * field, or NSE's { CM: [...] }) or CSV (a header row with a Date / Holiday Date / tradingDate
 * column, or one date per line). Returns sorted unique YYYY-MM-DD dates; throws an Error with a
 * one-line message naming the file and the first bad line or value.
 */
export function parseHolidayFile(text: string, fileName: string): string[] {
  // A year's list is a few dozen lines (NSE's CSV ~2 KB). The caps come first because parsing
  // runs on the core's thread: a megabyte of CSV took seconds, and the host stood still meanwhile.
  if (text.length > HOLIDAY_FILE_MAX_CHARS) {
    throw new Error(`${fileName} is ${Math.ceil(text.length / 1024)} KB; a holiday list is a few KB (at most ${HOLIDAY_FILE_MAX_CHARS / 1024} KB)`);
  }
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  if (lines > HOLIDAY_FILE_MAX_LINES) {
    throw new Error(`${fileName} has ${lines.toLocaleString('en-IN')} lines; a holiday list has a few dozen a year (at most ${HOLIDAY_FILE_MAX_LINES.toLocaleString('en-IN')})`);
  }
  const body = text.replace(/^\uFEFF/, '');
  const json = /\.json$/i.test(fileName) || /^\s*[[{]/.test(body);
  const dates = json ? holidaysFromJson(body, fileName) : holidaysFromCsv(body, fileName);
  if (dates.length === 0) throw new Error(`${fileName}: no holiday dates found`);
  return [...new Set(dates)].sort();
}
