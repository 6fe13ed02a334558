// The market calendar: when the exchange trades, as pure functions of an instant and an exchange
// profile (zone, session hours, trading weekdays, holidays, extra sessions such as a Saturday
// budget session or a Diwali muhurat hour). luxon does the zone arithmetic, so the answers are
// the same whatever zone the computer runs in, and DST-correct for any profile.
// shared/: no Node, Electron or React imports; no clocks or timers (callers pass `now`).
import { DateTime, IANAZone } from 'luxon';

export interface ExtraSession {
  /** YYYY-MM-DD, exchange-local. */
  date: string;
  /** HH:mm, exchange-local. */
  open: string;
  /** HH:mm, exchange-local; after `open`. */
  close: string;
  label: string;
}

export interface ExchangeProfile {
  name: string;
  /** IANA time zone, e.g. 'Asia/Kolkata'. */
  zone: string;
  /** HH:mm, e.g. '09:15'. */
  sessionOpen: string;
  /** HH:mm, e.g. '15:30'; after `sessionOpen`. */
  sessionClose: string;
  /** ISO weekdays with a regular session, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** YYYY-MM-DD exchange-local dates with no regular session. */
  holidays: string[];
  /** Sessions outside the regular calendar; one on a holiday still trades at its own hours. */
  extraSessions: ExtraSession[];
}

export const NSE_PROFILE: ExchangeProfile = {
  name: 'NSE',
  zone: 'Asia/Kolkata',
  sessionOpen: '09:15',
  sessionClose: '15:30',
  weekdays: [1, 2, 3, 4, 5],
  holidays: [],
  extraSessions: [],
};

export const REGULAR_SESSION_LABEL = 'Regular';

/** How far ahead `marketState` looks for the next session. */
export const NEXT_OPEN_SEARCH_DAYS = 400;

export type MarketPhase = 'open' | 'closed' | 'holiday' | 'weekend';

export interface MarketState {
  /**
   * 'open' inside a session [open, close); otherwise 'holiday' on a listed holiday, 'weekend' on
   * a day that is not a trading weekday, 'closed' before the open or after the close of a trading
   * day. A listed holiday that falls on a weekend is 'holiday'.
   */
  phase: MarketPhase;
  /** The exchange-local date of `now`, YYYY-MM-DD. */
  tradeDate: string;
  /** The extra session's label, or 'Regular', while open; null when not open. */
  sessionLabel: string | null;
  /** While open: the end of the current session. */
  currentClose: Date | null;
  /** While not open: the start of the next session (null if none within 400 days). */
  nextOpen: Date | null;
  /** The close of the current session if open, else of the next session. */
  nextClose: Date | null;
}

export interface MarketSession {
  open: Date;
  close: Date;
  label: string;
}

// ── times and dates ─────────────────────────────────────────────────────────────────────────

const HHMM = /^(\d{1,2}):(\d{2})$/;

/** Minutes after midnight of an 'HH:mm' time, or null if it is not one. */
function minutesOf(hhmm: unknown): number | null {
  if (typeof hhmm !== 'string') return null;
  const match = HHMM.exec(hhmm.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  return match !== null && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

function isRealDate(year: number, month: number, day: number): boolean {
  return DateTime.fromObject({ year, month, day }, { zone: 'UTC' }).isValid;
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date `days` after an ISO date (pure calendar arithmetic, no zone). */
function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Whether luxon knows the IANA zone (IANAZone.create caches, unlike isValidZone). */
function isKnownZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.trim() !== '' && IANAZone.create(zone).isValid;
}

// ── sessions ────────────────────────────────────────────────────────────────────────────────

/** A profile indexed for repeated look-ups (holidays as a set, extra sessions by date). */
interface Calendar {
  zone: string;
  open: number | null;
  close: number | null;
  weekdays: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  extras: ReadonlyMap<string, ExtraSession[]>;
}

function calendarOf(profile: ExchangeProfile): Calendar {
  if (!isKnownZone(profile.zone)) throw new Error(`Unknown time zone "${profile.zone}"`);
  const extras = new Map<string, ExtraSession[]>();
  for (const extra of profile.extraSessions) {
    const list = extras.get(extra.date) ?? [];
    list.push(extra);
    extras.set(extra.date, list);
  }
  return {
    zone: profile.zone,
    open: minutesOf(profile.sessionOpen),
    close: minutesOf(profile.sessionClose),
    weekdays: new Set(profile.weekdays),
    holidays: new Set(profile.holidays),
    extras,
  };
}

/** The instant of an exchange-local date and time (a time inside a DST gap moves forward). */
function instantAt(zone: string, date: string, minutes: number): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return DateTime.fromObject({ year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone }).toJSDate();
}

/** ISO weekday (1 = Monday … 7 = Sunday) of an ISO date. */
function weekdayOf(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
}

/** Sessions of a valid ISO date (callers check). */
function sessionsOfDay(calendar: Calendar, date: string): MarketSession[] {
  const sessions: MarketSession[] = [];
  const add = (open: number | null, close: number | null, label: string) => {
    if (open === null || close === null || close <= open) return; // invalid: validateProfile says why
    const session = { open: instantAt(calendar.zone, date, open), close: instantAt(calendar.zone, date, close), label };
    if (session.close > session.open) sessions.push(session);
  };
  if (calendar.weekdays.has(weekdayOf(date)) && !calendar.holidays.has(date)) {
    add(calendar.open, calendar.close, REGULAR_SESSION_LABEL);
  }
  for (const extra of calendar.extras.get(date) ?? []) {
    add(minutesOf(extra.open), minutesOf(extra.close), extra.label);
  }
  // Stable sort: for equal hours, the regular session comes before an extra one.
  return sessions.sort((a, b) => a.open.getTime() - b.open.getTime() || a.close.getTime() - b.close.getTime());
}

/** Every session on an exchange-local date (YYYY-MM-DD), sorted by opening time. */
export function sessionsOn(date: string, profile: ExchangeProfile): MarketSession[] {
  if (!isIsoDate(date)) throw new Error(`"${date}" is not a date like 2026-01-26`);
  return sessionsOfDay(calendarOf(profile), date);
}

/** Where the market stands at `now`: phase, trade date, and the next open and close. */
export function marketState(now: Date, profile: ExchangeProfile): MarketState {
  const calendar = calendarOf(profile);
  const local = DateTime.fromJSDate(now, { zone: calendar.zone });
  const tradeDate = local.toISODate()!;
  const t = now.getTime();
  const today = sessionsOfDay(calendar, tradeDate);

  // Sessions never cross midnight (close > open on one date), so only today's can hold `now`.
  // If extra sessions overlap, the one that stays open longest is the current one.
  let current: MarketSession | null = null;
  for (const session of today) {
    if (session.open.getTime() <= t && t < session.close.getTime()) {
      if (!current || session.close >= current.close) current = session;
    }
  }
  if (current) {
    return { phase: 'open', tradeDate, sessionLabel: current.label, currentClose: current.close, nextOpen: null, nextClose: current.close };
  }

  let next: MarketSession | null = null;
  for (let offset = 0; offset <= NEXT_OPEN_SEARCH_DAYS && !next; offset++) {
    const sessions = offset === 0 ? today : sessionsOfDay(calendar, addDays(tradeDate, offset));
    next = sessions.find((session) => session.open.getTime() > t) ?? null;
  }
  let phase: MarketPhase = 'closed';
  if (calendar.holidays.has(tradeDate)) phase = 'holiday';
  else if (!calendar.weekdays.has(local.weekday)) phase = 'weekend';
  return { phase, tradeDate, sessionLabel: null, currentClose: null, nextOpen: next?.open ?? null, nextClose: next?.close ?? null };
}

// ── validation ──────────────────────────────────────────────────────────────────────────────

/** What is wrong with a profile, one human-readable line per problem naming the field; [] if fine. */
export function validateProfile(profile: ExchangeProfile): string[] {
  const problems: string[] = [];
  if (typeof profile.name !== 'string' || profile.name.trim() === '') problems.push('name must not be empty');
  if (!isKnownZone(profile.zone)) {
    problems.push(`zone ${JSON.stringify(profile.zone)} is not a known time zone (use an IANA name such as Asia/Kolkata)`);
  }
  checkHours(problems, 'sessionOpen', profile.sessionOpen, 'sessionClose', profile.sessionClose);

  if (!Array.isArray(profile.weekdays)) {
    problems.push('weekdays must be a list of ISO weekdays (1=Mon..7=Sun)');
  } else {
    profile.weekdays.forEach((day, i) => {
      if (!Number.isInteger(day) || day < 1 || day > 7) {
        problems.push(`weekdays[${i}] ${JSON.stringify(day)} is not an ISO weekday (1=Mon..7=Sun)`);
      }
    });
  }

  if (!Array.isArray(profile.holidays)) {
    problems.push('holidays must be a list of dates like 2026-01-26');
  } else {
    profile.holidays.forEach((date, i) => {
      if (!isIsoDate(date)) problems.push(`holidays[${i}] ${JSON.stringify(date)} is not a date (use YYYY-MM-DD)`);
    });
  }

  if (!Array.isArray(profile.extraSessions)) {
    problems.push('extraSessions must be a list');
  } else {
    profile.extraSessions.forEach((extra, i) => {
      const field = `extraSessions[${i}]`;
      if (!isIsoDate(extra.date)) problems.push(`${field}.date ${JSON.stringify(extra.date)} is not a date (use YYYY-MM-DD)`);
      checkHours(problems, `${field}.open`, extra.open, `${field}.close`, extra.close);
      if (typeof extra.label !== 'string' || extra.label.trim() === '') problems.push(`${field}.label must not be empty`);
    });
  }
  return problems;
}

function checkHours(problems: string[], openField: string, open: unknown, closeField: string, close: unknown): void {
  const openMinutes = minutesOf(open);
  const closeMinutes = minutesOf(close);
  if (openMinutes === null) problems.push(`${openField} ${JSON.stringify(open)} is not a time like 09:15`);
  if (closeMinutes === null) problems.push(`${closeField} ${JSON.stringify(close)} is not a time like 15:30`);
  if (openMinutes !== null && closeMinutes !== null && closeMinutes <= openMinutes) {
    problems.push(`${closeField} must be after ${openField}`);
  }
}

// ── holiday files ───────────────────────────────────────────────────────────────────────────

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DATE_FORMATS = 'YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or DD-Mon-YYYY';

/**
 * A calendar date written as YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or DD-Mon-YYYY (26-Jan-2026, as
 * the NSE website writes it; full month names too), as YYYY-MM-DD; null if it is none of these
 * or not a real date (31-02-2026).
 */
export function parseCalendarDate(value: string): string | null {
  const text = value.trim();
  let year: number;
  let month: number;
  let day: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$/.exec(text))) {
    [day, month, year] = [Number(match[1]), Number(match[3]), Number(match[4])];
  } else if ((match = /^(\d{1,2})[-/ ]([A-Za-z]{3,9})\.?[-/ ](\d{4})$/.exec(text))) {
    const name = match[2]!.toLowerCase();
    month = MONTHS.findIndex((full) => full.startsWith(name)) + 1;
    if (month === 0) return null;
    [day, year] = [Number(match[1]), Number(match[3])];
  } else {
    return null;
  }
  return isRealDate(year, month, day) ? isoDate(year, month, day) : null;
}

/** A value for a one-line message: quoted, newlines flattened, long values cut. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 40 ? `${flat.slice(0, 40)}…` : flat);
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
  const dates: string[] = [];
  data.forEach((item: unknown, i) => {
    const where = `${fileName} item ${i + 1}`;
    let value: unknown = item;
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const record = item as Record<string, unknown>;
      const key = JSON_DATE_KEYS.find((k) => record[k] !== undefined);
      if (key === undefined) throw new Error(`${where}: no date field (expected "date", "Date" or "tradingDate")`);
      value = record[key];
    }
    const iso = typeof value === 'string' ? parseCalendarDate(value) : null;
    if (iso === null) throw new Error(`${where}: ${shown(value)} is not a date (use ${DATE_FORMATS})`);
    dates.push(iso);
  });
  return dates;
}

interface CsvRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  cells: string[];
}

/** The delimiter of the first line: the most frequent of , ; and tab outside quotes. */
function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    const count = unquoted.split(candidate).length - 1;
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}

/**
 * RFC 4180 rows: quoted fields may hold delimiters, doubled quotes and line breaks. (Written here
 * rather than with csv-parse, which needs Node's Buffer: shared/ also runs in the browser.)
 */
function csvRows(text: string): CsvRow[] {
  const delimiter = detectDelimiter(text);
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      cell += ch;
    }
  }
  endRow();
  return rows;
}

function normalHeader(cell: string): string {
  return cell.trim().toLowerCase().replace(/[\s_.]+/g, ' ');
}

const CSV_DATE_HEADERS = ['date', 'holiday date', 'tradingdate', 'trading date'];

function holidaysFromCsv(text: string, fileName: string): string[] {
  const rows = csvRows(text);
  const first = rows[0];
  if (!first) return [];
  const headers = first.cells.map(normalHeader);
  let column = headers.findIndex((h) => CSV_DATE_HEADERS.includes(h));
  if (column < 0) column = headers.findIndex((h) => /\bdate\b/.test(h));
  let body = rows.slice(1);
  if (column < 0) {
    // No header: one date per line (the first cell of each line).
    if (parseCalendarDate(first.cells[0] ?? '') === null) {
      throw new Error(
        `${fileName} line ${first.line}: ${shown(first.cells.join(','))} is neither a date nor a header with a Date column`,
      );
    }
    column = 0;
    body = rows;
  }
  const dates: string[] = [];
  for (const row of body) {
    const value = (row.cells[column] ?? '').trim();
    if (value === '') continue; // a note or a blank cell, not a holiday
    const iso = parseCalendarDate(value);
    if (iso === null) throw new Error(`${fileName} line ${row.line}: ${shown(value)} is not a date (use ${DATE_FORMATS})`);
    dates.push(iso);
  }
  return dates;
}

/**
 * Holidays from an imported file: JSON (a list of dates, or of objects with a date/Date/tradingDate
 * field, or NSE's { CM: [...] }) or CSV (a header row with a Date / Holiday Date / tradingDate
 * column, or one date per line). Returns sorted unique YYYY-MM-DD dates; throws an Error with a
 * one-line message naming the file and the first bad line or value.
 */
export function parseHolidayFile(text: string, fileName: string): string[] {
  const body = text.replace(/^\uFEFF/, '');
  const json = /\.json$/i.test(fileName) || /^\s*[[{]/.test(body);
  const dates = json ? holidaysFromJson(body, fileName) : holidaysFromCsv(body, fileName);
  if (dates.length === 0) throw new Error(`${fileName}: no holiday dates found`);
  return [...new Set(dates)].sort();
}
