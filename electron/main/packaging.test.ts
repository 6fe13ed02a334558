// What the installer ships: main's bundles (electron.vite.config.ts), and the Electron fuses
// (electron-builder.yml), checked against the option names the installed electron-builder
// accepts. No YAML parser is a direct dependency, so the fuses block is read as text:
// top-level "electronFuses:", then its indented "key: true|false" lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { QUERY_WORKER_BUNDLE } from '../core/queries/query-worker-entry';

const root = path.join(import.meta.dirname, '..', '..');

function topLevelBlock(yaml: string, key: string): Record<string, string> {
  const lines = yaml.split(/\r?\n/);
  const starts = lines.flatMap((line, i) => (line.replace(/\s+#.*$/, '').trimEnd() === `${key}:` ? [i] : []));
  assert.equal(starts.length, 1, `exactly one top-level "${key}:" in electron-builder.yml`);
  const block: Record<string, string> = {};
  for (const line of lines.slice(starts[0]! + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    if (!/^\s/.test(line)) break; // the next top-level key
    const m = /^\s+([A-Za-z]+):\s*([^\s#]+)\s*(#.*)?$/.exec(line);
    assert.ok(m, `cannot read "${line.trim()}" under ${key}`);
    assert.ok(!(m[1]! in block), `${m[1]} twice`);
    block[m[1]!] = m[2]!;
  }
  return block;
}

describe('packaging: Electron fuses', () => {
  const fuses = topLevelBlock(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'), 'electronFuses');

  it('the shipped binary cannot be turned into plain Node, be debugged or load code from outside its checked asar', () => {
    assert.deepEqual(fuses, {
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      enableCookieEncryption: 'true',
    });
  });

  it('every name is one the installed electron-builder accepts (its JSON schema)', () => {
    const require = createRequire(path.join(root, 'package.json'));
    const schemaFile = path.join(path.dirname(require.resolve('app-builder-lib/package.json')), 'scheme.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as {
      properties: Record<string, unknown>;
      definitions: { FuseOptionsV1: { properties: Record<string, { type: string }> } };
    };
    assert.ok('electronFuses' in schema.properties, 'electronFuses is a configuration option');
    const accepted = schema.definitions.FuseOptionsV1.properties;
    for (const name of Object.keys(fuses)) assert.equal(accepted[name]?.type, 'boolean', `${name} is a boolean fuse option`);
  });
});

describe("packaging: main's bundles", () => {
  it('the processor and the query worker are entries of their own beside main, named as the code starts them', async () => {
    type Config = { main: { build: { rollupOptions: { input: Record<string, string> } } } };
    const config = (await import('../../electron.vite.config')).default as unknown as Config;
    const input = config.main.build.rollupOptions.input;
    assert.deepEqual(Object.fromEntries(Object.entries(input).map(([name, file]) => [name, path.relative(root, file)])), {
      index: path.join('electron', 'main', 'index.ts'),
      processor: path.join('electron', 'processor', 'main.ts'),
      'query-worker': path.join('electron', 'core', 'queries', 'query-worker.ts'),
    });
    const worker = Object.keys(input).find((name) => input[name]!.endsWith('query-worker.ts'));
    assert.equal(`${worker}.js`, QUERY_WORKER_BUNDLE, 'QueryClient looks for the bundle by its entry name');
  });
});
