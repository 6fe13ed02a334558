// Mutated workbooks for the fuzz test, from a seeded PRNG so any case can be made again from
// its seed and number: byte flips, XML damage (huge r= attributes, bad entities, cut tags) and
// zip structure damage (central directory, local headers, truncation).
import { SHEET_HEAD, SHEET_TAIL, STRINGS_HEAD, STRINGS_TAIL, buildWorkbook, liveRowsXml, rowXml } from './hostile-workbooks';
import { seededRandom } from '../../../shared/seeded-random';

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, below: number) => Math.floor(random() * below);

const SHARED = ['Symbol', 'LTP', 'Prev Close', 'TCS', 'INFY', 'M&M', 'Bank'];
function baseSheet(random: Random): { sheet: string; strings: string } {
  const rows = int(random, 40) + 2;
  const shared = `${rowXml(1, ['Volume'])}<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c></row>` +
    Array.from({ length: rows }, (_, i) => `<row r="${i + 3}" spans="1:3"><c r="A${i + 3}" t="s"><v>${3 + (i % 3)}</v></c><c r="B${i + 3}"><v>${100 + i}.25</v></c>` +
      `<c r="C${i + 3}" s="1"><f>B${i + 3}*2</f><v>${200 + i}</v></c><c r="D${i + 3}" t="str"><v>x&amp;y</v></c></row>`).join('');
  const sheet = pick(random, [liveRowsXml(rows), shared]);
  return {
    sheet: SHEET_HEAD + sheet + SHEET_TAIL,
    strings: STRINGS_HEAD + SHARED.map((s) => `<si><t>${s.replace('&', '&amp;')}</t></si>`).join('') + '<si><r><t>ri</t></r><rPh><t>ph</t></rPh></si>' + STRINGS_TAIL,
  };
}

const XML_DAMAGE: Array<(xml: string, random: Random) => string> = [
  // Huge or odd row and cell references.
  (xml, r) => xml.replace(/r="(\d+)"/, () => `r="${pick(r, ['4294967294', '99999999999999999999999', '0', '-5', '1e9', '1048577', ''])}"`),
  (xml, r) => xml.replace(/r="([A-Z]+)(\d+)"/, (_, _c, row: string) => `r="${pick(r, ['FXSHRXW', 'XFE', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'ZZZZZZZZ', '', 'a'])}${row}"`),
  // Bad entities and escapes.
  (xml, r) => xml.replace(/<v>([^<]*)<\/v>/, (_, v: string) => `<v>${v}${pick(r, ['&#x110000;', '&#99999999999;', '&#xFFFFFFFFFFFF;', '&bogus;', '&#;', '&', '_xD800_', '&#xD800;'])}</v>`),
  (xml, r) => xml.replace(/<t>([^<]*)<\/t>/, (_, t: string) => `<t>${t}${pick(r, ['&#x110000;', '&#0;', '&amp', '_xZZZZ_', '&#x1F600;'])}</t>`),
  // Cut or unbalanced markup.
  (xml, r) => xml.slice(0, int(r, xml.length)),
  (xml, r) => {
    const at = int(r, xml.length);
    return xml.slice(0, at) + pick(r, ['<', '<c', '<row', '<row r="', '</row>', '<c r="B', '<v>', '"', "'", '<![CDATA[', '<!--', '>']) + xml.slice(at);
  },
  (xml, r) => xml.replace(pick(r, [/<\/c>/g, /<\/row>/g, /<\/v>/g, /<\/t>/g, /<\/si>/g, /<\/sheetData>/g, />/g]), ''),
  // Repetition: the same row many times over (bounded: a few MB).
  (xml, r) => {
    const row = /<row[^]*?<\/row>/.exec(xml)?.[0] ?? '<row/>';
    const times = Math.min(int(r, 20_000), Math.floor((4 << 20) / row.length)) + 1; // a cut </row> can make the "row" the whole sheet
    return xml.replace('</sheetData>', `${row.repeat(times)}</sheetData>`);
  },
  // Cells with no reference, one after another: an implicit column count.
  (xml, r) => xml.replace('</sheetData>', `<row>${'<c><v>1</v></c>'.repeat(int(r, 20_000))}</row></sheetData>`),
  // A shared-string index beyond the table, a negative one, text where a number goes.
  (xml, r) => xml.replace(/t="s"><v>\d+<\/v>/, () => `t="s"><v>${pick(r, ['999999999', '-1', 'abc', '1.5', ''])}</v>`),
];

function flipBytes(zip: Buffer, random: Random, count: number, from = 0): Buffer {
  const out = Buffer.from(zip);
  for (let k = 0; k < count; k++) out[from + int(random, out.length - from)] = int(random, 256);
  return out;
}

/** Damage to the zip's own structure: its directory, its headers, its length. */
function zipDamage(zip: Buffer, random: Random): Buffer {
  const out = Buffer.from(zip);
  const end = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const directory = end >= 0 ? out.readUInt32LE(end + 16) : 0;
  switch (int(random, 6)) {
    case 0:
      return out.subarray(0, int(random, out.length)); // truncated
    case 1:
      return flipBytes(out, random, int(random, 8) + 1, Math.min(directory, out.length - 1)); // central directory
    case 2: {
      // A size or offset field set to something absurd.
      const entries: number[] = [];
      for (let at = directory; at + 46 <= out.length; at++) if (out.readUInt32LE(at) === 0x02014b50) entries.push(at);
      if (entries.length === 0) return out;
      const at = pick(random, entries);
      out.writeUInt32LE(pick(random, [0, 1, 0xffffffff, 0x7fffffff, out.length, int(random, 2 ** 32)]), at + pick(random, [20, 24, 42]));
      return out;
    }
    case 3:
      if (end >= 0) out.writeUInt16LE(pick(random, [0, 1, 0xffff, int(random, 65536)]), end + pick(random, [8, 10]));
      if (end >= 0 && random() < 0.5) out.writeUInt32LE(pick(random, [0, 0xffffffff, int(random, out.length)]), end + 16);
      return out;
    case 4: {
      // A local header's name or extra length.
      const local = out.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), int(random, Math.max(1, directory)));
      if (local >= 0) out.writeUInt16LE(int(random, 65536), local + pick(random, [26, 28]));
      return out;
    }
    default:
      return flipBytes(out, random, int(random, 30) + 1);
  }
}

export interface FuzzCase {
  index: number;
  kind: string;
  bytes: Buffer;
}

/** Case `index` of the run seeded `seed`: the same pair always gives the same bytes. */
export function fuzzCase(seed: number, index: number): FuzzCase {
  const random = seededRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const base = baseSheet(random);
  const kind = pick(random, ['xml', 'xml', 'strings', 'bytes', 'zip']);
  if (kind === 'xml' || kind === 'strings') {
    let sheet = base.sheet;
    let strings = base.strings;
    for (let n = int(random, 3) + 1; n > 0; n--) {
      const damage = pick(random, XML_DAMAGE);
      if (kind === 'xml') sheet = damage(sheet, random);
      else strings = damage(strings, random);
    }
    return { index, kind, bytes: buildWorkbook({ sheet, sharedStrings: strings }) };
  }
  const zip = buildWorkbook({ sheet: base.sheet, sharedStrings: base.strings, level: random() < 0.2 ? 0 : 6 });
  return { index, kind, bytes: kind === 'bytes' ? flipBytes(zip, random, int(random, 20) + 1) : zipDamage(zip, random) };
}
