// Fuzz: mutated workbooks (fuzz-cases.ts) read by both readers must end in rows or a DataError:
// never another exception, never a hang. The reads run in a child process with a deadline per
// case, so a hang is reported with its seed and case instead of hanging the test run.
// Replay: FUZZ_SEED=<seed> node scripts/run-tests.mjs reader/fuzz (FUZZ_CASES for more cases).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { it } from 'node:test';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.FUZZ_CASES ?? 300);
const EXCELJS_EVERY = 6;
/** Generous for a loaded 2-core machine: a case takes milliseconds; a hang takes minutes. */
const CASE_DEADLINE_MS = 30_000;
const worker = path.join(import.meta.dirname, 'fuzz-worker.ts');

interface Line { start?: number; done?: number; engine?: string; kind?: string; result?: string; finished?: boolean }

it(`mutated workbooks end in rows or a DataError, never a crash or a hang (seed ${SEED}, ${CASES} cases)`, { timeout: 15 * 60_000 }, async () => {
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  const child = spawn(process.execPath, ['--import', 'tsx', worker, String(SEED), '0', String(CASES), String(EXCELJS_EVERY)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const failures: string[] = [];
  const endings = new Map<string, number>();
  let current: Line | null = null;
  let finished = false;
  let hung: Line | null = null;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      hung = current;
      child.kill('SIGKILL');
    }, CASE_DEADLINE_MS);
  };
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  arm();
  try {
    for await (const text of createInterface({ input: child.stdout })) {
      const line = JSON.parse(text) as Line;
      arm();
      if (line.start !== undefined) current = line;
      if (line.finished) finished = true;
      if (line.result !== undefined) {
        const key = `${line.engine} ${line.result.startsWith('OTHER') ? 'OTHER' : line.result}`;
        endings.set(key, (endings.get(key) ?? 0) + 1);
        if (line.result.startsWith('OTHER')) failures.push(`seed ${SEED} case ${line.done} (${line.kind}, ${line.engine}): ${line.result}`);
      }
    }
    await exited;
  } finally {
    clearTimeout(timer);
    child.kill('SIGKILL');
  }
  console.log(`fuzz endings: ${JSON.stringify(Object.fromEntries(endings))}`);
  const stuck = hung as Line | null;
  assert.equal(stuck, null, stuck ? `seed ${SEED} case ${stuck.start} (${stuck.kind}, ${stuck.engine}) did not finish in ${CASE_DEADLINE_MS / 1000} s` : '');
  assert.deepEqual(failures, []);
  assert.ok(finished, `the fuzz worker stopped before the end (seed ${SEED}, last case ${current?.start})`);
});
