// The process layering is a lint rule; prove the rule bites where it should and only there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('process layering', () => {
  it('only electron/main and electron/preload may import electron', async () => {
    const code = `import { app } from 'electron';\nexport const x = app;\n`;
    for (const file of ['electron/core/x.ts', 'electron/processor/x.ts', 'electron/server/x.ts', 'electron/cli/x.ts', 'shared/x.ts', 'renderer/src/x.ts']) {
      assert.match((await restrictedImports(code, file)).join(), /Only electron\/main and electron\/preload may import electron/, file);
    }
    for (const file of ['electron/main/x.ts', 'electron/preload/x.ts']) {
      assert.deepEqual(await restrictedImports(code, file), [], file);
    }
  });

  it('the renderer reaches the app only through shared/', async () => {
    assert.match((await restrictedImports(`import fs from 'node:fs';\nexport const x = fs;\n`, 'renderer/src/x.ts')).join(), /API contract/);
    assert.match((await restrictedImports(`import { x } from '../../electron/core/paths';\nexport const y = x;\n`, 'renderer/src/x.ts')).join(), /API contract/);
    assert.deepEqual(await restrictedImports(`import { x } from '../../shared/breadth';\nexport const y = x;\n`, 'renderer/src/x.ts'), []);
  });

  it('shared/ imports no Node, Electron, React or app code', async () => {
    assert.match((await restrictedImports(`import fs from 'node:fs';\nexport const x = fs;\n`, 'shared/x.ts')).join(), /shared\/ is imported by both sides/);
    assert.match((await restrictedImports(`import { x } from '../electron/core/paths';\nexport const y = x;\n`, 'shared/x.ts')).join(), /shared\/ is imported by both sides/);
  });
});
