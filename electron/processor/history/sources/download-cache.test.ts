// The download cache under a real SIGKILL mid-write: the day's file is either absent or whole.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { DownloadCache } from './download-cache';
import { waitFor } from './testing/wait-for';

const dir = mkdtempSync(path.join(os.tmpdir(), 'download-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('leaves no half file under a day\'s name when killed mid-write', async () => {
  const size = 200 * 1024 * 1024; // big enough that the write is still going when the kill lands
  const script = `import { DownloadCache } from ${JSON.stringify(path.join(import.meta.dirname, 'download-cache.ts'))};
    await new DownloadCache(process.argv[1]).write('2024-08-13', 'udiff', Buffer.alloc(${size}, 7));
    process.stdout.write('done\\n');`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Kill as soon as any file for the day has bytes in it.
  await waitFor(() => readdirSync(dir).some((name) => name.startsWith('2024-08-13') && statSync(path.join(dir, name)).size > 0), 'the write to start', 20_000);
  child.kill('SIGKILL');
  await exited;
  const file = new DownloadCache(dir).fileFor('2024-08-13', 'udiff');
  if (existsSync(file)) assert.equal(statSync(file).size, size, 'a file under the day\'s name is whole');
  assert.equal(await new DownloadCache(dir).read('2024-08-13').then((found) => found?.bytes.length ?? 0).catch(() => -1), existsSync(file) ? size : 0);
  assert.ok(readdirSync(dir).some((name) => name !== path.basename(file)), 'the kill landed mid-write (a temp file remains)');
});
