// Workbooks built byte by byte, valid or hostile, for the reader's tests, its fuzz test and the
// bench's bad-input corpus. Large parts are streamed through fflate's Zip from a repeated chunk,
// so a 1 GB sheet never exists in memory: only its few megabytes of deflated bytes do.
import { Zip, ZipDeflate, ZipPassThrough, zipSync, strToU8, type ZipInputFile } from 'fflate';
import { constants, crc32, deflateRawSync } from 'node:zlib';

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>';
const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Live" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>';

export const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const SHEET_TAIL = '</sheetData></worksheet>';
export const STRINGS_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';
export const STRINGS_TAIL = '</sst>';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One row as sheet XML: strings inline, numbers as values. */
export function rowXml(r: number, values: ReadonlyArray<string | number>): string {
  const cells = values.map((v, i) => {
    const ref = `${String.fromCharCode(65 + i)}${r}`;
    return typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${escape(v)}</t></is></c>`;
  });
  return `<row r="${r}">${cells.join('')}</row>`;
}

/** A small valid Live sheet's rows: header and `symbols` priced rows. */
export function liveRowsXml(symbols: number): string {
  const rows = [rowXml(1, ['Symbol', 'LTP', 'Prev Close', 'Volume', 'Sector'])];
  for (let i = 0; i < symbols; i++) rows.push(rowXml(i + 2, [`SYM${i}`, 100 + i / 4, 100, 1000 + i, 'Bank & Finance']));
  return rows.join('');
}

/** A part's content: text, or a chunk repeated (streamed, never joined in memory). */
export type PartContent = string | { head: string; chunk: string; times: number; tail: string };

export interface WorkbookParts {
  sheet: PartContent;
  sharedStrings?: PartContent;
  /** Extra entries: raw, or a chunk repeated (deflated once, like a large sheet). */
  extra?: Record<string, PartContent | Uint8Array>;
  /** Deflate level; 0 stores. */
  level?: 0 | 1 | 6 | 9;
}

/** A workbook with one sheet "Live", its parts streamed through fflate's Zip. */
export function buildWorkbook(parts: WorkbookParts): Buffer {
  const out: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    out.push(data);
  });
  const level = parts.level ?? 6;
  const add = (name: string, content: PartContent | Uint8Array) => {
    const file = level === 0 ? new ZipPassThrough(name) : new ZipDeflate(name, { level });
    zip.add(file);
    if (content instanceof Uint8Array) return file.push(content, true);
    if (typeof content === 'string') return file.push(strToU8(content), true);
    file.push(strToU8(content.head));
    // Chunks of about 1 MB: few calls, little memory.
    const per = Math.max(1, Math.floor((1 << 20) / Math.max(1, content.chunk.length)));
    const block = strToU8(content.chunk.repeat(Math.min(per, content.times)));
    let left = content.times;
    while (left >= per) {
      file.push(block);
      left -= per;
    }
    if (left > 0) file.push(strToU8(content.chunk.repeat(left)));
    file.push(strToU8(content.tail), true);
  };
  const addRepeated = (name: string, content: Exclude<PartContent, string>) => {
    // Deflating 1 GB takes fflate ~17 s. A block flushed with Z_FULL_FLUSH is byte-aligned and
    // refers to nothing before it, so one deflated megabyte repeated is a valid deflate stream
    // of the repeated text: the gigabyte is never deflated, only its CRC computed (natively).
    const per = Math.max(1, Math.floor((1 << 20) / Math.max(1, content.chunk.length)));
    const flushed = (text: string) => deflateRawSync(text, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
    const head = Buffer.from(content.head);
    const unit = Buffer.from(content.chunk.repeat(Math.min(per, content.times)));
    const rest = Buffer.from(content.chunk.repeat(content.times % per) + content.tail);
    const units = Math.floor(content.times / per);
    let crc = crc32(head);
    for (let i = 0; i < units; i++) crc = crc32(unit, crc);
    crc = crc32(rest, crc);
    const file: ZipInputFile = { filename: name, compression: 8, size: head.length + unit.length * units + rest.length, crc };
    zip.add(file);
    file.ondata!(null, flushed(content.head), false);
    const deflatedUnit = flushed(unit.toString());
    for (let i = 0; i < units; i++) file.ondata!(null, deflatedUnit, false);
    file.ondata!(null, deflateRawSync(rest, { level: 9 }), true);
  };
  add('[Content_Types].xml', CONTENT_TYPES);
  add('_rels/.rels', ROOT_RELS);
  add('xl/workbook.xml', WORKBOOK);
  add('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
  const addPart = (name: string, content: PartContent) =>
    typeof content === 'string' || level === 0 ? add(name, content) : addRepeated(name, content);
  if (parts.sharedStrings !== undefined) addPart('xl/sharedStrings.xml', parts.sharedStrings);
  addPart('xl/worksheets/sheet1.xml', parts.sheet);
  for (const [name, content] of Object.entries(parts.extra ?? {})) {
    if (typeof content === 'string' || content instanceof Uint8Array) add(name, typeof content === 'string' ? strToU8(content) : content);
    else addPart(name, content);
  }
  zip.end();
  return Buffer.concat(out);
}

/** A workbook whose sheet XML is `rows` between the usual head and tail. */
export function sheetWorkbook(rows: string, sharedStrings?: string[]): Buffer {
  return buildWorkbook({
    sheet: SHEET_HEAD + rows + SHEET_TAIL,
    sharedStrings: sharedStrings && STRINGS_HEAD + sharedStrings.map((s) => `<si><t>${escape(s)}</t></si>`).join('') + STRINGS_TAIL,
  });
}

/** A copy of the zip, and where `name`'s central directory entry and local header start in it. */
function findEntry(zip: Buffer, name: string): { out: Buffer; central: number; local: number } {
  const out = Buffer.from(zip);
  const wanted = Buffer.from(name, 'utf8');
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  // indexOf, native, rather than a check at every byte: a stored part may be tens of megabytes.
  for (let at = out.indexOf(signature); at >= 0 && at + 46 <= out.length; at = out.indexOf(signature, at + 1)) {
    if (out.readUInt16LE(at + 28) === wanted.length && out.subarray(at + 46, at + 46 + wanted.length).equals(wanted)) {
      return { out, central: at, local: out.readUInt32LE(at + 42) };
    }
  }
  throw new Error(`no entry ${name}`);
}

/**
 * The zip with `name`'s declared uncompressed size rewritten in its central directory entry
 * (and local header): a zip that lies about how big a part unzips to.
 */
export function withDeclaredSize(zip: Buffer, name: string, size: number): Buffer {
  const { out, central, local } = findEntry(zip, name);
  out.writeUInt32LE(size, central + 24);
  out.writeUInt32LE(size, local + 22);
  return out;
}

/**
 * The zip with `name`'s compression method rewritten (its bytes unchanged): a part packed by a
 * method Excel never writes (9 Deflate64, 12 bzip2, 14 LZMA, 93 Zstandard).
 */
export function withMethod(zip: Buffer, name: string, method: number): Buffer {
  const { out, central, local } = findEntry(zip, name);
  out.writeUInt16LE(method, central + 10);
  out.writeUInt16LE(method, local + 8);
  return out;
}

/**
 * A zip of `count` empty stored entries (x/0, x/1, …), written directly: fflate's zipSync takes
 * most of a second for 10,000 entries, this a few milliseconds.
 */
export function zipOfEmptyEntries(count: number): Buffer {
  if (count > 0xffff) throw new Error('more entries than a zip without zip64 can count');
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const name = Buffer.from(`x/${i}`);
    const local = Buffer.alloc(30 + name.length); // sizes and CRC of an empty entry are all 0
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(name.length, 26);
    name.copy(local, 30);
    const central = Buffer.alloc(46 + name.length);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    name.copy(central, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** An OpenDocument spreadsheet's opening: what an .ods renamed .xlsx looks like. */
export function odsLike(): Buffer {
  return Buffer.from(zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.spreadsheet'), { level: 0 }],
    'content.xml': strToU8('<office:document-content/>'),
    'META-INF/manifest.xml': strToU8('<manifest:manifest/>'),
  }));
}

/** An OLE2 compound file's first sector: what an .xls renamed .xlsx looks like. */
export function xlsLike(): Buffer {
  const out = Buffer.alloc(4096);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(out);
  return out;
}
