// A bhavcopy file's bytes as CSV text: NSE's zip (one CSV inside), a trader's own zip (perhaps
// several days' CSVs), or a plain CSV, told apart by their content, never by the name. Zips are
// opened with the workbook reader's guarded zip code (every offset checked, inflating capped)
// and each entry is checked against its CRC, so a damaged download or cache file is caught
// here instead of being trusted.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { decodeCsv } from '../../reader/csv';
import { openZip, readEntry, type ZipEntry } from '../../reader/zip';

/** Why bytes are not a readable bhavcopy file; `damaged` when they look cut off or corrupted. */
export class BhavcopyFileError extends Error {
  override readonly name = 'BhavcopyFileError';
  constructor(
    message: string,
    readonly damaged: boolean,
  ) {
    super(message);
  }
}

export type FileKind = 'zip' | 'html' | 'text';

/** What the bytes are: a zip by its signature, a web page by its opening tag, else text. */
export function fileKind(bytes: Uint8Array): FileKind {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06)) return 'zip';
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '').trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body')) return 'html';
  return 'text';
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/** The CSV entries of a zip, in the zip's order. */
function csvEntries(bytes: Uint8Array, label: string): ZipEntry[] {
  let entries: Map<string, ZipEntry>;
  try {
    entries = openZip(bytes, label);
  } catch {
    throw new BhavcopyFileError(`${label} is not a readable zip (truncated or corrupt)`, true);
  }
  const files = [...entries.values()].filter((entry) => !entry.name.endsWith('/'));
  const csvs = files.filter((entry) => /\.csv$/i.test(entry.name));
  if (csvs.length === 0) {
    const found = files.slice(0, 4).map((entry) => entry.name.slice(0, 60)).join(', ') || 'nothing';
    throw new BhavcopyFileError(`${label} holds no CSV file (found ${found})`, false);
  }
  return csvs;
}

/** One zip entry's bytes, checked against the CRC its local header declares. */
function entryBytes(bytes: Uint8Array, entry: ZipEntry, label: string): Uint8Array {
  let data: Uint8Array;
  try {
    data = readEntry(bytes, entry, label);
  } catch (cause) {
    const tooLarge = cause instanceof Error && / more than /.test(cause.message);
    throw tooLarge
      ? new BhavcopyFileError(`${label}: ${entry.name.slice(0, 60)} is larger than any bhavcopy (more than 24 MB unzipped)`, false)
      : new BhavcopyFileError(`${label} is not a readable zip (truncated or corrupt)`, true);
  }
  const h = entry.headerOffset;
  // Bit 3: sizes and CRC follow the data instead; the header's CRC field is then zero.
  if ((u16(bytes, h + 6) & 0x08) === 0 && crc32(data) !== u32(bytes, h + 14)) {
    throw new BhavcopyFileError(`${label} is corrupt (${entry.name.slice(0, 60)} fails its CRC check)`, true);
  }
  return data;
}

export interface CsvText {
  /** The entry's name inside a zip; null for a plain CSV. */
  entry: string | null;
  text: string;
}

/**
 * Every CSV a file holds, decoded (UTF-8, or what decodeCsv finds): one for NSE's files, several
 * for a trader's zip of a month. A web page (an error page sent with status 200) is named as such.
 */
export function csvTextsOf(bytes: Uint8Array, label: string): CsvText[] {
  const kind = fileKind(bytes);
  if (kind === 'html') throw new BhavcopyFileError(`${label} is a web page, not a bhavcopy`, false);
  if (kind === 'text') return [{ entry: null, text: decodeCsv(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)).text }];
  return csvEntries(bytes, label).map((entry) => {
    const data = entryBytes(bytes, entry, label);
    return { entry: entry.name, text: decodeCsv(Buffer.from(data.buffer, data.byteOffset, data.length)).text };
  });
}

/** The one CSV of a zip or CSV file, or the named entry of a zip. */
export function csvTextOf(bytes: Uint8Array, label: string, entryName?: string | null): string {
  if (entryName && fileKind(bytes) === 'zip') {
    const entry = csvEntries(bytes, label).find((candidate) => candidate.name === entryName);
    if (!entry) throw new BhavcopyFileError(`${label} no longer holds ${entryName.slice(0, 60)}`, false);
    const data = entryBytes(bytes, entry, label);
    return decodeCsv(Buffer.from(data.buffer, data.byteOffset, data.length)).text;
  }
  const texts = csvTextsOf(bytes, label);
  if (texts.length > 1) throw new BhavcopyFileError(`${label} holds ${texts.length} CSV files where one bhavcopy was expected`, false);
  return texts[0]!.text;
}

/** The first `count` lines of a text (the header and a row or two: enough to tell layout and date). */
export function firstLines(text: string, count: number): string {
  const lineEnd = /\r\n|\n|\r/g;
  let end = 0;
  for (let line = 0; line < count; line++) {
    const match = lineEnd.exec(text);
    if (!match) return text;
    end = match.index + match[0].length;
  }
  return text.slice(0, end);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
