// `once --json` on workbooks written by other tools (LibreOffice, openpyxl, Python's csv), with
// figures computed independently by the script that wrote them (fixtures/foreign/make_fixtures.py).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from '../test-support/workbooks';
import { breadth } from '../test-support/cli';
import { BreadthProcessor } from '../processor/cycle';
import { openWriteDatabase } from '../processor/store/database';

const foreign = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../processor/reader/fixtures/foreign');

type Expected =
  | { advances: number; declines: number; unchanged: number; total: number; universe: number; priced: number; missing: number; unknown: number; rejected: number }
  | { error: string };

describe('once --json on workbooks written by other tools', async () => {
  const expected = JSON.parse(await readFile(path.join(foreign, 'expected.json'), 'utf8')) as Record<string, Expected>;
  const db = path.join(await tempDir(), 'foreign.sqlite');
  for (const [name, want] of Object.entries(expected)) {
    it(name, async () => {
      const result = await breadth(['once', '--data', path.join(foreign, name), '--db', db, '--json']);
      if ('error' in want) {
        assert.equal(result.code, 2, result.stdout);
        assert.match(result.stderr.toLowerCase(), new RegExp(want.error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
        return;
      }
      assert.equal(result.code, 0, result.stderr);
      const out = JSON.parse(result.stdout);
      assert.deepEqual(
        {
          advances: out.advances, declines: out.declines, unchanged: out.unchanged, total: out.total,
          universe: out.coverage.universe, priced: out.coverage.priced, missing: out.coverage.missing,
          unknown: out.coverage.unknown, rejected: out.rejected.length,
        },
        want,
      );
    });
  }
});

describe('the exceljs reader agrees on the same workbooks', async () => {
  const expected = JSON.parse(await readFile(path.join(foreign, 'expected.json'), 'utf8')) as Record<string, Expected>;
  for (const [name, want] of Object.entries(expected)) {
    it(name, async () => {
      const db = openWriteDatabase(':memory:');
      try {
        const result = await new BreadthProcessor(db, { dataDir: path.join(foreign, name), workbookEngine: 'exceljs' }).runCycle('cli');
        if ('error' in want) {
          assert.equal(result.status, 'failed');
          assert.match(result.message!.toLowerCase(), new RegExp(want.error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
          return;
        }
        const s = result.snapshot!;
        assert.deepEqual(
          { advances: s.advances, declines: s.declines, unchanged: s.unchanged, total: s.total, universe: s.coverage.universe, priced: s.coverage.priced, missing: s.coverage.missing, unknown: s.coverage.unknown, rejected: result.rejected.length },
          want,
        );
      } finally {
        db.close();
      }
    });
  }
});
