// Test support: NSE-like bhavcopies generated from a seed, for the loopback archive server, the
// folder source's tests and the bench. Each symbol's close is a random walk (a market-wide move
// plus its own), and each day's previous close is the previous session's close, so days chain as
// in the real files and breadth figures computed from them are checkable. The same seed and size
// give the same bytes every time. Days up to 5 July 2024 are in the classic layout, later ones in
// UDiFF, with NSE's own header rows and file names.
import { CLASSIC_HEADER, UDIFF_HEADER, type BhavcopyFormat, type BhavcopyRow } from '../../../../../shared/history/bhavcopy';
import { tradingDaysBetween } from '../../../../../shared/history/trading-days';
import { NSE_PROFILE, type ExchangeProfile } from '../../../../../shared/market-calendar';
import { seededRandom } from '../../../../../shared/seeded-random';
import { archiveCsvName, archivePath, formatForDate } from '../archive-urls';
import { writeZip } from './zip-writer';

export interface GeneratedArchiveOptions {
  seed?: number;
  /** Symbols in the universe (default 2,000); one in 20 trades in series BE, the rest EQ. */
  symbols?: number;
  /** First and last dates the archive covers (default 2024-01-01 to 2026-12-31). */
  from?: string;
  to?: string;
  /** Which days are sessions (default NSE's weekdays, with no holidays). */
  profile?: ExchangeProfile;
  /** Sessions the archive has not published (a 404 on a trading day). */
  missing?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** A price on NSE's 5-paisa tick. */
const tick = (price: number) => Math.max(0.05, Math.round(price * 20) / 20);
const money = (value: number) => Math.round(value * 100) / 100;

function normal(random: () => number): number {
  // Box–Muller; 1 − u keeps log() away from 0.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export class GeneratedArchive {
  readonly seed: number;
  readonly symbolCount: number;
  /** Every session the archive covers, oldest first (including any `missing`). */
  readonly sessions: readonly string[];
  private readonly sessionIndex = new Map<string, number>();
  private readonly missing: ReadonlySet<string>;
  private readonly symbols: string[];
  private readonly series: string[];
  private readonly isins: string[];
  /** closes[i] are the closes of session i; `base` the closes before the first session. */
  private readonly closes: Float64Array[] = [];
  private readonly base: Float64Array;

  constructor(options: GeneratedArchiveOptions = {}) {
    this.seed = options.seed ?? 11;
    this.symbolCount = options.symbols ?? 2000;
    this.sessions = tradingDaysBetween(options.from ?? '2024-01-01', options.to ?? '2026-12-31', options.profile ?? NSE_PROFILE);
    this.sessions.forEach((date, i) => this.sessionIndex.set(date, i));
    this.missing = new Set(options.missing ?? []);
    this.symbols = [];
    this.series = [];
    this.isins = [];
    const random = seededRandom(this.seed);
    this.base = new Float64Array(this.symbolCount);
    for (let i = 0; i < this.symbolCount; i++) {
      this.symbols.push(`SYM${String(i + 1).padStart(4, '0')}`);
      this.series.push(i % 20 === 7 ? 'BE' : 'EQ');
      this.isins.push(`INE${String(i + 1).padStart(5, '0')}A01${i % 10}`);
      this.base[i] = tick(20 + random() * 3000);
    }
  }

  /** Whether the archive serves a bhavcopy for the date. */
  has(tradeDate: string): boolean {
    return this.sessionIndex.has(tradeDate) && !this.missing.has(tradeDate);
  }

  /** The sessions it serves between two dates (both included). */
  publishedBetween(from: string, to: string): string[] {
    return this.sessions.filter((date) => date >= from && date <= to && this.has(date));
  }

  formatOn(tradeDate: string): BhavcopyFormat {
    return formatForDate(tradeDate);
  }

  private indexOf(tradeDate: string): number {
    const index = this.sessionIndex.get(tradeDate);
    if (index === undefined) throw new Error(`${tradeDate} is not a session of the generated archive`);
    return index;
  }

  /** Closes of session `index`, computing the walk up to it once. */
  private closesOf(index: number): Float64Array {
    while (this.closes.length <= index) {
      const i = this.closes.length;
      const previous = i === 0 ? this.base : this.closes[i - 1]!;
      const random = seededRandom(this.seed * 7919 + i * 2 + 1);
      const market = normal(random) * 0.008;
      const today = new Float64Array(this.symbolCount);
      for (let s = 0; s < this.symbolCount; s++) {
        // Some stocks do not move at all: unchanged is a real third outcome of breadth.
        today[s] = random() < 0.03 ? previous[s]! : tick(previous[s]! * Math.exp(market + normal(random) * 0.015));
      }
      this.closes.push(today);
    }
    return this.closes[index]!;
  }

  /** The rows of a session, as the parser should read them back. */
  rowsOn(tradeDate: string): BhavcopyRow[] {
    const index = this.indexOf(tradeDate);
    const closes = this.closesOf(index);
    const previous = index === 0 ? this.base : this.closesOf(index - 1);
    const random = seededRandom(this.seed * 7919 + index * 2 + 2);
    const rows: BhavcopyRow[] = [];
    for (let s = 0; s < this.symbolCount; s++) {
      const close = closes[s]!;
      const prevClose = previous[s]!;
      const open = tick(prevClose * (1 + normal(random) * 0.005));
      const high = tick(Math.max(open, close) * (1 + random() * 0.01));
      const low = tick(Math.min(open, close) * (1 - random() * 0.01));
      const volume = 100 + Math.floor(random() * 1_000_000);
      rows.push({
        symbol: this.symbols[s]!,
        series: this.series[s]!,
        open,
        high,
        low,
        close,
        prevClose,
        volume,
        turnover: money((volume * (open + close)) / 2),
        isin: this.isins[s]!,
      });
    }
    return rows;
  }

  /** The CSV text of a session, in the layout NSE used on that date. */
  csvOn(tradeDate: string): string {
    const rows = this.rowsOn(tradeDate);
    const format = this.formatOn(tradeDate);
    const lines: string[] = [];
    if (format === 'classic') {
      const [year, month, day] = tradeDate.split('-');
      const timestamp = `${day}-${MONTHS[Number(month) - 1]}-${year}`;
      // NSE's classic files end every line, the header too, with a comma (an empty 14th column).
      lines.push(`${CLASSIC_HEADER.join(',')},`);
      for (const row of rows) {
        const trades = Math.floor(row.volume! / 50) + 1;
        lines.push(
          [row.symbol, row.series, row.open, row.high, row.low, row.close, row.close, row.prevClose, row.volume, row.turnover, timestamp, trades, row.isin, ''].join(','),
        );
      }
    } else {
      lines.push(UDIFF_HEADER.join(','));
      const price = (value: number | null) => value!.toFixed(2);
      rows.forEach((row, s) => {
        const trades = Math.floor(row.volume! / 50) + 1;
        lines.push(
          [
            tradeDate, tradeDate, 'CM', 'NSE', 'STK', s + 1, row.isin, row.symbol, row.series, '', '', '', '', `${row.symbol} LTD`,
            price(row.open), price(row.high), price(row.low), price(row.close), price(row.close), price(row.prevClose), '', price(row.close),
            '', '', row.volume, row.turnover!.toFixed(2), trades, 'F1', 1, '', '', '', '', '',
          ].join(','),
        );
      });
    }
    return `${lines.join('\n')}\n`;
  }

  /** The zip NSE's archive would serve for a session (one CSV, named as NSE names it). */
  zipOn(tradeDate: string): Uint8Array {
    const format = this.formatOn(tradeDate);
    const [year, month, day] = tradeDate.split('-').map(Number);
    // A fixed modification time: the same day zips to the same bytes on every run.
    return writeZip([{ name: archiveCsvName(tradeDate, format), data: Buffer.from(this.csvOn(tradeDate)) }], new Date(year!, month! - 1, day!, 18, 0, 0));
  }

  /** The archive path (under the base URL) of a session. */
  pathOn(tradeDate: string): string {
    return archivePath(tradeDate, this.formatOn(tradeDate));
  }
}
