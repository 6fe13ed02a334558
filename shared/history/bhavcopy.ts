// Bhavcopies: NSE's end-of-day cash-market files, in either published format. Shared types
// (issue 11); the parser is added here by the sources work. Imported by the processor and the CLI.
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
