// Runs every *.test.ts under electron/, shared/, renderer/ and scripts/ with Node's test runner
// and tsx. (Node 20's runner does not discover .ts files by itself.) Renderer tests cover its pure
// modules only: no DOM or CSS here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const roots = ['shared', 'electron', 'renderer', 'scripts'];
const files = [];
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'fixtures') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.test.ts')) files.push(full);
  }
}
for (const root of roots) walk(root);
const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((f) => filter.some((part) => f.includes(part))) : files;
if (selected.length === 0) {
  // A filter that matches nothing (a moved or renamed test) must not pass as green.
  console.error(`No test file matches ${filter.map((part) => `"${part}"`).join(' or ') || 'anything'}.`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected.sort()], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
