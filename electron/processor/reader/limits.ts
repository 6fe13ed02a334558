// The reader's limits: what a workbook may hold before it is refused, checked before the work
// is done. Chosen so the worst workbook within them reads in well under 2 s and 300 MB
// (`npm run bench`, "bad inputs"); the reasons are in docs/reading-rules.md.

export const LIMITS = {
  /**
   * Largest unzipped part read (a sheet, the shared strings), and largest CSV file. A 5,000-row
   * broker sheet is ~1.5 MB; 20,000 rows of 30 columns ~18 MB. Within it, the worst case (the
   * part filled with tiny shared strings) peaks at ~210 MB RSS in the processor.
   */
  partBytes: 24 * 1024 * 1024,
  /** All parts together, for the reader (exceljs) that unzips every part. */
  workbookBytes: 64 * 1024 * 1024,
  /** Zip entries; a workbook has a few dozen. */
  zipEntries: 10_000,
  /** Excel's own last row and column count. */
  rowNumber: 1_048_576,
  columns: 16_384,
  /** Rows holding cells, per sheet (and CSV lines): several times every equity NSE and BSE list. */
  rows: 50_000,
} as const;

export function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 || Number.isInteger(mb) ? Math.round(mb) : mb.toFixed(1)} MB`;
}
