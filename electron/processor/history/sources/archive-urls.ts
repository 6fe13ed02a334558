// Where NSE's archive keeps each day's cash-market bhavcopy, and the request headers it expects.
// The patterns and their public sources are in docs/history-sources.md. The loopback archive in
// ./testing serves the same paths, so the real source runs unchanged against it.
import type { BhavcopyFormat } from '../../../../shared/history/bhavcopy';

export const NSE_ARCHIVE_BASE_URL = 'https://nsearchives.nseindia.com';

/** The last day published in the classic layout, and the first in UDiFF (both per NSE's circular). */
export const LAST_CLASSIC_DAY = '2024-07-05';
export const FIRST_UDIFF_DAY = '2024-07-08';
/**
 * UDiFF files are reported to exist back to January 2024 (docs/history-sources.md); for those
 * classic-era days the UDiFF path is tried when the classic one is not found.
 */
export const EARLIEST_UDIFF_FILE = '2024-01-01';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * What the archive's CDN lets through: a browser's User-Agent, Accept and Accept-Language, and
 * NSE's own site as the Referer (it refuses clients without them with 403).
 */
export const NSE_ARCHIVE_HEADERS: Readonly<Record<string, string>> = {
  'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  Accept: 'application/zip,application/octet-stream,*/*;q=0.8',
  'Accept-Language': 'en-IN,en;q=0.9',
  Referer: 'https://www.nseindia.com/',
};

/** The layout NSE published on a date. */
export function formatForDate(tradeDate: string): BhavcopyFormat {
  return tradeDate <= LAST_CLASSIC_DAY ? 'classic' : 'udiff';
}

/** The archive path of a day's bhavcopy zip in a layout. */
export function archivePath(tradeDate: string, format: BhavcopyFormat): string {
  const [year, month, day] = tradeDate.split('-');
  if (format === 'udiff') return `/content/cm/BhavCopy_NSE_CM_0_0_0_${year}${month}${day}_F_0000.csv.zip`;
  const mon = MONTHS[Number(month) - 1];
  return `/content/historical/EQUITIES/${year}/${mon}/cm${day}${mon}${year}bhav.csv.zip`;
}

/** The name of the CSV inside a day's zip, as NSE names it. */
export function archiveCsvName(tradeDate: string, format: BhavcopyFormat): string {
  return archivePath(tradeDate, format).replace(/^.*\//, '').replace(/\.zip$/, '');
}

/** The paths to try for a day, in order: its own layout's, then (January–July 2024) UDiFF's. */
export function archivePathsFor(tradeDate: string): { path: string; format: BhavcopyFormat }[] {
  const format = formatForDate(tradeDate);
  const paths = [{ path: archivePath(tradeDate, format), format }];
  if (format === 'classic' && tradeDate >= EARLIEST_UDIFF_FILE) paths.push({ path: archivePath(tradeDate, 'udiff'), format: 'udiff' });
  return paths;
}

/** The day and layout an archive path names; null for any other path. */
export function parseArchivePath(pathname: string): { tradeDate: string; format: BhavcopyFormat } | null {
  let match = /^\/content\/cm\/BhavCopy_NSE_CM_0_0_0_(\d{4})(\d{2})(\d{2})_F_0000\.csv\.zip$/.exec(pathname);
  if (match) return { tradeDate: `${match[1]}-${match[2]}-${match[3]}`, format: 'udiff' };
  match = /^\/content\/historical\/EQUITIES\/(\d{4})\/([A-Z]{3})\/cm(\d{2})([A-Z]{3})(\d{4})bhav\.csv\.zip$/.exec(pathname);
  if (!match || match[2] !== match[4] || match[1] !== match[5]) return null;
  const month = MONTHS.indexOf(match[2]!) + 1;
  if (month === 0) return null;
  return { tradeDate: `${match[1]}-${String(month).padStart(2, '0')}-${match[3]}`, format: 'classic' };
}
