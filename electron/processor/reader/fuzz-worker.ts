// The fuzz test's child process: reads cases [from, to) of a seed with both workbook readers and
// prints one JSON line per step, so the parent can tell a hang (no line for too long) from a
// wrong ending. Run by fuzz.test.ts; by hand: node --import tsx fuzz-worker.ts <seed> <from> <to> <exceljsEvery>
import { DataError } from './errors';
import { fuzzCase } from './fuzz-cases';
import { readPriceTable } from './table';
import { readXlsxSheets } from './xlsx';
import { readXlsxSheetsFast } from './xlsx-fast';

const [seed, from, to, exceljsEvery] = process.argv.slice(2).map(Number) as [number, number, number, number];
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function ending(read: () => Promise<unknown>): Promise<string> {
  try {
    await read();
    return 'rows';
  } catch (error) {
    if (error instanceof DataError && !error.message.includes('\n')) return 'data-error';
    return `OTHER: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.slice(0, 2000);
  }
}

for (let index = from; index < to; index++) {
  let c;
  try {
    c = fuzzCase(seed, index);
  } catch (error) {
    say({ done: index, engine: 'generator', kind: 'generator', result: `OTHER: the case could not be built: ${String(error)}` });
    continue;
  }
  for (const engine of index % exceljsEvery === 0 ? ['fast', 'exceljs'] : ['fast']) {
    say({ start: index, engine, kind: c.kind });
    const result = await ending(async () =>
      readPriceTable(engine === 'fast' ? readXlsxSheetsFast(c.bytes, 'Live.xlsx') : await readXlsxSheets(c.bytes, 'Live.xlsx'), 'live', 'Live.xlsx'));
    say({ done: index, engine, kind: c.kind, result });
  }
}
say({ finished: true });
