// Opening a workbook's zip without trusting it: what the file really is (an .xls or .ods
// renamed .xlsx gets named as such), its central directory read with every offset checked, and
// each part inflated under a hard cap. Both workbook readers go through here first.
import { inflateRawSync } from 'node:zlib';
import { DataError } from './errors';
import { LIMITS, megabytes } from './limits';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else is refused when read. */
  method: number;
  compressedSize: number;
  /** The size the central directory declares: checked before inflating, never trusted after. */
  size: number;
  headerOffset: number;
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
/** Little-endian 64-bit, as a double: zip64 sizes beyond 2^53 are absurd and caught by the caps. */
const u64 = (b: Uint8Array, at: number) => u32(b, at) + u32(b, at + 4) * 2 ** 32;

const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ODS_MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';

function startsWithBytes(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** Why bytes that are not a zip at all cannot be a workbook, in the user's terms. */
function notAZip(bytes: Uint8Array, label: string): DataError {
  if (startsWithBytes(bytes, OLE2_MAGIC)) {
    return new DataError(`${label} is an Excel 97-2003 workbook (.xls), not .xlsx: open it in Excel and save it as .xlsx`);
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    // A zip's start without its end: a save still in progress, or a cut-off copy.
    return new DataError(`${label} is not a readable workbook (truncated or corrupt)`, { transient: true });
  }
  // A UTF-8 BOM (EF BB BF, "ï»¿" read as latin1) may come first, as saved by Notepad or a browser.
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '').trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<?xml')) {
    return new DataError(`${label} is a web page or XML file renamed .xlsx, not an Excel workbook: save it from Excel as .xlsx`);
  }
  return new DataError(`${label} is not an Excel workbook (no zip structure: a CSV or other file renamed .xlsx?)`, { transient: true });
}

/** The zip's central directory, by part name; a DataError for anything that does not add up. */
export function openZip(bytes: Uint8Array, label: string): Map<string, ZipEntry> {
  const corrupt = (transient = true) => new DataError(`${label} is not a readable workbook (truncated or corrupt)`, { transient });
  // The end-of-central-directory record: within the last 22 + 65,535 (comment) bytes.
  let end = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && bytes[at + 2] === 0x05 && bytes[at + 3] === 0x06) {
      end = at;
      break;
    }
  }
  if (end < 0) throw notAZip(bytes, label);
  let count = u16(bytes, end + 10);
  let offset = u32(bytes, end + 16);
  if (end >= 20 && u32(bytes, end - 20) === 0x07064b50) {
    const z = u64(bytes, end - 12);
    if (z + 56 <= end && u32(bytes, z) === 0x06064b50) {
      count = u64(bytes, z + 32);
      offset = u64(bytes, z + 48);
    }
  }
  if (count > LIMITS.zipEntries) {
    throw new DataError(`${label} holds ${count.toLocaleString('en-US')} zip entries, more than the ${LIMITS.zipEntries.toLocaleString('en-US')} a workbook may have`);
  }
  const entries = new Map<string, ZipEntry>();
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || u32(bytes, at) !== 0x02014b50) throw corrupt();
    const method = u16(bytes, at + 10);
    let compressedSize = u32(bytes, at + 20);
    let size = u32(bytes, at + 24);
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    let headerOffset = u32(bytes, at + 42);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end) throw corrupt();
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + at + 46, nameLength).toString((u16(bytes, at + 8) & 0x800) ? 'utf8' : 'latin1');
    // Zip64: the sizes and offset that read 0xFFFFFFFF live in extra field 0x0001, in order.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength;) {
      const id = u16(bytes, x);
      const length = u16(bytes, x + 2);
      if (id === 1) {
        let f = x + 4;
        const fieldEnd = f + length;
        if (size === 0xffffffff && f + 8 <= fieldEnd) {
          size = u64(bytes, f);
          f += 8;
        }
        if (compressedSize === 0xffffffff && f + 8 <= fieldEnd) {
          compressedSize = u64(bytes, f);
          f += 8;
        }
        if (headerOffset === 0xffffffff && f + 8 <= fieldEnd) headerOffset = u64(bytes, f);
      }
      x += 4 + length;
    }
    entries.set(name, { name, method, compressedSize, size, headerOffset });
    at = next;
  }
  const mimetype = entries.get('mimetype');
  if (mimetype && !entries.has('xl/workbook.xml') && mimetype.method === 0 && mimetype.size < 200) {
    const text = Buffer.from(entryData(bytes, mimetype, label)).toString('latin1');
    if (text.startsWith(ODS_MIMETYPE)) {
      throw new DataError(`${label} is an OpenDocument spreadsheet (.ods), not .xlsx: save it as Excel 2007-365 (.xlsx)`);
    }
  }
  return entries;
}

/** The entry's stored (still compressed) bytes, located through its local header. */
function entryData(bytes: Uint8Array, entry: ZipEntry, label: string): Uint8Array {
  const h = entry.headerOffset;
  if (h + 30 > bytes.length || u32(bytes, h) !== 0x04034b50) {
    throw new DataError(`${label} is not a readable workbook (truncated or corrupt)`, { transient: true });
  }
  const start = h + 30 + u16(bytes, h + 26) + u16(bytes, h + 28);
  if (start + entry.compressedSize > bytes.length) {
    throw new DataError(`${label} is not a readable workbook (truncated or corrupt)`, { transient: true });
  }
  return bytes.subarray(start, start + entry.compressedSize);
}

function tooLarge(label: string, entry: ZipEntry, what: string): DataError {
  return new DataError(
    `${label}: part ${entry.name.slice(0, 60)} ${what}, more than the ${megabytes(LIMITS.partBytes)} a part may have (docs/reading-rules.md)`,
  );
}

/** Refuses, before any inflating, a part whose declared size is beyond the cap. */
export function checkDeclaredSize(entry: ZipEntry, label: string): void {
  if (entry.size > LIMITS.partBytes) throw tooLarge(label, entry, `unzips to ${megabytes(entry.size)}`);
}

/**
 * A part's bytes, inflated under the cap whatever the directory declared: zlib stops as soon
 * as the output passes maxOutputLength, so a lying zip bomb costs at most the cap.
 */
export function readEntry(bytes: Uint8Array, entry: ZipEntry, label: string): Uint8Array {
  checkDeclaredSize(entry, label);
  const data = entryData(bytes, entry, label);
  if (entry.method === 0) {
    if (data.length > LIMITS.partBytes) throw tooLarge(label, entry, `holds ${megabytes(data.length)}`);
    return data.slice(); // a copy: a view would keep the whole file alive in the shared-strings cache
  }
  if (entry.method !== 8) {
    throw new DataError(`${label}: part ${entry.name.slice(0, 60)} uses zip compression method ${entry.method}, which Excel never writes: save the workbook again from Excel`);
  }
  try {
    return inflateRawSync(data, { maxOutputLength: LIMITS.partBytes });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(label, entry, `unzips to more than its zip directory declares (${megabytes(entry.size)})`);
    }
    throw new DataError(`${label} is not a readable workbook (truncated or corrupt)`, { transient: true, cause });
  }
}

/**
 * Every part checked against the caps, declared sizes first: for readers (exceljs) that would
 * otherwise inflate whatever the file holds. Returns the total unzipped bytes.
 */
export function verifyZip(bytes: Uint8Array, label: string): number {
  const entries = [...openZip(bytes, label).values()];
  let declared = 0;
  for (const entry of entries) {
    checkDeclaredSize(entry, label);
    declared += entry.size;
  }
  const overall = (size: string) =>
    new DataError(`${label} unzips to ${size} in all, more than the ${megabytes(LIMITS.workbookBytes)} a workbook may hold (docs/reading-rules.md)`);
  if (declared > LIMITS.workbookBytes) throw overall(megabytes(declared));
  let total = 0;
  for (const entry of entries) {
    total += readEntry(bytes, entry, label).length;
    if (total > LIMITS.workbookBytes) throw overall(`more than ${megabytes(LIMITS.workbookBytes)}`);
  }
  return total;
}
