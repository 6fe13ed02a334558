// The live path's workbook reader: unzip (zip.ts, node:zlib) only the parts needed (workbook, its
// relationships, shared strings, and each sheet only when it is tried), then scan the sheet
// XML directly. exceljs builds a whole object model of the workbook (styles, every cell as an
// object), which costs ~10x the unzip; this reads the same cells into the same grid, so one set
// of rules (table.ts) applies to both, and both run the same tests.
import type { CellValue } from './cells';
import { DataError } from './errors';
import { LIMITS } from './limits';
import type { SheetGrid } from './table';
import { openZip, readEntry } from './zip';

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(lt|gt|amp|quot|apos));|_x([0-9A-Fa-f]{4})_/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** A character reference's code point, or U+FFFD for one Unicode has no character for. */
function codePoint(n: number): string {
  return n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd';
}

/** XML entities, and OOXML's _xHHHH_ escapes for characters XML cannot carry. */
export function decodeXml(text: string): string {
  if (text.indexOf('&') < 0 && text.indexOf('_x') < 0) return text;
  return text.replace(ENTITY, (_, hex: string, dec: string, named: string, ooxml: string) => {
    if (hex) return codePoint(parseInt(hex, 16));
    if (dec) return codePoint(parseInt(dec, 10));
    if (named) return NAMED[named]!;
    return String.fromCharCode(parseInt(ooxml, 16));
  });
}

const ATTRIBUTE = /([\w:]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(ATTRIBUTE)) out[m[1]!] = decodeXml(m[3] ?? m[4] ?? '');
  return out;
}

/** "AB12" → 27 (0-based column); -1 when the reference is missing or malformed. */
export function columnIndex(ref: string | undefined): number {
  return ref ? columnAt(Buffer.from(ref, 'latin1'), 0) : -1;
}

/** The text of every <t> in a fragment, skipping phonetic runs (<rPh>). */
function textOf(fragment: string): string {
  let out = '';
  let from = 0;
  // The phonetic runs are followed forward alongside the <t>s: looking back for one from each
  // <t> (lastIndexOf) made a string of many runs quadratic.
  let runStart = fragment.indexOf('<rPh');
  let runClose = -1;
  for (;;) {
    const open = fragment.indexOf('<t', from);
    if (open < 0) return out;
    const after = fragment.charCodeAt(open + 2);
    if (after !== 62 /* > */ && after !== 32 /* space */) {
      from = open + 2; // <tc…> or similar: not a text element
      continue;
    }
    let inside = -1;
    while (runStart >= 0 && runStart < open) {
      if (runClose < runStart) runClose = fragment.indexOf('</rPh>', runStart);
      if (runClose < 0) {
        runStart = -1; // no run closes from here on: none can hold a later <t>
        break;
      }
      if (runClose > open) {
        inside = runClose;
        break;
      }
      runStart = fragment.indexOf('<rPh', runStart + 4);
    }
    if (inside >= 0) {
      from = inside + 6;
      continue;
    }
    const start = fragment.indexOf('>', open) + 1;
    if (start === 0) return out; // a <t cut off: searching on from 0 would loop for ever
    if (fragment.charCodeAt(start - 2) === 47 /* / */) {
      from = start; // <t/>
      continue;
    }
    const end = fragment.indexOf('</t>', start);
    if (end < 0) return out;
    out += decodeXml(fragment.slice(start, end));
    from = end + 4;
  }
}

function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const open = xml.indexOf('<si', from);
    if (open < 0) return out;
    const tagEnd = xml.indexOf('>', open);
    if (tagEnd < 0) return out; // a <si cut off: searching on from -1 would loop for ever
    if (xml.charCodeAt(tagEnd - 1) === 47 /* / */) {
      out.push(''); // <si/>
      from = tagEnd + 1;
      continue;
    }
    const close = xml.indexOf('</si>', tagEnd);
    if (close < 0) return out;
    out.push(textOf(xml.slice(tagEnd + 1, close)));
    from = close + 5;
  }
}

/** Cell types (the t attribute), read in place as codes so no per-cell string is made. */
const enum CellType { Number, Shared, Str, Inline, Error, Bool, Date }

// The hot path below reads the sheet's UTF-8 bytes directly: the markup is ASCII, and UTF-8
// never puts an ASCII byte inside a multi-byte character. Decoding a 5,000-row sheet to a
// string cost 2 ms and left a 1.5 MB string per cycle for the old generation to collect; only
// the rare cell that needs text (inline or formula strings, dates, exotic numbers) is decoded.

function cellTypeAt(xml: Buffer, valueStart: number): CellType {
  if (valueStart < 0) return CellType.Number;
  switch (xml[valueStart]) {
    case 115 /* s */:
      // t="s" or t='s' is a shared string; t="str" a formula's text.
      return xml[valueStart + 1] === xml[valueStart - 1] ? CellType.Shared : CellType.Str;
    case 105 /* i */:
      return CellType.Inline;
    case 101 /* e */:
      return CellType.Error;
    case 98 /* b */:
      return CellType.Bool;
    case 100 /* d */:
      return CellType.Date;
    default:
      return CellType.Number;
  }
}

/** Whether `</v></c>` starts at `at`: the close of a cell holding only a value. */
function valueCloseAt(xml: Buffer, at: number): boolean {
  return xml[at] === 60 && xml[at + 1] === 47 && xml[at + 2] === 118 && xml[at + 3] === 62 &&
    xml[at + 4] === 60 && xml[at + 5] === 47 && xml[at + 6] === 99 && xml[at + 7] === 62;
}

/** The value of a cell from its content's text (between <c …> and </c>): the general path. */
function cellValue(type: CellType, xml: string, strings: readonly string[]): CellValue {
  if (type === CellType.Inline) return textOf(xml);
  const vOpen = xml.indexOf('<v');
  if (vOpen < 0) return null; // no cached value: an empty or never-calculated cell
  const vStart = xml.indexOf('>', vOpen) + 1;
  if (xml.charCodeAt(vStart - 2) === 47) return null; // <v/>
  switch (type) {
    case CellType.Shared:
      return strings[Number(xml.slice(vStart, xml.indexOf('</v>', vStart)))] ?? null;
    case CellType.Error: // #N/A, #DIV/0!: missing
    case CellType.Bool:
      return null;
  }
  const raw = xml.slice(vStart, xml.indexOf('</v>', vStart));
  switch (type) {
    case CellType.Str:
      return decodeXml(raw);
    case CellType.Date: {
      const date = new Date(raw);
      return Number.isNaN(date.getTime()) ? null : date;
    }
    default: {
      if (raw === '') return null;
      const n = Number(raw);
      return Number.isFinite(n) ? n : null;
    }
  }
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Column letters of a reference such as "AB12", as a 0-based index, read in place. */
function columnAt(xml: Buffer, from: number): number {
  let col = 0;
  let i = from;
  for (; i < xml.length; i++) {
    const c = xml[i]!;
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === from ? -1 : col - 1;
}

const ascii = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));
const ROW_OPEN = ascii('<row');
const ROW_CLOSE = ascii('</row>');
const CELL_OPEN = ascii('<c');
const CELL_CLOSE = ascii('</c>');

/** Whether `pattern` starts at `at`. */
function startsAt(xml: Buffer, pattern: Uint8Array, at: number): boolean {
  for (let k = 0; k < pattern.length; k++) if (xml[at + k] !== pattern[k]) return false;
  return true;
}

/**
 * The next `pattern` at or after `from`, or -1. A plain loop: the scan's searches end within
 * a few hundred bytes, where Buffer#indexOf's per-call cost (~0.4 µs) was half the scan.
 */
function seek(xml: Buffer, pattern: Uint8Array, from: number): number {
  const first = pattern[0]!;
  const last = xml.length - pattern.length;
  outer: for (let i = from; i <= last; i++) {
    if (xml[i] !== first) continue;
    for (let k = 1; k < pattern.length; k++) if (xml[i + k] !== pattern[k]) continue outer;
    return i;
  }
  return -1;
}

/**
 * seek, remembering its last answer per pattern: the scan only moves forward, so an answer
 * holds until the scan passes it, and "none" holds for good. Without this, a row with no
 * </row> or cells with no </c> searched to the end of the sheet once per cell: quadratic.
 */
class Seeker {
  private from = -1;
  private at = -1;
  constructor(private readonly pattern: Uint8Array) {}
  next(xml: Buffer, from: number): number {
    if (this.from >= 0 && from >= this.from && (this.at < 0 || from <= this.at)) return this.at;
    this.from = from;
    this.at = seek(xml, this.pattern, from);
    return this.at;
  }
}

/** A reference's text for a message: short, printable. */
function referenceText(xml: Buffer, at: number): string {
  let end = at;
  while (end < xml.length && end - at < 24 && xml[end] !== 34 && xml[end] !== 39) end++;
  return xml.toString('latin1', at, end).replace(/[^\x20-\x7e]/g, '?');
}

const count = (n: number) => n.toLocaleString('en-US');

/** The sheet's bytes as a Buffer without copying them, for its native indexOf and toString. */
function asBuffer(xml: string | Uint8Array): Buffer {
  if (typeof xml === 'string') return Buffer.from(xml, 'utf8');
  return Buffer.isBuffer(xml) ? xml : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength);
}

/**
 * Rows of a sheet's XML; rows[r] is worksheet row r, cells by 0-based column. Scans the UTF-8
 * bytes in place: a native indexOf between rows, byte by byte within tags and plain values (no
 * regex, no per-cell substrings). Per-cell regex matching on string slices fell off a cliff
 * after warm-up, and each indexOf call costs more than reading a short tag directly.
 */
export function scanSheet(sheetXml: string | Uint8Array, strings: readonly string[]): Array<CellValue[] | undefined> {
  return new SheetScan(asBuffer(sheetXml), strings).rows();
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * One scan of one sheet, and what it read last. Its own object, so no two scans share a
 * position; fields rather than a returned object per tag or number: the scan reads 45,000 tags
 * per 5,000-symbol sheet, and an object per tag is garbage per tag.
 */
class SheetScan {
  // The tag just read by readTag.
  private tagEnd = 0;
  private tagSelfClosing = false;
  private tagR = -1;
  private tagT = -1;
  /** Where the number digitsAt or plainDecimalAt read last stopped. */
  private numberEnd = 0;
  private readonly rowCloseSeeker = new Seeker(ROW_CLOSE);
  private readonly cellCloseSeeker = new Seeker(CELL_CLOSE);
  private readonly cellOpenSeeker = new Seeker(CELL_OPEN);

  constructor(
    private readonly xml: Buffer,
    private readonly strings: readonly string[],
  ) {}

  /** The sheet's rows (see scanSheet). */
  rows(): Array<CellValue[] | undefined> {
    const xml = this.xml;
    const strings = this.strings;
    const rows: Array<CellValue[] | undefined> = [];
    const dataStart = xml.indexOf('<sheetData');
    if (dataStart < 0) return rows;
    const dataEnd = xml.indexOf('</sheetData>', dataStart);
    const limit = dataEnd < 0 ? xml.length : dataEnd;
    let pos = dataStart;
    let rowNumber = 0;
    let rowCount = 0;
    for (;;) {
      const rowOpen = seek(xml, ROW_OPEN, pos);
      if (rowOpen < 0 || rowOpen > limit) return rows;
      this.readTag(rowOpen + 4);
      const stated = this.tagR < 0 ? NaN : this.digitsAt(this.tagR);
      rowNumber = Number.isNaN(stated) ? rowNumber + 1 : stated;
      // Limits, once per row, before the row costs anything: a row number of 4,294,967,294 made
      // every later loop over the rows run for minutes.
      if (rowNumber > LIMITS.rowNumber) {
        throw new DataError(`row ${this.tagR < 0 ? count(rowNumber) : referenceText(xml, this.tagR)} is beyond Excel's last row (${count(LIMITS.rowNumber)})`);
      }
      if (this.tagSelfClosing) {
        pos = this.tagEnd + 1; // <row …/>: an empty row
        continue;
      }
      if (++rowCount > LIMITS.rows) {
        throw new DataError(`the sheet has more than ${count(LIMITS.rows)} rows, more than a price list may have (docs/reading-rules.md)`);
      }
      const cells: CellValue[] = [];
      let c = this.tagEnd + 1;
      let column = -1;
      // The row's end is found where its cells stop, not searched for first: that search read
      // every byte of the row a second time.
      let rowClose = -1;
      for (;;) {
        while (c < limit && isSpace(xml[c]!)) c++;
        let cellOpen = c;
        if (!(xml[c] === 60 && xml[c + 1] === 99)) {
          if (startsAt(xml, ROW_CLOSE, c)) {
            rowClose = c;
            break;
          }
          // Something else between cells (an extension element, stray text): search on.
          rowClose = this.rowCloseSeeker.next(xml, c);
          cellOpen = this.cellOpenSeeker.next(xml, c);
          if (cellOpen < 0 || (rowClose >= 0 && cellOpen > rowClose) || cellOpen > limit) break;
          rowClose = -1;
        }
        const next = xml[cellOpen + 2];
        if (next !== 32 && next !== 62 && next !== 47) {
          c = cellOpen + 2; // not a <c> element
          continue;
        }
        this.readTag(cellOpen + 2);
        column = this.tagR >= 0 ? columnAt(xml, this.tagR) : column + 1;
        if (column >= LIMITS.columns) {
          throw new DataError(this.tagR >= 0
            ? `cell ${referenceText(xml, this.tagR)} is beyond Excel's last column (XFD, ${count(LIMITS.columns)} columns)`
            : `row ${count(rowNumber)} has more than ${count(LIMITS.columns)} cells, Excel's last column`);
        }
        if (this.tagSelfClosing) {
          c = this.tagEnd + 1; // <c …/>: styled but empty
          continue;
        }
        const type = cellTypeAt(xml, this.tagT);
        const content = this.tagEnd + 1;
        // The common cells, <c …><v>number</v></c> and a shared string's <v>index</v>, read
        // straight through; anything else (a formula before the value, an exponent, inline or
        // formula text, a date) is decoded and takes the general path.
        if ((type === CellType.Number || type === CellType.Shared) && xml[content] === 60 && xml[content + 1] === 118 && xml[content + 2] === 62) {
          const number = type === CellType.Number ? this.plainDecimalAt(content + 3) : this.digitsAt(content + 3);
          if (!Number.isNaN(number) && valueCloseAt(xml, this.numberEnd)) {
            const value = type === CellType.Number ? number : strings[number];
            if (value !== undefined) cells[column] = value;
            c = this.numberEnd + 8;
            continue;
          }
        }
        const cellClose = this.cellCloseSeeker.next(xml, content);
        const rowEnd = this.rowCloseSeeker.next(xml, content);
        if (cellClose < 0 || (rowEnd >= 0 && cellClose > rowEnd)) {
          rowClose = rowEnd; // an unclosed cell: the row ends here
          break;
        }
        const text = xml.toString('utf8', content, cellClose);
        const value = cellValue(type, text, strings);
        if (value !== null) cells[column] = value;
        c = cellClose + 4;
      }
      rows[rowNumber] = cells;
      if (rowClose < 0) return rows;
      pos = rowClose + 6;
    }
  }

  /**
   * Reads the tag whose name ends just before `from`, up to its '>', noting where the values of
   * its r and t attributes start (-1 when absent). Char by char in place: no substring per tag.
   */
  private readTag(from: number): void {
    const xml = this.xml;
    this.tagR = -1;
    this.tagT = -1;
    let nameStart = from;
    for (let i = from; i < xml.length; i++) {
      const c = xml[i]!;
      if (c === 62 /* > */) {
        this.tagEnd = i;
        this.tagSelfClosing = xml[i - 1] === 47 /* / */;
        return;
      }
      if (isSpace(c)) {
        nameStart = i + 1;
      } else if (c === 61 /* = */) {
        let q = i + 1;
        while (q < xml.length && isSpace(xml[q]!)) q++;
        const quote = xml[q];
        if (quote !== 34 && quote !== 39) continue;
        if (i - nameStart === 1) {
          const name = xml[nameStart];
          if (name === 114 /* r */) this.tagR = q + 1;
          else if (name === 116 /* t */) this.tagT = q + 1;
        }
        // Attribute values are short: a byte loop beats an indexOf call.
        let close = q + 1;
        while (close < xml.length && xml[close] !== quote) close++;
        if (close >= xml.length) break;
        i = close;
        nameStart = close + 1;
      }
    }
    this.tagEnd = xml.length;
    this.tagSelfClosing = false;
  }

  /** A run of digits read in place, or NaN when there is none. */
  private digitsAt(from: number): number {
    const xml = this.xml;
    let n = 0;
    let i = from;
    for (; i < xml.length; i++) {
      const c = xml[i]!;
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
    }
    this.numberEnd = i;
    return i === from ? NaN : n;
  }

  /**
   * A plain decimal such as -4096.25 that ends at `<`, read in place; NaN for anything else
   * (exponents, 16+ digits, stray characters), which the caller hands to Number. Exact: with at
   * most 15 digits the digits form an exact integer and 10^k (k ≤ 22) is exact, so one division
   * rounds once, to the same double Number() gives (Clinger's fast path).
   */
  private plainDecimalAt(from: number): number {
    const xml = this.xml;
    let i = from;
    const negative = xml[i] === 45; /* - */
    if (negative) i++;
    let digits = 0;
    let fraction = -1;
    let mantissa = 0;
    for (;; i++) {
      if (i >= xml.length) return NaN;
      const c = xml[i]!;
      if (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        if (fraction >= 0) fraction++;
      } else if (c === 46 /* . */ && fraction < 0) {
        fraction = 0;
      } else if (c === 60 /* < */) {
        break;
      } else {
        return NaN;
      }
    }
    this.numberEnd = i;
    if (digits === 0 || digits > 15) return NaN;
    const value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction]! : mantissa;
    return negative ? -value : value;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function partPath(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return `xl/${target}`.replace(/\/[^/]+\/\.\.\//g, '/');
}

/** UTF-8 text of a part; malformed bytes become U+FFFD rather than an error. */
const text = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

/**
 * A workbook reader for one feed. It keeps the shared strings of the last few workbooks it read:
 * a live feed rewrites prices every few seconds but its strings (symbols, sectors) rarely
 * change, so comparing the bytes is ~40x cheaper than parsing them, and the same string objects
 * each cycle make every later symbol lookup an identity hit. What it keeps is its own: another
 * reader's workbooks cannot push them out.
 */
export class XlsxReader {
  private static readonly STRING_CACHE_SIZE = 2;
  private readonly stringCache: Array<{ bytes: Uint8Array; strings: string[] }> = [];
  private parsed = 0;

  /** How many shared-strings parts this reader has parsed; the other reads found theirs kept. */
  get sharedStringsParsed(): number {
    return this.parsed;
  }

  read(buffer: Buffer, fileLabel: string): SheetGrid[] {
    if (buffer.length === 0) {
      throw new DataError(`${fileLabel} is empty (0 bytes): not a readable workbook yet`, { transient: true });
    }
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    // The directory is read, and every part's declared size checked, before anything is inflated.
    const entries = openZip(bytes, fileLabel);
    const part = (name: string) => {
      const entry = entries.get(name);
      return entry ? readEntry(bytes, entry, fileLabel) : undefined;
    };
    const workbook = part('xl/workbook.xml');
    const rels = part('xl/_rels/workbook.xml.rels');
    if (!workbook || !rels) {
      throw new DataError(
        entries.size > 0 && !entries.has('[Content_Types].xml')
          ? `${fileLabel} is a zip file but not an Excel workbook (no xl/workbook.xml): save it from Excel as .xlsx`
          : `${fileLabel} is not a readable workbook (truncated or corrupt)`,
        { transient: entries.has('[Content_Types].xml') || entries.size === 0 },
      );
    }

    const targets = new Map<string, string>();
    for (const m of text(rels).matchAll(/<Relationship\b[^>]*>/g)) {
      const a = attributes(m[0]);
      if (a.Id && a.Target) targets.set(a.Id, partPath(a.Target));
    }
    const strings = this.stringsOf(part('xl/sharedStrings.xml') ?? null);

    const sheets: SheetGrid[] = [];
    for (const m of text(workbook).matchAll(/<sheet\b[^>]*>/g)) {
      const a = attributes(m[0]);
      const path = targets.get(a['r:id'] ?? '') ?? null;
      if (!a.name || !path) continue;
      const name = a.name;
      let rows: Array<CellValue[] | undefined> | null = null;
      sheets.push({
        name,
        // Parsed only when the rules try this sheet: most workbooks stop at the first.
        get rows() {
          if (rows === null) {
            const xml = part(path);
            try {
              rows = xml ? scanSheet(xml, strings) : [];
            } catch (error) {
              if (!(error instanceof DataError)) throw error;
              throw new DataError(`${fileLabel}, sheet "${name.slice(0, 31)}": ${error.message}`, { cause: error });
            }
          }
          return rows;
        },
      });
    }
    return sheets;
  }

  /** The part's strings: kept from an earlier read of the same bytes, or parsed now. */
  private stringsOf(bytes: Uint8Array | null): string[] {
    if (!bytes) return [];
    const cache = this.stringCache;
    const hit = cache.findIndex((entry) => sameBytes(entry.bytes, bytes));
    if (hit >= 0) {
      const [entry] = cache.splice(hit, 1);
      cache.unshift(entry!);
      return entry!.strings;
    }
    this.parsed++;
    const strings = sharedStrings(text(bytes));
    cache.unshift({ bytes, strings });
    cache.length = Math.min(cache.length, XlsxReader.STRING_CACHE_SIZE);
    return strings;
  }
}

/** One workbook read with a reader of its own, which keeps nothing for a next read. */
export function readXlsxSheetsFast(buffer: Buffer, fileLabel: string): SheetGrid[] {
  return new XlsxReader().read(buffer, fileLabel);
}
