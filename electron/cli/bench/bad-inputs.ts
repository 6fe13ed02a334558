// Bad inputs: hostile and broken workbooks at and beyond the reader's limits, each put in front
// of a fresh processor (a real child process) as Live and run through one cycle: wall time of the
// cycle request and the processor's peak RSS, against ≤ 2 s and ≤ 300 MB per workbook.
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { strToU8, zipSync } from 'fflate';
import type { ProcessorEntry } from '../../core/processor/node-processor';
import {
  SHEET_HEAD, SHEET_TAIL, STRINGS_HEAD, STRINGS_TAIL, buildWorkbook, liveRowsXml, odsLike, rowXml, sheetWorkbook, withDeclaredSize, xlsLike,
} from '../../processor/reader/hostile-workbooks';
import { LIMITS } from '../../processor/reader/limits';
import { startProcessor } from './cycles';
import { round1 } from './stats';

export interface BadInputFigure {
  name: string;
  /** Bytes on disk. */
  fileBytes: number;
  wallMs: number;
  peakRssMb: number;
  status: string;
  message: string | null;
}

export interface BadInputFigures {
  cases: BadInputFigure[];
  worstMs: number;
  worstRssMb: number;
  /** Size of the oversized parts (the "1 GB sheet"), MB. */
  oversizeMb: number;
}

interface Case {
  name: string;
  file?: string;
  /** The bytes, or a chunk written `times` over (a file too large to build in memory). */
  content: () => Buffer | string | { chunk: Buffer; times: number };
}

const HEADER = rowXml(1, ['Symbol', 'LTP', 'Prev Close', 'Volume', 'Sector']);
const MB = 1024 * 1024;

/** The corpus; `oversizeMb` sizes the parts built to be beyond the cap (1,024: the 1 GB attack). */
export function badInputCorpus(oversizeMb: number): Case[] {
  const oversize = oversizeMb * MB;
  const row = '<row><c t="inlineStr"><is><t>BOMB</t></is></c><c><v>1</v></c></row>';
  const bomb = () => buildWorkbook({ sheet: { head: SHEET_HEAD + HEADER, chunk: row, times: Math.ceil(oversize / row.length), tail: SHEET_TAIL } });
  // The worst a workbook may be within the limits: the row cap filled with priced rows of many
  // columns, as near the part cap as the rows allow.
  const padCell = '<c><v>1.5</v></c>';
  const narrow = 160; // the five named columns of a row, in bytes, roughly
  const pad = Math.max(0, Math.floor((LIMITS.partBytes * 0.95) / LIMITS.rows - narrow) / padCell.length) | 0;
  const wideRow = (i: number) => `<row><c t="inlineStr"><is><t>S${i}</t></is></c><c><v>${100 + (i % 97) / 4}</v></c><c><v>100</v></c><c><v>${1000 + i}</v></c>` +
    `<c t="inlineStr"><is><t>Bank &amp; Finance</t></is></c>${padCell.repeat(pad)}</row>`;
  const atRowCap = () => {
    const rows: string[] = [];
    for (let i = 0; i < LIMITS.rows - 1; i++) rows.push(wideRow(i));
    return buildWorkbook({ sheet: SHEET_HEAD + HEADER + rows.join('') + SHEET_TAIL });
  };
  return [
    { name: 'row number 4,294,967,294', content: () => sheetWorkbook(HEADER + rowXml(4294967294, ['TCS', 1, 1, 1, 'x'])) },
    { name: 'row number 2,000,000,000', content: () => sheetWorkbook(HEADER + rowXml(2_000_000_000, ['TCS', 1, 1, 1, 'x'])) },
    { name: 'column FXSHRXW (2^31) in the header', content: () => sheetWorkbook('<row r="1"><c r="A1" t="inlineStr"><is><t>Symbol</t></is></c><c r="FXSHRXW1" t="inlineStr"><is><t>LTP</t></is></c></row>') },
    { name: 'column 2^28 (NFWJBF)', content: () => sheetWorkbook(`${HEADER}<row r="2"><c r="NFWJBF2"><v>1</v></c></row>`) },
    { name: `zip bomb: ${oversizeMb} MB sheet, declared`, content: bomb },
    { name: `zip bomb: ${oversizeMb} MB sheet declaring 1 KB`, content: () => withDeclaredSize(bomb(), 'xl/worksheets/sheet1.xml', 1024) },
    {
      name: `shared strings of ${oversizeMb} MB`,
      content: () => buildWorkbook({
        sheet: SHEET_HEAD + liveRowsXml(10) + SHEET_TAIL,
        sharedStrings: { head: STRINGS_HEAD, chunk: '<si><t>abcdefghijklmnopqrstuvwxyz</t></si>', times: Math.ceil(oversize / 38), tail: STRINGS_TAIL },
      }),
    },
    {
      name: 'shared strings just under the part cap',
      content: () => buildWorkbook({
        sheet: SHEET_HEAD + liveRowsXml(10) + SHEET_TAIL,
        sharedStrings: { head: STRINGS_HEAD, chunk: '<si><t>A</t></si>', times: Math.floor((LIMITS.partBytes - 1024) / 17), tail: STRINGS_TAIL },
      }),
    },
    { name: `${(LIMITS.rows - 1).toLocaleString('en-US')} priced rows x ${5 + pad} columns (row and part caps)`, content: atRowCap },
    {
      name: `${(LIMITS.rows + 1).toLocaleString('en-US')} rows (beyond the row cap)`,
      content: () => buildWorkbook({ sheet: { head: SHEET_HEAD + HEADER, chunk: '<row><c t="inlineStr"><is><t>X</t></is></c><c><v>1</v></c></row>', times: LIMITS.rows + 1, tail: SHEET_TAIL } }),
    },
    {
      name: 'rows of one cell in column XFD',
      content: () => buildWorkbook({ sheet: { head: SHEET_HEAD + HEADER, chunk: '<row><c r="XFD9"><v>1</v></c></row>', times: LIMITS.rows - 10, tail: SHEET_TAIL } }),
    },
    {
      name: 'cells never closed, sheet near the part cap',
      content: () => buildWorkbook({ sheet: { head: SHEET_HEAD + HEADER, chunk: '<row><c t="str"><v>X</v></row>', times: Math.min(LIMITS.rows - 10, Math.floor((LIMITS.partBytes - 1024) / 30)), tail: SHEET_TAIL } }),
    },
    {
      name: 'invalid code points in every symbol',
      content: () => sheetWorkbook(HEADER + Array.from({ length: 5000 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>S${i}&#x110000;&#99999999999;</t></is></c><c r="B${i + 2}"><v>5</v></c><c r="C${i + 2}"><v>4</v></c></row>`).join('')),
    },
    {
      name: `${(LIMITS.zipEntries * 2).toLocaleString('en-US')} zip entries`,
      content: () => Buffer.from(zipSync(Object.fromEntries(Array.from({ length: LIMITS.zipEntries * 2 }, (_, i) => [`x/${i}`, strToU8('x')])))),
    },
    { name: '.xls renamed .xlsx', content: xlsLike },
    { name: '.ods renamed .xlsx', content: odsLike },
    {
      name: 'truncated zip',
      content: () => {
        const whole = sheetWorkbook(liveRowsXml(5000));
        return whole.subarray(0, Math.floor(whole.length * 0.6));
      },
    },
    { name: 'CSV text renamed .xlsx', content: () => `Symbol,LTP\n${'TCS,1\n'.repeat(1000)}` },
    {
      name: 'CSV at the line cap, UTF-16 LE without BOM',
      file: 'Live.csv',
      content: () => Buffer.from(`Symbol,LTP,Prev Close\n${Array.from({ length: LIMITS.rows - 1 }, (_, i) => `S${i},${100 + (i % 50)},100`).join('\n')}`, 'utf16le'),
    },
    { name: `CSV of ${oversizeMb} MB`, file: 'Live.csv', content: () => ({ chunk: Buffer.alloc(MB, 'TCS,1\n'), times: oversizeMb }) },
  ];
}

/** Each bad workbook as Live in its own folder, read by its own fresh processor. */
export async function benchBadInputs(
  workDir: string, entry: ProcessorEntry, oversizeMb: number, progress: (text: string) => void, only: RegExp = /./,
): Promise<BadInputFigures> {
  const cases: BadInputFigure[] = [];
  const corpus = badInputCorpus(oversizeMb).filter((c) => only.test(c.name));
  for (const [i, c] of corpus.entries()) {
    progress(`bad input ${i + 1}/${corpus.length}: ${c.name}`);
    const dataDir = path.join(workDir, `bad-${i}`);
    await mkdir(dataDir, { recursive: true });
    const content = c.content();
    const file = path.join(dataDir, c.file ?? 'Live.xlsx');
    let fileBytes = 0;
    if (typeof content === 'string' || Buffer.isBuffer(content)) {
      await writeFile(file, content);
      fileBytes = Buffer.byteLength(content);
    } else {
      await writeFile(file, '');
      for (let k = 0; k < content.times; k++) await appendFile(file, content.chunk);
      fileBytes = content.chunk.length * content.times;
    }
    const client = await startProcessor(dataDir, path.join(workDir, `bad-${i}.sqlite`), entry);
    try {
      const started = performance.now();
      const report = await client.request({ type: 'runCycle', trigger: 'manual' });
      const wallMs = performance.now() - started;
      const stats = await client.request({ type: 'stats' });
      cases.push({
        name: c.name,
        fileBytes,
        wallMs: round1(wallMs),
        peakRssMb: round1(stats.maxRssBytes / MB),
        status: report.status,
        message: report.message,
      });
    } finally {
      await client.request({ type: 'shutdown' }).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return {
    cases,
    worstMs: Math.max(...cases.map((c) => c.wallMs)),
    worstRssMb: Math.max(...cases.map((c) => c.peakRssMb)),
    oversizeMb,
  };
}

export function badInputLines(figures: BadInputFigures): string[] {
  const lines = [`bad inputs (each as Live in a fresh processor, one cycle; oversized parts ${figures.oversizeMb} MB)`];
  const width = Math.max(...figures.cases.map((c) => c.name.length));
  for (const c of figures.cases) {
    const size = c.fileBytes >= MB ? `${round1(c.fileBytes / MB)} MB` : `${Math.ceil(c.fileBytes / 1024)} KB`;
    lines.push(`  ${c.name.padEnd(width)}  ${size.padStart(8)}  ${String(c.wallMs).padStart(7)} ms  ${String(c.peakRssMb).padStart(6)} MB  ${c.status}${c.message ? `: ${c.message.slice(0, 110)}` : ''}`);
  }
  return lines;
}
